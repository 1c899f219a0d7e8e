// An RGB drawing surface for composing answers: fills, pasted pictures, rectangles and text.

/// An opaque 8-bit colour.
public struct RGB: Sendable, Hashable {
  public var r: UInt8
  public var g: UInt8
  public var b: UInt8

  /// A colour from its three channels.
  public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
    self.r = r
    self.g = g
    self.b = b
  }

  public static let white = RGB(255, 255, 255)
  public static let black = RGB(0, 0, 0)
  /// Caption text: dark grey, softer than black on white.
  public static let ink = RGB(34, 34, 34)
  /// Light grey for frames and separators.
  public static let rule = RGB(204, 204, 204)
}

/// A pixel rectangle: origin at the top-left, `x` to the right, `y` down.
public struct PixelRect: Sendable, Hashable {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int

  /// A rectangle from its origin and size.
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }
}

/// A 3-channel image being drawn on; drawing outside its bounds is clipped.
public struct Canvas: Sendable {
  /// The picture so far (RGB).
  public private(set) var image: Image

  /// A `width` x `height` canvas filled with `background`.
  public init(width: Int, height: Int, background: RGB = .white) {
    precondition(width > 0 && height > 0, "a canvas has at least one pixel")
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for p in 0..<width * height {
      pixels[p * 3] = background.r
      pixels[p * 3 + 1] = background.g
      pixels[p * 3 + 2] = background.b
    }
    image = Image(width: width, height: height, channels: 3, pixels: pixels)
  }

  public var width: Int { image.width }
  public var height: Int { image.height }

  /// The colour at column `x`, row `y`.
  public subscript(x: Int, y: Int) -> RGB {
    let at = (y * image.width + x) * 3
    return RGB(image.pixels[at], image.pixels[at + 1], image.pixels[at + 2])
  }

  /// The part of `rect` inside the canvas, or nil when nothing is.
  func clipped(_ rect: PixelRect) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
    let x0 = max(rect.x, 0)
    let y0 = max(rect.y, 0)
    let x1 = min(rect.x + rect.width, image.width)
    let y1 = min(rect.y + rect.height, image.height)
    return x0 < x1 && y0 < y1 ? (x0, y0, x1, y1) : nil
  }

  /// Paints `rect` with `color`.
  public mutating func fill(_ rect: PixelRect, _ color: RGB) {
    guard let (x0, y0, x1, y1) = clipped(rect) else { return }
    let w = image.width
    image.pixels.withUnsafeMutableBufferPointer { buffer in
      let p = buffer.baseAddress!
      for y in y0..<y1 {
        for x in x0..<x1 {
          let at = (y * w + x) * 3
          p[at] = color.r
          p[at + 1] = color.g
          p[at + 2] = color.b
        }
      }
    }
  }

  /// Draws the outline of `rect`, `thickness` pixels wide, inside its bounds.
  public mutating func stroke(_ rect: PixelRect, _ color: RGB, thickness: Int = 1) {
    let t = min(thickness, rect.width, rect.height)
    fill(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: t), color)
    fill(PixelRect(x: rect.x, y: rect.y + rect.height - t, width: rect.width, height: t), color)
    fill(PixelRect(x: rect.x, y: rect.y, width: t, height: rect.height), color)
    fill(PixelRect(x: rect.x + rect.width - t, y: rect.y, width: t, height: rect.height), color)
  }

  /// Copies `picture` with its top-left corner at (`x`, `y`); grey is repeated, alpha dropped.
  public mutating func paste(_ picture: Image, x: Int, y: Int) {
    let source = picture.rgb()
    guard
      let (x0, y0, x1, y1) = clipped(
        PixelRect(x: x, y: y, width: source.width, height: source.height))
    else { return }
    let w = image.width
    let sw = source.width
    source.pixels.withUnsafeBufferPointer { src in
      image.pixels.withUnsafeMutableBufferPointer { dst in
        let s = src.baseAddress!
        let d = dst.baseAddress!
        for row in y0..<y1 {
          let from = s + ((row - y) * sw + (x0 - x)) * 3
          (d + (row * w + x0) * 3).update(from: from, count: (x1 - x0) * 3)
        }
      }
    }
  }
}

extension Canvas {
  /// Writes `text` with the top-left of its first glyph cell at (`x`, `y`).
  ///
  /// With a `background`, a box `padding` pixels larger than the text on each side is filled
  /// first (at (`x` - padding, `y` - padding)), so captions stay legible over pictures.
  public mutating func draw(
    _ text: String, x: Int, y: Int, font: BitmapFont = BitmapFont(), color: RGB = .ink,
    background: RGB? = nil, padding: Int = 0
  ) {
    if let background {
      fill(textBox(text, x: x, y: y, font: font, padding: padding), background)
    }
    let s = font.scale
    for (i, c) in text.enumerated() {
      let bits = BitmapFont.glyph(c)
      guard bits != 0 else { continue }
      let left = x + i * BitmapFont.advance * s
      for row in 0..<BitmapFont.cellHeight {
        for column in 0..<BitmapFont.glyphWidth
        where bits >> (row * BitmapFont.glyphWidth + BitmapFont.glyphWidth - 1 - column) & 1 == 1 {
          fill(PixelRect(x: left + column * s, y: y + row * s, width: s, height: s), color)
        }
      }
    }
  }

  /// The box `draw(_:x:y:font:color:background:padding:)` fills behind `text`.
  public func textBox(_ text: String, x: Int, y: Int, font: BitmapFont, padding: Int) -> PixelRect {
    // The advance leaves one blank column after the last glyph: trim it for a centred box.
    let inkWidth = max(font.width(of: text) - font.scale, 0)
    return PixelRect(
      x: x - padding, y: y - padding, width: inkWidth + 2 * padding,
      height: font.lineHeight + 2 * padding)
  }

  /// Writes `text` centred horizontally on `centerX`, its cell top at `y`.
  public mutating func draw(
    _ text: String, centeredAt centerX: Int, y: Int, font: BitmapFont = BitmapFont(),
    color: RGB = .ink
  ) {
    let inkWidth = max(font.width(of: text) - font.scale, 0)
    draw(text, x: centerX - inkWidth / 2, y: y, font: font, color: color)
  }
}
