// Turning stored pixels upright as the EXIF Orientation asks (what PIL's exif_transpose does).

extension Image {
  /// The image turned so that it appears upright, given the orientation it was stored with.
  ///
  /// Mirrors PIL's `ImageOps.exif_transpose`: 2 flips left-right, 3 turns 180 degrees, 4 flips
  /// top-bottom, 5 transposes, 6 turns 90 degrees clockwise, 7 transverses, 8 turns 90 degrees
  /// counter-clockwise. Orientations 5-8 swap width and height.
  public func oriented(_ orientation: ExifOrientation) -> Image {
    if orientation == .up { return self }
    let swaps = orientation.rawValue >= 5
    let (w, h, c) = (width, height, channels)
    let outW = swaps ? h : w, outH = swaps ? w : h
    var out = [UInt8](repeating: 0, count: pixels.count)
    pixels.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { target in
        let src = source.baseAddress!, dst = target.baseAddress!
        for y in 0..<outH {
          for x in 0..<outW {
            // (sx, sy): the stored pixel that lands at (x, y) of the upright image.
            let (sx, sy): (Int, Int)
            switch orientation {
            case .up: (sx, sy) = (x, y)
            case .mirrored: (sx, sy) = (w - 1 - x, y)
            case .down: (sx, sy) = (w - 1 - x, h - 1 - y)
            case .downMirrored: (sx, sy) = (x, h - 1 - y)
            case .leftMirrored: (sx, sy) = (y, x)
            case .right: (sx, sy) = (y, h - 1 - x)
            case .rightMirrored: (sx, sy) = (w - 1 - y, h - 1 - x)
            case .left: (sx, sy) = (w - 1 - y, x)
            }
            let from = src + (sy * w + sx) * c, to = dst + (y * outW + x) * c
            for k in 0..<c { to[k] = from[k] }
          }
        }
      }
    }
    return Image(width: outW, height: outH, channels: c, pixels: out)
  }
}
