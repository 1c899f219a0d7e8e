// Raw maps as NumPy `.npy` files (format version 1.0), written without NumPy.
//
// Layout: the magic `\x93NUMPY`, version bytes 1 0, a little-endian uint16 header length,
// then an ASCII dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (...), }`
// padded with spaces and ending in '\n' so the data starts at a multiple of 64 bytes,
// then the float32 values little-endian in C order.
public import Engine
public import Foundation

extension TensorOf where Element == Float {
  /// The tensor as the bytes of a `.npy` file (v1.0, `<f4`, C order).
  public func npyData() -> Data {
    let dims = shape.map(String.init)
    let tuple = dims.count == 1 ? "(\(dims[0]),)" : "(" + dims.joined(separator: ", ") + ")"
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(tuple), }"
    let prefix = 10  // magic (6) + version (2) + header length (2)
    let padded = (prefix + header.utf8.count + 1 + 63) / 64 * 64
    header += String(repeating: " ", count: padded - prefix - header.utf8.count - 1) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    let length = UInt16(header.utf8.count)
    data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    data.append(contentsOf: Array(header.utf8))
    storage.withUnsafeBufferPointer { values in
      var littleEndian = [UInt32](repeating: 0, count: values.count)
      for i in 0..<values.count { littleEndian[i] = values[i].bitPattern.littleEndian }
      littleEndian.withUnsafeBytes { data.append(contentsOf: $0) }
    }
    return data
  }

  /// Writes the tensor as a `.npy` file.
  /// - Throws: the file system's error when the file cannot be written.
  public func writeNPY(to url: URL) throws {
    try npyData().write(to: url, options: .atomic)
  }
}
