// JPEG through libjpeg-turbo (the CJPEG shim keeps libjpeg's longjmp inside C).
import CJPEG

enum JPEGDecoder {
  /// Decodes a JPEG to RGB without applying its orientation.
  static func decode(_ bytes: [UInt8], name: String, options: DecodeOptions) throws -> Image {
    var result = glimpse_jpeg_result()
    let header = bytes.withUnsafeBufferPointer {
      glimpse_jpeg_decode($0.baseAddress, UInt($0.count), nil, 0, &result)
    }
    guard header == 1 else { throw failure(result, name: name) }
    let width = Int(result.width), height = Int(result.height)
    try Image.checkSize(width: width, height: height, name: name, limit: options.maxPixels)
    let cmyk = result.color_space == Int32(JCS_CMYK.rawValue)
      || result.color_space == Int32(JCS_YCCK.rawValue)
    let components = cmyk ? 4 : 3
    var raw = [UInt8](repeating: 0, count: width * height * components)
    let status = bytes.withUnsafeBufferPointer { input in
      raw.withUnsafeMutableBufferPointer { output in
        glimpse_jpeg_decode(
          input.baseAddress, UInt(input.count), output.baseAddress, output.count, &result)
      }
    }
    guard status == 1 else { throw failure(result, name: name) }
    if result.truncated != 0 {
      throw ImageError.truncated(
        file: name, format: "JPEG", detail: "the data ends before the last scan line ("
          + "libjpeg: \(message(result)))")
    }
    if options.rejectsJPEGWarnings, result.warnings > 0 {
      throw ImageError.corrupt(
        file: name, format: "JPEG",
        detail: "\(result.warnings) libjpeg warning(s), first: \(message(result))")
    }
    guard result.out_components == Int32(components) else {
      throw ImageError.corrupt(
        file: name, format: "JPEG", detail: "unexpected \(result.out_components) output channels")
    }
    let rgb = cmyk ? rgbFromInvertedCMYK(raw, count: width * height) : raw
    return Image(width: width, height: height, channels: 3, pixels: rgb)
  }

  /// CMYK as libjpeg returns it (Adobe files store inverted inks) to RGB, exactly as PIL does.
  ///
  /// PIL reads CMYK JPEGs with raw mode "CMYK;I" (ink = 255 - stored) and converts with
  /// `v = (255 - k) - round(ink * (255 - k) / 255)`; with stored values `s` and `sk` that is
  /// `sk - muldiv255(255 - s, sk)`, where muldiv255 is PIL's rounded integer product / 255.
  static func rgbFromInvertedCMYK(_ raw: [UInt8], count: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: count * 3)
    for i in 0..<count {
      let key = Int(raw[4 * i + 3])
      for k in 0..<3 {
        let product = (255 - Int(raw[4 * i + k])) * key + 128
        out[3 * i + k] = UInt8(clamping: key - ((product >> 8) + product) >> 8)
      }
    }
    return out
  }

  private static func message(_ result: glimpse_jpeg_result) -> String {
    withUnsafeBytes(of: result.message) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
  }

  /// The typed error for a fatal libjpeg error: truncation or corruption.
  private static func failure(_ result: glimpse_jpeg_result, name: String) -> ImageError {
    let text = message(result)
    if result.truncated != 0 || text.contains("Premature end") {
      return .truncated(file: name, format: "JPEG", detail: text)
    }
    return .corrupt(file: name, format: "JPEG", detail: text.isEmpty ? "unknown error" : text)
  }
}
