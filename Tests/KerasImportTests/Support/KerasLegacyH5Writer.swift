// A test-only writer of the legacy Keras HDF5 weights layout, so tests can make full-size weight
// files without TensorFlow. It lays a file out as tf_keras 2.18's `model.save_weights('w.h5')`
// does (src/saving/legacy/hdf5_format.py, `save_weights_to_hdf5_group`):
//
//   /  @layer_names (every layer of model.layers, in order), @backend, @keras_version
//   /<layer>  @weight_names = [`<layer>/kernel:0`, ...]; an empty float64 array when weightless
//   /<layer>/<layer>/kernel:0  float32 dataset (the weight name, relative to the layer's group)
//   /top_level_model_weights   @weight_names empty (the model's own weights; none here)
//
// Layer groups are created in name order, datasets in weight order, as tf_keras does. A string
// list whose bytes exceed HDF5's 64512-byte object-header budget is split into `name0`,
// `name1`, ... as numpy's `array_split` would split it.
@preconcurrency import CHDF5
import Engine
import Foundation
import KerasImport

/// Writes Keras weights in the legacy HDF5 layout (tests only).
enum KerasLegacyH5Writer {
  /// How string attributes are stored.
  enum Strings {
    /// Null-padded fixed-length ASCII (numpy `|S<n>`), as Keras 2 with h5py 2 wrote them in the
    /// downloaded `*_tf_dim_ordering_tf_kernels.h5` files.
    case fixedLength
    /// Variable-length ASCII, as tf_keras 2.18 with h5py 3 writes them (tiny_legacy.h5).
    case variableLength
  }

  /// A libhdf5 call that failed while writing.
  struct WriteError: Error, CustomStringConvertible {
    var description: String
  }

  /// Keras' budget for one attribute (`HDF5_OBJECT_HEADER_LIMIT`).
  static let attributeLimit = 64512

  /// Writes every layer of a model to `path` (replacing any file there).
  ///
  /// - Parameter layers: `model.layers` in order, weightless layers (input, pooling, add)
  ///   with no weights; weight names are short (`kernel`) and become `<layer>/kernel:0`.
  static func write(
    _ layers: [KerasLayerWeights], to path: String, strings: Strings = .fixedLength,
    kerasVersion: String = "2.18.0"
  ) throws {
    try HDF5.call {
      let file = try check(H5Fcreate(path, 2 /* H5F_ACC_TRUNC */, 0, 0), "create \(path)")
      defer { H5Fclose(file) }
      try writeStrings(file, "layer_names", layers.map(\.layer), strings)
      try writeString(file, "backend", "tensorflow", strings)
      try writeString(file, "keras_version", kerasVersion, strings)
      for layer in layers.sorted(by: { $0.layer < $1.layer }) {
        try writeLayer(file, layer, strings)
      }
      try writeLayer(
        file, KerasLayerWeights(layer: "top_level_model_weights", names: [], tensors: []), strings)
    }
  }

  /// One layer's group, its `weight_names` and its datasets.
  private static func writeLayer(_ file: hid_t, _ layer: KerasLayerWeights, _ strings: Strings)
    throws
  {
    let group = try check(H5Gcreate2(file, layer.layer, 0, 0, 0), "create group \(layer.layer)")
    defer { H5Gclose(group) }
    let names = layer.names.map { "\(layer.layer)/\($0):0" }
    guard !names.isEmpty else { return try writeEmptyList(group, "weight_names") }
    try writeStrings(group, "weight_names", names, strings)
    // The names hold a slash: h5py creates the intermediate group `<layer>` on the way.
    let linkList = try check(H5Pcreate(H5P_CLS_LINK_CREATE_ID_g), "create a property list")
    defer { H5Pclose(linkList) }
    H5Pset_create_intermediate_group(linkList, 1)
    for (name, tensor) in zip(names, layer.tensors) {
      try writeDataset(group, name, tensor, linkList: linkList)
    }
  }

  /// A float32 little-endian dataset of `tensor`'s shape, contiguous as h5py makes it.
  private static func writeDataset(
    _ group: hid_t, _ name: String, _ tensor: Tensor, linkList: hid_t
  )
    throws
  {
    let space = try dataspace(tensor.shape)
    defer { H5Sclose(space) }
    let dataset = try check(
      H5Dcreate2(group, name, H5T_IEEE_F32LE_g, space, linkList, 0, 0), "create dataset \(name)")
    defer { H5Dclose(dataset) }
    let status = tensor.storage.withUnsafeBufferPointer { values in
      H5Dwrite(dataset, H5T_NATIVE_FLOAT_g, 0, 0, 0, values.baseAddress)
    }
    _ = try check(hid_t(status), "write dataset \(name)")
  }

  /// A string attribute holding `values`, split into numbered chunks past Keras' budget.
  private static func writeStrings(
    _ object: hid_t, _ name: String, _ values: [String], _ strings: Strings
  ) throws {
    // numpy's nbytes: the widest string times the count, or 8 bytes a pointer (object array).
    let width = strings == .fixedLength ? max(values.map(\.utf8.count).max() ?? 1, 1) : 8
    var chunks = 1
    while (values.count + chunks - 1) / chunks * width > attributeLimit { chunks += 1 }
    guard chunks > 1 else {
      return try writeStringArray(object, name, values, strings, scalar: false)
    }
    // numpy's array_split: the first `count % chunks` parts hold one more element.
    var start = 0
    for index in 0..<chunks {
      let size = values.count / chunks + (index < values.count % chunks ? 1 : 0)
      try writeStringArray(
        object, "\(name)\(index)", Array(values[start..<(start + size)]), strings, scalar: false)
      start += size
    }
  }

  /// A scalar string attribute (`backend`, `keras_version`).
  private static func writeString(
    _ object: hid_t, _ name: String, _ value: String, _ strings: Strings
  )
    throws
  {
    try writeStringArray(object, name, [value], strings, scalar: true)
  }

  /// A string attribute: a 1-D array, or a scalar of one value.
  private static func writeStringArray(
    _ object: hid_t, _ name: String, _ values: [String], _ strings: Strings, scalar: Bool
  ) throws {
    let type = try check(H5Tcopy(H5T_C_S1_g), "copy the string type")
    defer { H5Tclose(type) }
    let bytes = values.map { Array($0.utf8) }
    let width = max(bytes.map(\.count).max() ?? 1, 1)
    // H5T_VARIABLE is (size_t)-1, a macro Swift does not import.
    H5Tset_size(type, strings == .fixedLength ? width : -1)
    // numpy's `|S` strings are null-padded; h5py's variable-length ones null-terminated.
    H5Tset_strpad(type, strings == .fixedLength ? H5T_STR_NULLPAD : H5T_STR_NULLTERM)
    let space = try scalar ? scalarSpace() : dataspace([values.count])
    defer { H5Sclose(space) }
    let attribute = try check(H5Acreate2(object, name, type, space, 0, 0), "create @\(name)")
    defer { H5Aclose(attribute) }
    let status: herr_t
    switch strings {
    case .fixedLength:
      var buffer = [UInt8](repeating: 0, count: width * values.count)
      for (index, value) in bytes.enumerated() {
        buffer.replaceSubrange((index * width)..<(index * width + value.count), with: value)
      }
      status = H5Awrite(attribute, type, buffer)
    case .variableLength:
      let pointers = bytes.map { value in strdup(String(decoding: value, as: UTF8.self)) }
      defer { pointers.forEach { free($0) } }
      status = pointers.withUnsafeBufferPointer { H5Awrite(attribute, type, $0.baseAddress) }
    }
    _ = try check(hid_t(status), "write @\(name)")
  }

  /// An empty float64 array attribute: what numpy makes of Keras' empty `weight_names` list.
  private static func writeEmptyList(_ object: hid_t, _ name: String) throws {
    let space = try dataspace([0])
    defer { H5Sclose(space) }
    let attribute = try check(
      H5Acreate2(object, name, H5T_IEEE_F64LE_g, space, 0, 0), "create @\(name)")
    defer { H5Aclose(attribute) }
    var unused = 0.0
    _ = try check(hid_t(H5Awrite(attribute, H5T_NATIVE_DOUBLE_g, &unused)), "write @\(name)")
  }

  /// A simple dataspace of `shape` (scalar for `[]`).
  private static func dataspace(_ shape: [Int]) throws -> hid_t {
    guard !shape.isEmpty else { return try scalarSpace() }
    let dims = shape.map { hsize_t($0) }
    return try check(H5Screate_simple(Int32(dims.count), dims, nil), "create a dataspace")
  }

  private static func scalarSpace() throws -> hid_t {
    try check(H5Screate(H5S_SCALAR), "create a scalar dataspace")
  }

  /// `id` when libhdf5 succeeded, else a `WriteError` naming the step.
  private static func check(_ id: hid_t, _ what: String) throws -> hid_t {
    guard id >= 0 else {
      H5Eclear2(0 /* H5E_DEFAULT */)
      throw WriteError(description: "libhdf5 could not \(what)")
    }
    return id
  }
}
