// Reading JPEG and PNG files into 8-bit RGB images, chosen by content, never by extension.
import Foundation

/// How to treat an alpha channel when decoding to RGB.
public enum Transparency: String, Sendable, CaseIterable {
  /// Keep the colour values and discard alpha (PIL's `convert("RGB")`, Keras `load_img`).
  case drop
  /// Composite over white: `v = (a*c + (255-a)*255) / 255`, rounded.
  case white
}

/// Choices that change what a decoded image looks like, and the limits that protect memory.
public struct DecodeOptions: Sendable, Equatable {
  /// Apply the JPEG EXIF Orientation (true, like PIL's `exif_transpose`) or keep stored pixels.
  public var appliesOrientation: Bool
  /// What to do with alpha (PNG alpha channels and tRNS transparency).
  public var transparency: Transparency
  /// Largest `width * height` accepted; checked from the header before any pixel is allocated.
  public var maxPixels: Int
  /// Refuse JPEGs on which libjpeg raised any warning (corrupt data), not only truncated ones.
  public var rejectsJPEGWarnings: Bool

  /// The defaults: orientation applied, alpha dropped, 100 megapixels, JPEG warnings tolerated.
  public init(
    appliesOrientation: Bool = true, transparency: Transparency = .drop,
    maxPixels: Int = 100_000_000, rejectsJPEGWarnings: Bool = false
  ) {
    self.appliesOrientation = appliesOrientation
    self.transparency = transparency
    self.maxPixels = maxPixels
    self.rejectsJPEGWarnings = rejectsJPEGWarnings
  }
}

extension Image {
  /// Decodes the JPEG or PNG file at `path` to 8-bit RGB at its original size.
  /// - Throws: ``ImageError`` naming the file and the cause.
  public init(contentsOfFile path: String, options: DecodeOptions = DecodeOptions()) throws {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
    } catch {
      let reason = FileManager.default.fileExists(atPath: path)
        ? "\(error.localizedDescription)" : "no such file"
      throw ImageError.unreadable(file: path, reason: reason)
    }
    try self.init(decoding: [UInt8](data), name: path, options: options)
  }

  /// Decodes JPEG or PNG bytes to 8-bit RGB at the original size.
  ///
  /// The format comes from the magic bytes. JPEG: baseline, progressive, grey (replicated),
  /// CMYK/YCCK (converted as PIL does for Adobe inverted CMYK); EXIF orientation applied unless
  /// the options say not. PNG: every colour type and bit depth, interlaced or not; 16-bit
  /// samples keep their high byte; alpha dropped or composited over white.
  /// - Parameter name: how errors name the data (usually its path).
  /// - Throws: ``ImageError``.
  public init(decoding bytes: [UInt8], name: String, options: DecodeOptions = DecodeOptions())
    throws
  {
    if bytes.isEmpty { throw ImageError.empty(file: name) }
    switch ImageFormat.detect(bytes) {
    case .jpeg:
      var image = try JPEGDecoder.decode(bytes, name: name, options: options)
      if options.appliesOrientation, let orientation = Exif.orientation(inJPEG: bytes) {
        image = image.oriented(orientation)
      }
      self = image
    case .png:
      let rgba = try PNGDecoder.decode(bytes, name: name, options: options)
      self = rgba.flattened(options.transparency)
    case .other(let what):
      throw ImageError.unsupportedFormat(file: name, detected: what)
    }
  }

  /// Refuses a header size that is empty or over the pixel budget, before any allocation.
  static func checkSize(width: Int, height: Int, name: String, limit: Int) throws {
    if width == 0 || height == 0 { throw ImageError.zeroSize(file: name, width: width, height: height) }
    if width.multipliedReportingOverflow(by: height).partialValue > limit
      || width > limit || height > limit
    {
      throw ImageError.tooLarge(file: name, width: width, height: height, limit: limit)
    }
  }

  /// RGB from RGBA: alpha dropped, or composited over white.
  func flattened(_ transparency: Transparency) -> Image {
    precondition(channels == 4, "flattening needs RGBA")
    let count = width * height
    var out = [UInt8](repeating: 0, count: count * 3)
    pixels.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { target in
        let src = source.baseAddress!, dst = target.baseAddress!
        switch transparency {
        case .drop:
          for i in 0..<count {
            dst[3 * i] = src[4 * i]
            dst[3 * i + 1] = src[4 * i + 1]
            dst[3 * i + 2] = src[4 * i + 2]
          }
        case .white:
          for i in 0..<count {
            let a = Int(src[4 * i + 3])
            for k in 0..<3 {
              // Rounded a*c/255 + (255-a): exact integer arithmetic, no float drift.
              dst[3 * i + k] = UInt8((a * Int(src[4 * i + k]) + (255 - a) * 255 + 127) / 255)
            }
          }
        }
      }
    }
    return Image(width: width, height: height, channels: 3, pixels: out)
  }
}
