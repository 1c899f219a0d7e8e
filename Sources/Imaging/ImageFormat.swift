// Telling a file's format from its first bytes, never from its name.

/// The container format of an image file, as its magic bytes say.
public enum ImageFormat: Sendable, Equatable {
  case jpeg
  case png
  /// Anything Glimpse cannot decode, with a human description ("a GIF image", "text").
  case other(String)

  /// Identifies the format of `bytes` from its signature.
  public static func detect(_ bytes: [UInt8]) -> ImageFormat {
    func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
      bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
    }
    if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
    if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
    for (signature, offset, name) in signatures where starts(Array(signature.utf8), at: offset) {
      return .other(name)
    }
    if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) {
      return .other("a TIFF image")
    }
    if starts([0x1F, 0x8B]) { return .other("gzip-compressed data") }
    if starts([0x00, 0x00, 0x01, 0x00]) { return .other("a Windows icon (ICO)") }
    if starts([0xFF, 0x4F, 0xFF, 0x51]) || starts([0, 0, 0, 0x0C, 0x6A, 0x50]) {
      return .other("a JPEG 2000 image")
    }
    if let text = textPreview(bytes) { return .other("text (\(text))") }
    let head = bytes.prefix(8).map { hexByte($0) }.joined(separator: " ")
    return .other("unknown binary data (starts \(head))")
  }

  /// ASCII signatures: bytes, where they sit, what they mean.
  private static let signatures: [(String, Int, String)] = [
    ("GIF87a", 0, "a GIF image"), ("GIF89a", 0, "a GIF image"), ("BM", 0, "a BMP image"),
    ("WEBP", 8, "a WebP image"), ("ftypheic", 4, "a HEIC image"), ("ftypheix", 4, "a HEIC image"),
    ("ftypmif1", 4, "a HEIF image"), ("ftypavif", 4, "an AVIF image"), ("%PDF", 0, "a PDF document"),
    ("PK\u{03}\u{04}", 0, "a ZIP archive"), ("8BPS", 0, "a Photoshop document"),
    ("qoif", 0, "a QOI image"), ("\u{93}NUMPY", 0, "a NumPy array (.npy)"),
  ]

  /// The first few characters when `bytes` read as printable UTF-8 text, else nil.
  private static func textPreview(_ bytes: [UInt8]) -> String? {
    let head = Array(bytes.prefix(256))
    var text = String(decoding: head, as: UTF8.self)
    // A multi-byte character cut at the 256th byte decodes as U+FFFD: drop it.
    if bytes.count > 256, text.last == "\u{FFFD}" { text.removeLast() }
    let printable = text.unicodeScalars.allSatisfy {
      $0 == "\n" || $0 == "\r" || $0 == "\t" || ($0.value >= 0x20 && $0.value != 0x7F
        && $0 != "\u{FFFD}")
    }
    guard printable, !text.isEmpty else { return nil }
    let line = text.prefix { $0 != "\n" && $0 != "\r" }.prefix(24)
    return line.isEmpty ? "starting with a line break" : "starting \"\(line)\""
  }

  private static func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
  }
}
