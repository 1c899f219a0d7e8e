// The figures explanations are shown in: SHAP's image plot, tf-explain's captioned overlays,
// and a grid of activation maps.

/// A map explaining one class (or one layer), with the caption drawn above its panel.
public struct CaptionedMap: Sendable {
  /// The caption (`tabby 0.62`, `block5_conv3`); newlines start new lines.
  public var caption: String
  public var map: ScalarMap

  /// A map and its caption.
  public init(_ caption: String, _ map: ScalarMap) {
    self.caption = caption
    self.map = map
  }
}

/// One row of SHAP's image plot: the photo, then one map per ranked class.
public struct SHAPRow: Sendable {
  public var photo: Image
  public var classes: [CaptionedMap]

  /// A photo and its class maps, best class first.
  public init(photo: Image, classes: [CaptionedMap]) {
    self.photo = photo
    self.classes = classes
  }
}

/// Builders for the figures Glimpse answers with.
public enum Layout {
  /// SHAP's image plot (shap.image_plot): per row the photo, then per class its map in red
  /// (positive) and blue (negative) over a faded grey copy of the photo, the class name above;
  /// a shared colour bar labelled `SHAP value` below.
  ///
  /// One symmetric scale, ±(the `percentile` of every |value| shown), serves all panels so the
  /// single colour bar is true for each (SHAP picks 99.9 per row and labels the bar with the
  /// last row's).
  /// - Parameter panelHeight: photos and maps are drawn this tall (aspect kept); nil keeps
  ///   each photo's size.
  public static func shap(
    _ rows: [SHAPRow], panelHeight: Int? = 224, percentile: Double = 99.9,
    label: String = "SHAP value", style: GridStyle = Layout.captionStyle
  ) -> Image {
    let maps = rows.flatMap { $0.classes.map(\.map) }
    let scale = MapScale.fitting(maps, .symmetric(percentile: percentile))
    let grid = rows.map { row -> [Panel] in
      let photo = row.photo.fitted(height: panelHeight)
      let backdrop = photo.fadedGrey(opacity: 0.15)
      return [Panel(photo)]
        + row.classes.map { entry in
          let drawn = backdrop.overlaid(
            with: entry.map, scale: scale, colormap: .redTransparentBlue, blend: .alpha(1))
          return Panel(drawn, caption: entry.caption)
        }
    }
    let figure = composeGrid(grid, style: style)
    let bar = ColorBar(
      colormap: .redTransparentBlue, scale: scale, label: label,
      width: max(figure.width * 3 / 5, 2), barHeight: 4 * style.font.scale + 4, font: style.font)
    var canvas = Canvas(
      width: figure.width, height: figure.height + bar.height + style.margin,
      background: style.background)
    canvas.paste(figure, x: 0, y: 0)
    canvas.paste(bar.render(), x: (figure.width - bar.width) / 2, y: figure.height)
    return canvas.image
  }

  /// tf-explain's display: per class the map colour-mapped and blended over the photo, its
  /// caption above, panels side by side.
  ///
  /// tf-explain normalises each map to its own min...max, colours it with viridis and adds it
  /// to 0.7 x the photo (OpenCV `addWeighted`); these are the defaults.
  public static func heatmapPanels(
    photo: Image, maps: [CaptionedMap], panelHeight: Int? = 224,
    normalization: MapNormalization = .minMax, colormap: Colormap = .viridis,
    blend: OverlayBlend = .weighted(image: 0.7, map: 1), style: GridStyle = Layout.captionStyle
  ) -> Image {
    let base = photo.fitted(height: panelHeight)
    let panels = maps.map { entry in
      Panel(
        base.overlaid(
          with: entry.map, normalization: normalization, colormap: colormap, blend: blend),
        caption: entry.caption)
    }
    return composeGrid([panels], style: style)
  }

  /// Activation maps as a grid of small tiles captioned with their channel index, each map
  /// stretched over its own min...max.
  /// - Parameters:
  ///   - channels: the caption index of each map (same count as `maps`).
  ///   - columns: tiles per row; by default about the square root of the count.
  ///   - tileSize: each map is upsampled (bilinear) to this width, height in proportion.
  public static func activationGrid(
    _ maps: [ScalarMap], channels: [Int], columns: Int? = nil, tileSize: Int = 64,
    colormap: Colormap = .viridis, style: GridStyle = GridStyle(margin: 6, gap: 6, captionGap: 2)
  ) -> Image {
    precondition(maps.count == channels.count, "one channel index per map")
    precondition(tileSize > 0, "tiles need a size")
    let perRow = max(columns ?? Int(Double(maps.count).squareRoot().rounded(.up)), 1)
    let panels = zip(maps, channels).map { map, channel in
      let height = max(Int((Double(tileSize * map.height) / Double(map.width)).rounded()), 1)
      let tile = map.upsampled(width: tileSize, height: height)
      return Panel(
        colormap.render(tile, scale: MapScale.fitting([map], .minMax)), caption: "ch \(channel)")
    }
    let rows = stride(from: 0, to: panels.count, by: perRow).map {
      Array(panels[$0..<min($0 + perRow, panels.count)])
    }
    return composeGrid(rows, style: style)
  }

  /// Captions at twice the font's size: legible under panels about 224 pixels tall.
  public static let captionStyle = GridStyle(
    margin: 12, gap: 12, captionGap: 6, font: BitmapFont(scale: 2))
}

extension Image {
  /// The picture scaled to `height` rows with its aspect kept (area-averaged when shrinking,
  /// bilinear when enlarging); itself when `height` is nil or already met.
  public func fitted(height target: Int?) -> Image {
    guard let target, target != height, width > 0, height > 0 else { return self }
    let w = max(Int((Double(width * target) / Double(height)).rounded()), 1)
    let interpolation: Interpolation = target < height ? .area : .bilinear
    return resized(width: w, height: target, interpolation: interpolation).roundedImage()
  }
}
