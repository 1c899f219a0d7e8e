// The EXIF Orientation tag, read straight from a JPEG's APP1 segment.
//
// Layout (EXIF 2.32 / TIFF 6.0): APP1 = "Exif\0\0" + a TIFF stream: byte order ("II" little,
// "MM" big), 42, offset of IFD0; an IFD = count (2 bytes) + 12-byte entries (tag, type, count,
// value-or-offset). Orientation is tag 0x0112, type SHORT, count 1, stored in the value field.

/// The eight EXIF orientations: how the stored pixels must be turned to appear upright.
public enum ExifOrientation: Int, Sendable, CaseIterable {
  case up = 1, mirrored = 2, down = 3, downMirrored = 4
  case leftMirrored = 5, right = 6, rightMirrored = 7, left = 8
}

enum Exif {
  /// The IFD0 Orientation of a JPEG, or nil when it has none (or a damaged one).
  static func orientation(inJPEG bytes: [UInt8]) -> ExifOrientation? {
    guard let tiff = exifPayload(bytes) else { return nil }
    return orientation(inTIFF: tiff)
  }

  /// The TIFF stream of the first APP1 Exif segment, found by walking the segments up to SOS.
  static func exifPayload(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
    var at = 2  // after SOI
    while at + 4 <= bytes.count {
      guard bytes[at] == 0xFF else { return nil }
      let marker = bytes[at + 1]
      if marker == 0xFF { at += 1; continue }  // fill byte
      if marker == 0xD9 || marker == 0xDA { return nil }  // EOI, or SOS: the metadata is over
      if marker == 0x01 || (0xD0...0xD7).contains(marker) { at += 2; continue }
      let length = Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
      guard length >= 2, at + 2 + length <= bytes.count else { return nil }
      let body = bytes[(at + 4)..<(at + 2 + length)]
      if marker == 0xE1, body.starts(with: Array("Exif\0\0".utf8)) {
        return body.dropFirst(6)
      }
      at += 2 + length
    }
    return nil
  }

  /// The Orientation tag of IFD0 in a TIFF stream.
  static func orientation(inTIFF tiff: ArraySlice<UInt8>) -> ExifOrientation? {
    let data = Array(tiff)
    guard data.count >= 8 else { return nil }
    let little: Bool
    switch (data[0], data[1]) {
    case (0x49, 0x49): little = true
    case (0x4D, 0x4D): little = false
    default: return nil
    }
    func u16(_ i: Int) -> Int? {
      guard i >= 0, i + 2 <= data.count else { return nil }
      return little ? Int(data[i]) | Int(data[i + 1]) << 8 : Int(data[i]) << 8 | Int(data[i + 1])
    }
    func u32(_ i: Int) -> Int? {
      guard let a = u16(i), let b = u16(i + 2) else { return nil }
      return little ? a | b << 16 : a << 16 | b
    }
    guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
    for entry in 0..<count {
      let base = ifd + 2 + 12 * entry
      guard let tag = u16(base) else { return nil }
      guard tag == 0x0112 else { continue }
      guard u16(base + 2) == 3, let value = u16(base + 8) else { return nil }  // SHORT
      return ExifOrientation(rawValue: value)
    }
    return nil
  }
}
