// Unrounded resampled pixels: what a resize hands to preprocessing, and small maps to upsample.

/// A float image in planar order: all of channel 0 row by row, then channel 1, and so on.
///
/// Values keep whatever scale they came with (0...255 for resized photos, anything for maps) and
/// are never rounded or clamped, so a model sees exactly the interpolated values.
public struct FloatImage: Sendable, Equatable {
  public var width: Int
  public var height: Int
  public var channels: Int
  /// `channels * height * width` values: `[c][y][x]` at `(c * height + y) * width + x`.
  public var planes: [Float]

  /// Wraps planar values.
  /// - Precondition: `planes.count == channels * height * width`.
  public init(width: Int, height: Int, channels: Int, planes: [Float]) {
    precondition(width >= 0 && height >= 0 && channels >= 1, "bad float image geometry")
    precondition(planes.count == width * height * channels, "plane size does not match")
    self.width = width
    self.height = height
    self.channels = channels
    self.planes = planes
  }

  /// The value at channel `c`, row `y`, column `x`.
  public subscript(c: Int, y: Int, x: Int) -> Float {
    get { planes[(c * height + y) * width + x] }
    set { planes[(c * height + y) * width + x] = newValue }
  }

  /// The 8-bit pixels of `image` as floats 0...255, planar.
  public init(_ image: Image) {
    let count = image.width * image.height, c = image.channels
    var planes = [Float](repeating: 0, count: count * c)
    image.pixels.withUnsafeBufferPointer { source in
      planes.withUnsafeMutableBufferPointer { target in
        let src = source.baseAddress!, dst = target.baseAddress!
        for k in 0..<c {
          for i in 0..<count { dst[k * count + i] = Float(src[i * c + k]) }
        }
      }
    }
    self.init(width: image.width, height: image.height, channels: c, planes: planes)
  }

  /// Interleaved 8-bit pixels, each value rounded to nearest and clamped to 0...255.
  /// - Precondition: 1, 3 or 4 channels.
  public func roundedImage() -> Image {
    let count = width * height, c = channels
    var pixels = [UInt8](repeating: 0, count: count * c)
    for k in 0..<c {
      for i in 0..<count {
        let v = planes[k * count + i]
        pixels[i * c + k] = v.isNaN ? 0 : UInt8(min(max(v.rounded(), 0), 255))
      }
    }
    return Image(width: width, height: height, channels: c, pixels: pixels)
  }
}
