// Source positions: what diagnostics show people and what completion computes with.

/// Where a piece of source text lies: a line and column to show, an offset to compute with.
///
/// Lines and columns count from 1; offsets, columns and lengths count Unicode code points
/// (scalars), the unit Jupyter front ends use for cursor positions. An emoji such as 👍🏽 is one
/// character to a reader but two code points here.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
  /// Code points before the range, counted from the start of the whole source.
  public var offset: Int
  /// Line of the first code point, from 1.
  public var line: Int
  /// Column of the first code point within its line, from 1.
  public var column: Int
  /// Code points covered (0 for an empty position).
  public var length: Int

  /// A range at an explicit place; the default is the empty range at the very start.
  public init(offset: Int = 0, line: Int = 1, column: Int = 1, length: Int = 0) {
    self.offset = offset
    self.line = line
    self.column = column
    self.length = length
  }

  /// Offset just past the last code point.
  public var end: Int { offset + length }

  /// `line L, column C`, as diagnostics print it.
  public var description: String { "line \(line), column \(column)" }
}

/// A source split into code points and lines, with offset to line/column conversion.
struct SourceText {
  let scalars: [Unicode.Scalar]
  /// Offset of the first code point of each line; lines end at "\n" only ("\r" is a space).
  let lineStarts: [Int]

  init(_ source: String) {
    scalars = Array(source.unicodeScalars)
    var starts = [0]
    for (i, s) in scalars.enumerated() where s == "\n" { starts.append(i + 1) }
    lineStarts = starts
  }

  var count: Int { scalars.count }

  /// The 1-based line holding `offset` (an offset at the end belongs to the last line).
  func line(of offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {  // the last start <= offset
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low + 1
  }

  /// The range of `length` code points from `offset`.
  func range(_ offset: Int, length: Int) -> SourceRange {
    let line = line(of: offset)
    return SourceRange(
      offset: offset, line: line, column: offset - lineStarts[line - 1] + 1, length: length)
  }

  /// The range from `start` up to (not including) `end`.
  func range(from start: Int, to end: Int) -> SourceRange { range(start, length: end - start) }

  /// Code point offsets of a line's text, without its "\n".
  func bounds(ofLine line: Int) -> Range<Int> {
    let start = lineStarts[line - 1]
    let end = line < lineStarts.count ? lineStarts[line] - 1 : scalars.count
    return start..<end
  }

  /// The text of a 1-based line, without its "\n".
  func text(ofLine line: Int) -> String { string(bounds(ofLine: line)) }

  /// The text of a code point range.
  func string(_ range: Range<Int>) -> String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[range])
    return String(view)
  }
}
