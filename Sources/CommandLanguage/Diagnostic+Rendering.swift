// Compiler-style rendering: the source line with a caret under the offending token.

extension Diagnostic {
  /// The report people read: headline, location, the source line and a caret under the token.
  ///
  /// ```
  /// error: unknown argument 'ptach' for occlusion
  ///  --> line 1, column 11
  ///   | occlusion ptach=32
  ///   |           ^^^^^ did you mean patch?
  /// ```
  /// Columns count code points, but the caret is placed by display width: an emoji is one
  /// character two cells wide, a combining accent adds nothing, a tab stays a tab.
  /// - Parameters:
  ///   - source: the text the diagnostic's range refers to (the whole cell).
  ///   - cell: the cell's execution count, shown in the location when given.
  public func rendered(in source: String, cell: Int? = nil) -> String {
    let text = SourceText(source)
    let line = min(max(range.line, 1), text.lineStarts.count)
    let bounds = text.bounds(ofLine: line)
    var lineText = text.text(ofLine: line)
    if lineText.unicodeScalars.last == "\r" { lineText.unicodeScalars.removeLast() }
    let start = max(range.column - 1, 0)
    let end = max(min(start + range.length, bounds.count), start + 1)
    let (pad, carets) = Self.underline(lineText, from: start, to: end)
    let place = cell.map { "cell \($0), " } ?? ""
    let tail = note.isEmpty ? "" : " " + note
    return """
      error: \(message)
       --> \(place)line \(range.line), column \(range.column)
        | \(lineText)
        | \(pad)\(String(repeating: "^", count: carets))\(tail)
      """
  }

  /// The indentation before the caret and the caret's width, for code points `start..<end`.
  static func underline(_ line: String, from start: Int, to end: Int) -> (String, Int) {
    var pad = ""
    var carets = 0
    var offset = 0
    for character in line {
      let next = offset + character.unicodeScalars.count
      if next <= start {
        pad += character == "\t" ? "\t" : String(repeating: " ", count: displayWidth(character))
      } else if offset < end {
        carets += displayWidth(character)
      }
      offset = next
    }
    return (pad, max(carets, 1))
  }

  /// Terminal cells a character takes: 2 for emoji and East Asian wide forms, 0 for format
  /// characters (zero-width joiners and spaces), else 1.
  static func displayWidth(_ character: Character) -> Int {
    guard let first = character.unicodeScalars.first else { return 0 }
    let p = first.properties
    if p.isEmojiPresentation || character.unicodeScalars.contains("\u{FE0F}") && p.isEmoji {
      return 2
    }
    if p.generalCategory == .format { return 0 }
    return isWide(first.value) ? 2 : 1
  }

  /// East Asian wide and fullwidth ranges (Hangul, CJK, fullwidth forms).
  private static func isWide(_ v: UInt32) -> Bool {
    (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) && v != 0x303F
      || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
      || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
      || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
  }
}
