// Decoded pictures as 8-bit pixels, knowing nothing of tensors.

/// An 8-bit image in row-major, interleaved order (`RGBRGB...` for three channels).
public struct Image: Sendable, Equatable {
  public var width: Int
  public var height: Int
  /// 1 (grey), 3 (RGB) or 4 (RGBA).
  public var channels: Int
  /// `height * width * channels` bytes, top row first.
  public var pixels: [UInt8]

  public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
    precondition(width >= 0 && height >= 0 && [1, 3, 4].contains(channels), "bad image geometry")
    precondition(pixels.count == width * height * channels, "pixel count does not match the size")
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }
}
