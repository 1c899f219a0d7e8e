// PNG through libpng: the full reader (stored values, no gamma) and the simplified writer.
import CPNG

enum PNGDecoder {
  /// Decodes a PNG to 8-bit RGBA (alpha 255 where the file has none).
  static func decode(_ bytes: [UInt8], name: String, options: DecodeOptions) throws -> Image {
    var result = glimpse_png_result()
    let header = bytes.withUnsafeBufferPointer {
      glimpse_png_decode($0.baseAddress, $0.count, nil, 0, &result)
    }
    guard header == 1 else { throw failure(result, name: name) }
    let width = Int(result.width)
    let height = Int(result.height)
    try Image.checkSize(width: width, height: height, name: name, limit: options.maxPixels)
    // Uninitialised: libpng writes every row or fails.
    var rgba = [UInt8](unsafeUninitializedCapacity: width * height * 4) { _, count in
      count = width * height * 4
    }
    let status = bytes.withUnsafeBufferPointer { input in
      rgba.withUnsafeMutableBufferPointer { output in
        glimpse_png_decode(
          input.baseAddress, input.count, output.baseAddress, output.count, &result)
      }
    }
    guard status == 1 else { throw failure(result, name: name) }
    return Image(width: width, height: height, channels: 4, pixels: rgba)
  }

  private static func failure(_ result: glimpse_png_result, name: String) -> ImageError {
    let text = withUnsafeBytes(of: result.message) { raw in
      String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    // libpng says "Image width is zero in IHDR" for an empty image; keep its words.
    if text == "unexpected end of file" || text.contains("Not enough image data") {
      return .truncated(file: name, format: "PNG", detail: text)
    }
    return .corrupt(file: name, format: "PNG", detail: text.isEmpty ? "unknown error" : text)
  }
}

extension Image {
  /// The image as PNG bytes (8-bit grey, RGB or RGBA as its channels say).
  ///
  /// Decoding the result gives back exactly these pixels (grey returns as R = G = B).
  /// - Parameter fast: light compression (the default): several times faster to encode, about
  ///   1.5-2x larger; pass false for outputs that are stored (notebooks, saved files).
  /// - Throws: ``ImageError/encodingFailed(reason:)`` for an empty or over-large image.
  public func pngData(fast: Bool = true) throws -> [UInt8] {
    guard width > 0, height > 0 else {
      throw ImageError.encodingFailed(reason: "the image is empty (\(width)x\(height))")
    }
    guard width <= 1 << 31 - 1, height <= 1 << 31 - 1 else {
      throw ImageError.encodingFailed(reason: "the image is too large (\(width)x\(height))")
    }
    let bound = glimpse_png_encode_bound(UInt32(width), UInt32(height), Int32(channels))
    var out = [UInt8](repeating: 0, count: bound)
    var length = bound
    var message = [CChar](repeating: 0, count: 200)
    let status = pixels.withUnsafeBufferPointer { input in
      out.withUnsafeMutableBufferPointer { output in
        glimpse_png_encode(
          input.baseAddress, UInt32(width), UInt32(height), Int32(channels), fast ? 1 : 0,
          output.baseAddress,
          &length, &message)
      }
    }
    guard status == 1 else {
      let reason = String(
        decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
        as: UTF8.self)
      throw ImageError.encodingFailed(reason: reason)
    }
    out.removeLast(out.count - length)
    return out
  }
}
