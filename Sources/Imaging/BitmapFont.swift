// A small pixel font for captions and colour-bar labels, shipped as source so that pictures look
// the same on every machine and no system font is needed.

/// A fixed-advance bitmap font for printable ASCII, drawn at integer scales.
///
/// Each glyph is `glyphWidth` x `cellHeight` pixels at scale 1 and advances `advance` pixels
/// (one blank column between letters). Characters outside ASCII 32-126 draw as `?`.
public struct BitmapFont: Sendable {
  /// Ink columns of a glyph.
  public static let glyphWidth = 5
  /// Horizontal distance from one character to the next, at scale 1.
  public static let advance = 6
  /// Rows above the baseline (capitals and digits).
  public static let ascent = 7
  /// Rows of a glyph cell, descenders included.
  public static let cellHeight = 9

  /// The pixel size multiplier (1: 6x9 cells, 2: 12x18).
  public var scale: Int

  /// A font drawn at `scale` (1 or more).
  public init(scale: Int = 1) {
    precondition(scale >= 1, "font scale must be at least 1")
    self.scale = scale
  }

  /// The width of `text` in pixels: one advance per character.
  public func width(of text: String) -> Int { text.count * BitmapFont.advance * scale }

  /// The height of a line of text in pixels (the glyph cell, descenders included).
  public var lineHeight: Int { BitmapFont.cellHeight * scale }

  /// Whether glyph `c` has ink at column `x` (0..<5), row `y` (0..<9), at scale 1.
  public static func ink(_ c: Character, x: Int, y: Int) -> Bool {
    let rows = glyph(c)
    return rows >> (y * glyphWidth + (glyphWidth - 1 - x)) & 1 == 1
  }

  /// The glyph bits for a character: row-major from the top, 5 bits a row, leftmost high.
  public static func glyph(_ c: Character) -> UInt64 {
    guard let a = c.asciiValue, a >= 32, a <= 126 else { return glyphs[63 - 32] }  // '?'
    return glyphs[Int(a) - 32]
  }

  /// Every glyph, parsed once from `glyphArt`, indexed by ASCII code - 32.
  static let glyphs: [UInt64] = glyphArt.enumerated().map { index, line in
    let chars = Array(line)
    precondition(chars[0].asciiValue == UInt8(index + 32), "glyph \(index + 32) out of order")
    let rows = line.dropFirst(2).split(separator: " ")
    precondition(rows.count <= cellHeight && rows.allSatisfy { $0.count == glyphWidth })
    var bits: UInt64 = 0
    for (y, row) in rows.enumerated() {
      for (x, pixel) in row.enumerated() where pixel == "#" {
        bits |= 1 << UInt64(y * glyphWidth + (glyphWidth - 1 - x))
      }
    }
    return bits
  }
}
