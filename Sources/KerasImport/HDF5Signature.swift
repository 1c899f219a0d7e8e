// Checks a file's HDF5 signature before libhdf5 sees it, to tell "not HDF5 at all" (a JPEG, a
// web page saved as .h5) apart from "HDF5 but damaged".
import Foundation

/// The 8-byte HDF5 format signature and a guess at what a file without it holds.
enum HDF5Signature {
  /// `\x89HDF\r\n\x1a\n`, from the HDF5 file format specification (superblock).
  static let bytes: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]

  /// Throws unless the file carries the signature where HDF5 looks for it: at offset 0, or
  /// after a user block at 512, 1024, 2048, ... bytes.
  static func check(path: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw KerasFileError.unreadable(
        path: path, object: "the file", detail: "permission denied or not a regular file")
    }
    defer { try? handle.close() }
    let size = (try? handle.seekToEnd()).map { Int($0) } ?? 0
    var offset = 0
    while offset + bytes.count <= size {
      try? handle.seek(toOffset: UInt64(offset))
      let head = (try? handle.read(upToCount: bytes.count)) ?? Data()
      if Array(head) == bytes { return }
      offset = offset == 0 ? 512 : offset * 2
    }
    try? handle.seek(toOffset: 0)
    let head = Array((try? handle.read(upToCount: 64)) ?? Data())
    throw KerasFileError.notHDF5(path: path, content: describe(head: head))
  }

  /// What the first bytes of a file suggest it is.
  static func describe(head: [UInt8]) -> String {
    func starts(_ prefix: [UInt8]) -> Bool { head.starts(with: prefix) }
    if head.isEmpty { return "an empty file" }
    if starts([0xff, 0xd8, 0xff]) { return "a JPEG image" }
    if starts([0x89, 0x50, 0x4e, 0x47]) { return "a PNG image" }
    if starts(Array("GIF8".utf8)) { return "a GIF image" }
    if starts([0x50, 0x4b, 0x03, 0x04]) {
      return "a zip archive, such as a Keras 3 .keras file, whose weights are the "
        + "model.weights.h5 inside it"
    }
    let text = String(decoding: head, as: UTF8.self).lowercased()
    if text.contains("<html") || text.contains("<!doctype") {
      return "an HTML page, perhaps a failed download"
    }
    let printable = head.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || $0 >= 32 }
    if printable { return "a text file" }
    let hex = head.prefix(8).map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }
    return "binary data starting \(hex.joined(separator: " "))"
  }
}
