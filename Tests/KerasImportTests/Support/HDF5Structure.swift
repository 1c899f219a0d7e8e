// The structure of an HDF5 file as text, to compare two files: every group and dataset path
// with its attributes and shapes (walked through the KerasImport wrapper), and the storage
// types libhdf5 records (read with the C API: the wrapper does not expose them).
@preconcurrency import CHDF5
import Foundation
import KerasImport

/// Text descriptions of an HDF5 file's structure, one line per object.
enum HDF5Structure {
  /// `"/g @a=[x, y] @b=[]"` for each group (string attributes with their values, others
  /// empty) and `"/g/d [3, 4]"` for each dataset, depth first in name order; with `types`,
  /// each attribute and dataset also says how it is stored.
  static func lines(of path: String, types: Bool = false) throws -> [String] {
    var lines: [String] = []
    try walk(HDF5File.open(path: path).root, path: path, types: types, into: &lines)
    return lines
  }

  private static func walk(
    _ group: HDF5Group, path: String, types: Bool, into lines: inout [String]
  )
    throws
  {
    let attributes = try group.attributeNames().map { name in
      let values = (try? group.strings(attribute: name)) ?? []
      let type = types ? ": " + attributeType(name, of: group.name, in: path) : ""
      return "@\(name)=\(values)\(type)"
    }
    lines.append(([group.name] + attributes).joined(separator: " "))
    for member in try group.members() {
      if group.containsGroup(member) {
        try walk(try group.group(member), path: path, types: types, into: &lines)
      } else {
        let dataset = try group.dataset(member)
        let type = types ? " " + datasetType(dataset.name, in: path) : ""
        lines.append("\(dataset.name) \(try dataset.shape())\(type)")
      }
    }
  }

  /// How attribute `name` of `object` is stored: `"string variable nullterm ascii [9]"`,
  /// `"string fixed 15 nullpad ascii [6]"`, `"float64 [0]"`, `"... scalar"`.
  static func attributeType(_ name: String, of object: String, in path: String) -> String {
    HDF5.call {
      let file = H5Fopen(path, 0 /* H5F_ACC_RDONLY */, 0)
      defer { H5Fclose(file) }
      let attribute = H5Aopen_by_name(file, object, name, 0, 0)
      guard attribute >= 0 else { return "unreadable" }
      defer { H5Aclose(attribute) }
      let type = H5Aget_type(attribute)
      defer { H5Tclose(type) }
      let space = H5Aget_space(attribute)
      defer { H5Sclose(space) }
      return describe(type: type) + " " + describe(space: space)
    }
  }

  /// How dataset `name` is stored: `"float32 le contiguous"`.
  static func datasetType(_ name: String, in path: String) -> String {
    HDF5.call {
      let file = H5Fopen(path, 0 /* H5F_ACC_RDONLY */, 0)
      defer { H5Fclose(file) }
      let dataset = H5Dopen2(file, name, 0)
      guard dataset >= 0 else { return "unreadable" }
      defer { H5Dclose(dataset) }
      let type = H5Dget_type(dataset)
      defer { H5Tclose(type) }
      let plist = H5Dget_create_plist(dataset)
      defer { H5Pclose(plist) }
      let layouts = [H5D_COMPACT: "compact", H5D_CONTIGUOUS: "contiguous", H5D_CHUNKED: "chunked"]
      return describe(type: type) + " " + (layouts[H5Pget_layout(plist)] ?? "virtual")
    }
  }

  private static func describe(type: hid_t) -> String {
    switch H5Tget_class(type) {
    case H5T_STRING:
      let pads = [
        H5T_STR_NULLTERM: "nullterm", H5T_STR_NULLPAD: "nullpad", H5T_STR_SPACEPAD: "spacepad",
      ]
      let length = H5Tis_variable_str(type) > 0 ? "variable" : "fixed \(H5Tget_size(type))"
      let cset = H5Tget_cset(type) == H5T_CSET_UTF8 ? "utf8" : "ascii"
      return "string \(length) \(pads[H5Tget_strpad(type)] ?? "?") \(cset)"
    case H5T_FLOAT:
      let order = H5Tget_order(type) == H5T_ORDER_LE ? "le" : "be"
      return "float\(H5Tget_size(type) * 8) \(order)"
    default:
      return "class \(H5Tget_class(type).rawValue)"
    }
  }

  private static func describe(space: hid_t) -> String {
    guard H5Sget_simple_extent_type(space) == H5S_SIMPLE else {
      return H5Sget_simple_extent_type(space) == H5S_SCALAR ? "scalar" : "null"
    }
    var dims = [hsize_t](repeating: 0, count: Int(H5Sget_simple_extent_ndims(space)))
    H5Sget_simple_extent_dims(space, &dims, nil)
    return "\(dims.map { Int($0) })"
  }
}
