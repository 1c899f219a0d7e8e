// Heatmaps drawn over photos: upsample, colour-map, blend.

/// How a colour-mapped heatmap is mixed into the photo under it.
public enum OverlayBlend: Sendable, Equatable {
  /// `out = (1 - a) * photo + a * colour` with `a = opacity * colormap alpha` (the alpha is 1
  /// for opaque colormaps; SHAP's map fades to 0 around zero).
  case alpha(Float)
  /// Like `alpha`, but an opaque colormap's alpha is the map position itself, so low values
  /// leave the photo visible and only the hot regions are tinted (transparent colormaps use
  /// their own alpha, which already follows the value).
  case followValue(Float)
  /// `out = clamp(image * photo + map * colour)`, OpenCV's `addWeighted` as tf-explain draws
  /// (`image` 0.7, `map` 1); the sum saturates at 255.
  case weighted(image: Float, map: Float)
}

extension Image {
  /// The photo with `map` colour-mapped and blended over it; the result is RGB, the photo's size.
  ///
  /// The raw map is upsampled to the photo (bilinear, half-pixel) before `scale` turns values
  /// into colormap positions, so clipping happens at display resolution.
  public func overlaid(
    with map: ScalarMap, scale: MapScale, colormap: Colormap, blend: OverlayBlend
  ) -> Image {
    let full =
      map.width == width && map.height == height ? map : map.upsampled(width: width, height: height)
    let positions = full.normalized(by: scale).values
    let photo = rgb()
    var out = [UInt8](repeating: 0, count: width * height * 3)
    let (mode, opacity, imageWeight) = Image.blendParameters(blend, colormap: colormap)
    colormap.table.withUnsafeBufferPointer { lut in
      photo.pixels.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
          let l = lut.baseAddress!
          let s = src.baseAddress!
          let d = dst.baseAddress!
          for p in 0..<positions.count {
            let t = positions[p]
            let e = l + Colormap.index(t) * 4
            let a: Float
            switch mode {
            case .lutAlpha: a = opacity * Float(e[3]) / 255
            case .position: a = opacity * t
            case .weighted: a = opacity
            }
            let keep = mode == .weighted ? imageWeight : 1 - a
            for c in 0..<3 {
              let v = keep * Float(s[p * 3 + c]) + a * Float(e[c])
              d[p * 3 + c] = UInt8(min(max(v, 0), 255).rounded())
            }
          }
        }
      }
    }
    return Image(width: width, height: height, channels: 3, pixels: out)
  }

  /// `overlaid(with:scale:colormap:blend:)` with a scale fitted to this map alone.
  public func overlaid(
    with map: ScalarMap, normalization: MapNormalization = .minMax, colormap: Colormap = .jet,
    blend: OverlayBlend = .alpha(0.5)
  ) -> Image {
    overlaid(
      with: map, scale: MapScale.fitting([map], normalization), colormap: colormap, blend: blend)
  }

  enum AlphaSource { case lutAlpha, position, weighted }

  /// The per-pixel alpha rule, the opacity and (for `weighted`) the photo's weight.
  static func blendParameters(_ blend: OverlayBlend, colormap: Colormap) -> (
    AlphaSource, Float, Float
  ) {
    switch blend {
    case .alpha(let opacity): return (.lutAlpha, opacity, 0)
    case .followValue(let opacity):
      return (colormap.hasTransparency ? .lutAlpha : .position, opacity, 0)
    case .weighted(let image, let map): return (.weighted, map, image)
    }
  }

  /// The picture as 3-channel RGB: grey is repeated, an alpha channel dropped.
  public func rgb() -> Image {
    switch channels {
    case 3: return self
    case 1:
      return Image(
        width: width, height: height, channels: 3, pixels: pixels.flatMap { [$0, $0, $0] })
    default:
      var out = [UInt8](repeating: 0, count: width * height * 3)
      for p in 0..<width * height {
        for c in 0..<3 { out[p * 3 + c] = pixels[p * 4 + c] }
      }
      return Image(width: width, height: height, channels: 3, pixels: out)
    }
  }

  /// A pale grey copy: luminance `0.2989 R + 0.5870 G + 0.1140 B` drawn at `opacity` over white,
  /// the backdrop SHAP's image plot puts under each map (opacity 0.15).
  public func fadedGrey(opacity: Float = 0.15) -> Image {
    let photo = rgb()
    var out = [UInt8](repeating: 0, count: width * height * 3)
    for p in 0..<width * height {
      let r = Float(photo.pixels[p * 3])
      let g = Float(photo.pixels[p * 3 + 1])
      let b = Float(photo.pixels[p * 3 + 2])
      let grey = 0.2989 * r + 0.5870 * g + 0.1140 * b
      let v = UInt8(min(max(opacity * grey + (1 - opacity) * 255, 0), 255).rounded())
      out[p * 3] = v
      out[p * 3 + 1] = v
      out[p * 3 + 2] = v
    }
    return Image(width: width, height: height, channels: 3, pixels: out)
  }
}

extension Colormap {
  /// The map's colours as an RGB image (each value through `scale`), composited over white
  /// where the colormap is transparent: how a map looks drawn on its own.
  public func render(_ map: ScalarMap, scale: MapScale) -> Image {
    let positions = map.normalized(by: scale).values
    var out = [UInt8](repeating: 0, count: positions.count * 3)
    for (p, t) in positions.enumerated() {
      let e = rgba(at: t)
      let a = Float(e.a) / 255
      for (c, v) in [e.r, e.g, e.b].enumerated() {
        out[p * 3 + c] = UInt8((a * Float(v) + (1 - a) * 255).rounded())
      }
    }
    return Image(width: map.width, height: map.height, channels: 3, pixels: out)
  }
}
