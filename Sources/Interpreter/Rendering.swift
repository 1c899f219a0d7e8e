// Maps drawn over photos, with their caption inside the picture so it keeps the photo's size.
import Attribution
import Engine
import Imaging

/// How a raw map becomes a picture.
struct MapStyle {
  var normalization: MapNormalization
  var colormap: Colormap
  var blend: OverlayBlend
}

/// Turning maps into pictures and pictures into output bundles.
enum Rendering {
  /// Where the model's input lies on the photo: all of it (squash) or the centre crop.
  static func inputRegion(of photo: Image, input: (height: Int, width: Int), mode: ResizeMode)
    -> PixelRect
  {
    guard mode == .crop else {
      return PixelRect(x: 0, y: 0, width: photo.width, height: photo.height)
    }
    let layout = CropLayout(
      sourceWidth: photo.width, sourceHeight: photo.height, width: input.width,
      height: input.height)
    let sx = Double(photo.width) / Double(layout.resizedWidth)
    let sy = Double(photo.height) / Double(layout.resizedHeight)
    let x = Int((Double(layout.left) * sx).rounded())
    let y = Int((Double(layout.top) * sy).rounded())
    return PixelRect(
      x: x, y: y, width: min(photo.width - x, max(1, Int((Double(input.width) * sx).rounded()))),
      height: min(photo.height - y, max(1, Int((Double(input.height) * sy).rounded()))))
  }

  /// The photo with `map` drawn over `region` (the model input's footprint).
  static func overlay(
    _ photo: Image, map: ScalarMap, scale: MapScale, style: MapStyle, region: PixelRect
  ) -> Image {
    let full =
      region.x == 0 && region.y == 0 && region.width == photo.width
      && region.height == photo.height
    if full {
      return photo.overlaid(with: map, scale: scale, colormap: style.colormap, blend: style.blend)
    }
    let inside = cropped(photo, to: region).overlaid(
      with: map, scale: scale, colormap: style.colormap, blend: style.blend)
    var canvas = Canvas(width: photo.width, height: photo.height)
    canvas.paste(photo, x: 0, y: 0)
    canvas.paste(inside, x: region.x, y: region.y)
    return canvas.image
  }

  /// The pixels of `rect` (which lies inside the image).
  static func cropped(_ image: Image, to rect: PixelRect) -> Image {
    let source = image.rgb()
    var pixels = [UInt8](repeating: 0, count: rect.width * rect.height * 3)
    for row in 0..<rect.height {
      let from = ((rect.y + row) * source.width + rect.x) * 3
      for i in 0..<(rect.width * 3) { pixels[row * rect.width * 3 + i] = source.pixels[from + i] }
    }
    return Image(width: rect.width, height: rect.height, channels: 3, pixels: pixels)
  }

  /// The picture with `caption` written in a darkened band across its top; same size.
  static func captioned(_ picture: Image, _ caption: String) -> Image {
    let font = BitmapFont(scale: picture.width >= 400 ? 2 : 1)
    let pad = 2 * font.scale
    let band = min(picture.height, font.lineHeight + 2 * pad)
    var pixels = picture.rgb().pixels
    // Darken the band to 35 % so white text reads over any picture.
    for i in 0..<(band * picture.width * 3) { pixels[i] = UInt8(Int(pixels[i]) * 35 / 100) }
    var canvas = Canvas(width: picture.width, height: picture.height)
    canvas.paste(
      Image(width: picture.width, height: picture.height, channels: 3, pixels: pixels), x: 0, y: 0)
    let text = fitted(caption, width: picture.width - 2 * pad, font: font)
    canvas.draw(text, x: pad, y: pad, font: font, color: .white)
    return canvas.image
  }

  /// The picture with a dark band added below it, `note` written in it in white: a warning that
  /// must not hide any of the picture (a layout's colour bar and labels run to its bottom edge).
  static func footed(_ picture: Image, _ note: String) -> Image {
    let font = BitmapFont(scale: picture.width >= 400 ? 2 : 1)
    let pad = 2 * font.scale
    let band = font.lineHeight + 2 * pad
    var canvas = Canvas(width: picture.width, height: picture.height + band)
    canvas.paste(picture.rgb(), x: 0, y: 0)
    canvas.paste(
      Image(
        width: picture.width, height: band, channels: 3,
        pixels: [UInt8](repeating: 48, count: picture.width * band * 3)),
      x: 0, y: picture.height)
    let text = fitted(note, width: picture.width - 2 * pad, font: font)
    canvas.draw(text, x: pad, y: picture.height + pad, font: font, color: .white)
    return canvas.image
  }

  /// Panels side by side on white, `gap` pixels apart (one panel is returned as is).
  static func sideBySide(_ panels: [Image], gap: Int = 8) -> Image {
    guard panels.count > 1 else { return panels[0] }
    let width = panels.map(\.width).reduce(0, +) + gap * (panels.count - 1)
    let height = panels.map(\.height).max() ?? 1
    var canvas = Canvas(width: width, height: height)
    var x = 0
    for panel in panels {
      canvas.paste(panel, x: x, y: 0)
      x += panel.width + gap
    }
    return canvas.image
  }

  /// A 2-D map `[h, w]` (or the last two axes of a larger one) as a ``ScalarMap``.
  static func scalarMap(_ tensor: Tensor) -> ScalarMap {
    let s = tensor.shape
    let (h, w) = (s[s.count - 2], s[s.count - 1])
    return ScalarMap(width: w, height: h, values: Array(tensor.storage.prefix(h * w)))
  }

  /// A picture as a display bundle: PNG plus one line of text, and empty metadata (the PNG
  /// carries its own size; Jupyter front ends then show it at its natural size).
  static func bundle(_ picture: Image, png: [UInt8], caption: String) -> MIMEBundle {
    MIMEBundle(data: ["image/png": .binary(png), "text/plain": .text(caption)])
  }
}
