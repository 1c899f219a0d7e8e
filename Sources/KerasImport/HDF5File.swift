// An HDF5 file opened read-only, and its groups.
import CHDF5
import Foundation

/// An HDF5 file opened read-only; closed when it and every object read from it are released.
package final class HDF5File: Sendable {
  /// The path it was opened from, for messages.
  package let path: String
  let handle: HDF5Handle

  private init(path: String, handle: HDF5Handle) {
    self.path = path
    self.handle = handle
  }

  /// Opens `path` read-only.
  /// - Throws: `KerasFileError.fileNotFound`, `.notHDF5` (no HDF5 signature), `.damaged`
  ///   (HDF5 signature but libhdf5 cannot open it, e.g. a truncated file).
  package static func open(path: String) throws -> HDF5File {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw KerasFileError.fileNotFound(path: path)
    }
    if isDirectory.boolValue {
      throw KerasFileError.unreadable(path: path, object: "the file", detail: "it is a directory")
    }
    try HDF5Signature.check(path: path)
    return try HDF5.call {
      // H5F_ACC_RDONLY is 0; the C macro also calls H5open, which HDF5.call has done.
      let id = H5Fopen(path, 0, 0 /* H5P_DEFAULT */)
      guard id >= 0 else {
        throw KerasFileError.damaged(path: path, detail: explain(HDF5.takeErrorStack()))
      }
      return HDF5File(path: path, handle: HDF5Handle(id, .file))
    }
  }

  /// HDF5's reason for refusing a file, with its "truncated file: eof = 100, ...,
  /// stored_eof = 26392" restated as sizes when that is the reason.
  private static func explain(_ stack: String) -> String {
    func number(after key: String) -> Int? {
      guard let range = stack.range(of: key) else { return nil }
      return Int(stack[range.upperBound...].prefix { $0.isNumber })
    }
    guard stack.hasPrefix("truncated file"), let size = number(after: "truncated file: eof = "),
      let expected = number(after: "stored_eof = ")
    else { return stack.isEmpty ? "no reason given" : stack }
    return "the file has \(size) bytes but its HDF5 superblock records \(expected)"
  }

  /// The root group `/`.
  package var root: HDF5Group { HDF5Group(file: self, handle: handle, name: "/") }
}

/// A group of an open HDF5 file: named members (groups, datasets) and attributes.
package struct HDF5Group: Sendable {
  /// The file the group belongs to (kept open while the group lives).
  package let file: HDF5File
  let handle: HDF5Handle
  /// The group's path inside the file (`/`, `/model_weights/block1_conv1`).
  package let name: String

  /// The path of a member of this group, for messages.
  func path(of member: String) -> String {
    name == "/" ? "/" + member : name + "/" + member
  }

  /// Names of the group's direct members, in HDF5's name order (byte-wise ascending).
  package func members() throws -> [String] {
    try HDF5.call {
      var info = H5G_info_t()
      guard H5Gget_info(handle.id, &info) >= 0 else { throw failure("the members of group") }
      return try (0..<info.nlinks).map { index in
        let length = H5Lget_name_by_idx(
          handle.id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, 0 /* H5P_DEFAULT */)
        guard length >= 0 else { throw failure("the members of group") }
        var bytes = [CChar](repeating: 0, count: length + 1)
        _ = H5Lget_name_by_idx(
          handle.id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &bytes, length + 1, 0)
        return String(decoding: bytes.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
      }
    }
  }

  /// Whether `member` (a name or a relative path such as `a/b:0`) exists in this group.
  package func contains(_ member: String) -> Bool {
    HDF5.call {
      // H5Lexists fails, rather than answering no, when an intermediate group is missing.
      var prefix = ""
      for component in member.split(separator: "/") {
        prefix += prefix.isEmpty ? String(component) : "/" + component
        guard H5Lexists(handle.id, prefix, 0 /* H5P_DEFAULT */) > 0 else {
          _ = H5Eclear2(0)
          return false
        }
      }
      return !prefix.isEmpty
    }
  }

  /// Whether `member` exists and is a group.
  package func containsGroup(_ member: String) -> Bool {
    guard contains(member) else { return false }
    return HDF5.call {
      var info = H5O_info_t()
      let status = H5Oget_info_by_name2(handle.id, member, &info, UInt32(H5O_INFO_BASIC), 0)
      return status >= 0 && info.type == H5O_TYPE_GROUP
    }
  }

  /// The member group `member` (a name or relative path).
  package func group(_ member: String) throws -> HDF5Group {
    try HDF5.call {
      let id = H5Gopen2(handle.id, member, 0 /* H5P_DEFAULT */)
      guard id >= 0 else { throw failure("group '\(path(of: member))'", fullName: false) }
      return HDF5Group(file: file, handle: HDF5Handle(id, .object), name: path(of: member))
    }
  }

  /// The member dataset `member` (a name or relative path).
  package func dataset(_ member: String) throws -> HDF5Dataset {
    try HDF5.call {
      let id = H5Dopen2(handle.id, member, 0 /* H5P_DEFAULT */)
      guard id >= 0 else { throw failure("dataset '\(path(of: member))'", fullName: false) }
      return HDF5Dataset(file: file, handle: HDF5Handle(id, .object), name: path(of: member))
    }
  }

  /// A read failure naming `what` (followed by this group's path unless `fullName` is false)
  /// and HDF5's own account of the cause.
  func failure(_ what: String, fullName: Bool = true) -> KerasFileError {
    .unreadable(
      path: file.path, object: fullName ? "\(what) '\(name)'" : what,
      detail: HDF5.takeErrorStack())
  }
}
