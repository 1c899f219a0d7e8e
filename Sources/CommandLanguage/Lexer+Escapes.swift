// Backslash escapes inside quoted strings.

extension Lexer {
  /// Escapes a quoted string understands, beyond `\u{...}`.
  static let simpleEscapes: [Unicode.Scalar: Unicode.Scalar] = [
    "\\": "\\", "\"": "\"", "'": "'", "n": "\n", "t": "\t", "r": "\r", "0": "\0",
  ]

  /// Resolves the escape at `index` (a backslash) into `content` and moves past it.
  mutating func escape(into content: inout String.UnicodeScalarView) throws(Diagnostic) {
    let start = index
    guard start + 1 < text.count else {  // a lone backslash before the end: still open
      index = start + 1
      return
    }
    let s = text.scalars[start + 1]
    if let resolved = Self.simpleEscapes[s] {
      content.append(resolved)
      index = start + 2
    } else if s == "\n" {  // a continued line inside quotes: the break disappears
      index = start + 2
    } else if s == "\r", start + 2 < text.count, text.scalars[start + 2] == "\n" {
      index = start + 3
    } else if s == "u", let (scalar, end) = unicodeEscape(at: start + 2) {
      content.append(scalar)
      index = end
    } else {
      if strict {
        let length = s == "u" ? unicodeEscapeLength(at: start) : 2
        throw Diagnostic(
          .invalidEscape, "invalid escape '\(text.string(start..<start + length))' in string",
          at: text.range(start, length: length),
          label: #"use \\, \", \', \n, \t, \r, \0 or \u{HEX}"#)
      }
      content.append("\\")  // tolerant: keep the text as typed
      index = start + 1
    }
  }

  /// `{HEX}` at `offset`: the scalar and the offset after the closing brace.
  private func unicodeEscape(at offset: Int) -> (Unicode.Scalar, Int)? {
    guard offset < text.count, text.scalars[offset] == "{" else { return nil }
    var end = offset + 1
    while end < text.count, end - offset <= 9, text.scalars[end].properties.isASCIIHexDigit {
      end += 1
    }
    guard end < text.count, text.scalars[end] == "}", end > offset + 1,
      let value = UInt32(text.string(offset + 1..<end), radix: 16),
      let scalar = Unicode.Scalar(value)
    else { return nil }
    return (scalar, end + 1)
  }

  /// How much of a bad `\u...` escape to underline: through its `}` on the same line, if any.
  private func unicodeEscapeLength(at start: Int) -> Int {
    var end = start + 2
    while end < text.count, end - start < 14, text.scalars[end] != "\n" {
      end += 1
      if text.scalars[end - 1] == "}" { return end - start }
    }
    return 2
  }
}
