// Grids of captioned panels and vertical stacks: how several pictures become one answer.

/// A picture with caption lines drawn above it (class and probability, layer name, channel).
public struct Panel: Sendable {
  public var image: Image
  /// Lines drawn centred above the picture, top first; may be empty.
  public var caption: [String]

  /// A panel; `caption` is split into lines at newlines.
  public init(_ image: Image, caption: String = "") {
    self.image = image
    self.caption =
      caption.isEmpty
      ? [] : caption.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }
}

/// Spacing and lettering of a grid.
public struct GridStyle: Sendable {
  /// Blank border around the whole grid.
  public var margin: Int
  /// Blank space between panels, across and down.
  public var gap: Int
  /// Space between a caption and its picture.
  public var captionGap: Int
  public var font: BitmapFont
  public var background: RGB
  public var textColor: RGB

  /// A style; the defaults suit panels of about 100-300 pixels.
  public init(
    margin: Int = 8, gap: Int = 8, captionGap: Int = 4, font: BitmapFont = BitmapFont(),
    background: RGB = .white, textColor: RGB = .ink
  ) {
    self.margin = margin
    self.gap = gap
    self.captionGap = captionGap
    self.font = font
    self.background = background
    self.textColor = textColor
  }
}

/// Where a grid puts things: column widths, row heights and each cell's picture origin.
public struct GridGeometry: Sendable, Equatable {
  public var columnWidths: [Int]
  /// Height of each row's caption band (the most caption lines in the row, plus the gap).
  public var captionHeights: [Int]
  /// Height of each row's tallest picture.
  public var imageHeights: [Int]
  public var width: Int
  public var height: Int

  /// Lays out `rows` (rows may have different lengths) under `style`.
  public init(_ rows: [[Panel]], style: GridStyle) {
    let columns = rows.map(\.count).max() ?? 0
    columnWidths = (0..<columns).map { c in
      rows.compactMap { $0.count > c ? $0[c].image.width : nil }.max() ?? 0
    }
    captionHeights = rows.map { row in
      let lines = row.map(\.caption.count).max() ?? 0
      return lines == 0 ? 0 : lines * style.font.lineHeight + style.captionGap
    }
    imageHeights = rows.map { row in row.map(\.image.height).max() ?? 0 }
    let inner = { (sizes: [Int]) in sizes.reduce(0, +) + max(sizes.count - 1, 0) * style.gap }
    width = 2 * style.margin + inner(columnWidths)
    height = 2 * style.margin + inner(zip(captionHeights, imageHeights).map { $0 + $1 })
  }

  /// The top-left corner of the cell in row `r`, column `c` (its caption band starts there).
  public func cellOrigin(row r: Int, column c: Int, style: GridStyle) -> (x: Int, y: Int) {
    let x = style.margin + columnWidths[..<c].reduce(0, +) + c * style.gap
    let y =
      style.margin + (0..<r).map { captionHeights[$0] + imageHeights[$0] }.reduce(0, +)
      + r * style.gap
    return (x, y)
  }
}

/// Draws rows of panels: each caption centred over its picture, pictures centred in their cells.
public func composeGrid(_ rows: [[Panel]], style: GridStyle = GridStyle()) -> Image {
  let geometry = GridGeometry(rows, style: style)
  var canvas = Canvas(
    width: max(geometry.width, 1), height: max(geometry.height, 1), background: style.background)
  for (r, row) in rows.enumerated() {
    for (c, panel) in row.enumerated() {
      let (x, y) = geometry.cellOrigin(row: r, column: c, style: style)
      let cellWidth = geometry.columnWidths[c]
      let centre = x + cellWidth / 2
      for (i, line) in panel.caption.enumerated() {
        let text = fitted(line, width: cellWidth, font: style.font)
        canvas.draw(
          text, centeredAt: centre, y: y + i * style.font.lineHeight, font: style.font,
          color: style.textColor)
      }
      let top = y + geometry.captionHeights[r]
      canvas.paste(
        panel.image, x: x + (cellWidth - panel.image.width) / 2,
        y: top + (geometry.imageHeights[r] - panel.image.height) / 2)
    }
  }
  return canvas.image
}

/// `text` shortened with a trailing `..` so that it fits in `width` pixels.
public func fitted(_ text: String, width: Int, font: BitmapFont) -> String {
  guard font.width(of: text) - font.scale > width else { return text }
  var kept = text
  while !kept.isEmpty && font.width(of: kept + "..") - font.scale > width { kept.removeLast() }
  return kept + ".."
}

/// Stacks pictures top to bottom, each centred, `gap` pixels apart, on `background`.
public func stackVertically(_ images: [Image], gap: Int = 8, background: RGB = .white) -> Image {
  let width = images.map(\.width).max() ?? 1
  let height = images.map(\.height).reduce(0, +) + max(images.count - 1, 0) * gap
  var canvas = Canvas(width: max(width, 1), height: max(height, 1), background: background)
  var y = 0
  for image in images {
    canvas.paste(image, x: (width - image.width) / 2, y: y)
    y += image.height + gap
  }
  return canvas.image
}
