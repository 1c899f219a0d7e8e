// Source text to tokens: words, quoted strings, `=`, `,` and line ends.

/// One token of the source, with its range.
struct Token: Equatable {
  enum Kind: Equatable {
    /// A bare word (numbers included: the parser classifies them).
    case word(String)
    /// A quoted string, escapes resolved; `closed` is false only when lexing tolerantly.
    case quoted(String, closed: Bool)
    case equals
    case comma
    /// The end of a logical line (a "\n" not escaped by a trailing backslash).
    case newline
    /// Text that is no token (tolerant lexing only).
    case invalid
  }

  var kind: Kind
  var range: SourceRange
}

/// Splits source into tokens; comments and continued line breaks leave no token.
///
/// Strict lexing throws the first `Diagnostic`; tolerant lexing (for completion and inspection
/// of half-typed input) never throws: it marks bad text `.invalid` and leaves quotes open.
struct Lexer {
  let text: SourceText
  let strict: Bool
  var index = 0
  private(set) var tokens: [Token] = []
  /// Code point ranges of `#` comments (through the end of their line).
  private(set) var comments: [Range<Int>] = []

  init(_ text: SourceText, strict: Bool) {
    self.text = text
    self.strict = strict
  }

  /// Every token of a source, or its first lexical error.
  static func tokens(_ text: SourceText) throws(Diagnostic) -> [Token] {
    var lexer = Lexer(text, strict: true)
    try lexer.run()
    return lexer.tokens
  }

  /// The tokens of possibly broken input, plus comment ranges, up to the end of the line that
  /// holds `offset` (completion and inspection need no more: this keeps them linear).
  static func tolerantTokens(_ text: SourceText, throughLineOf offset: Int) -> Lexer {
    var lexer = Lexer(text, strict: false)
    do { try lexer.run(until: offset) } catch {
      preconditionFailure("tolerant lexing threw \(error)")
    }
    return lexer
  }

  private var scalars: [Unicode.Scalar] { text.scalars }

  /// Lexes to the end, or to the first line end at or after `limit`.
  mutating func run(until limit: Int = .max) throws(Diagnostic) {
    while index < scalars.count {
      if index > limit, tokens.last?.kind == .newline { return }
      let s = scalars[index]
      switch s {
      case "\n":
        emit(.newline, from: index, to: index + 1)
        index += 1
      case "#":
        let start = index
        while index < scalars.count && scalars[index] != "\n" { index += 1 }
        comments.append(start..<index)
      case "\\": try continuation()
      case "\"", "'": try quoted(s)
      case "=":
        emit(.equals, from: index, to: index + 1)
        index += 1
      case ",":
        emit(.comma, from: index, to: index + 1)
        index += 1
      case _ where s.isHorizontalSpace: index += 1
      case _ where s.isWordCharacter: word()
      default:
        let length = graphemeLength(at: index)
        if strict {
          let shown = text.string(index..<index + length).unicodeScalars
            .map(\.escapedForMessage).joined()
          throw Diagnostic(
            .unexpectedCharacter, "unexpected character '\(shown)'",
            at: text.range(index, length: length), label: "quote values that contain it")
        }
        emit(.invalid, from: index, to: index + length)
        index += length
      }
    }
  }

  /// Code points of the character (grapheme cluster) starting at `offset`: 👍🏽 is two.
  private func graphemeLength(at offset: Int) -> Int {
    let window = text.string(offset..<min(offset + 32, text.count))
    return max(window.first?.unicodeScalars.count ?? 1, 1)
  }

  private mutating func emit(_ kind: Token.Kind, from start: Int, to end: Int) {
    tokens.append(Token(kind: kind, range: text.range(from: start, to: end)))
  }

  private mutating func word() {
    let start = index
    while index < scalars.count && scalars[index].isWordCharacter { index += 1 }
    emit(.word(text.string(start..<index)), from: start, to: index)
  }

  /// After a backslash outside quotes: spaces, then a line break (joined) or the end (incomplete).
  private mutating func continuation() throws(Diagnostic) {
    let start = index
    var next = index + 1
    while next < scalars.count && scalars[next].isHorizontalSpace { next += 1 }
    if next < scalars.count && scalars[next] == "\n" {
      index = next + 1
    } else if next == scalars.count {
      if strict {
        throw Diagnostic(
          .danglingContinuation, "the last line ends in '\\'", at: text.range(start, length: 1),
          label: "a continued line needs a next line")
      }
      index = next
    } else {
      if strict {
        throw Diagnostic(
          .unexpectedCharacter, "unexpected character '\\'", at: text.range(start, length: 1),
          label: "'\\' continues a line only at its end; quote values that contain it")
      }
      emit(.invalid, from: start, to: start + 1)
      index = start + 1
    }
  }

  /// A string in `quote`s: escapes resolved, line breaks kept, `\` + line break joins lines.
  private mutating func quoted(_ quote: Unicode.Scalar) throws(Diagnostic) {
    let start = index
    var content = String.UnicodeScalarView()
    index += 1
    while index < scalars.count {
      let s = scalars[index]
      if s == quote {
        index += 1
        emit(.quoted(String(content), closed: true), from: start, to: index)
        return
      }
      if s == "\\" {
        try escape(into: &content)
      } else {
        content.append(s)
        index += 1
      }
    }
    if strict {
      throw Diagnostic(
        .unterminatedString, "unterminated string", at: text.range(start, length: 1),
        label: "no closing \(quote == "\"" ? "double" : "single") quote")
    }
    emit(.quoted(String(content), closed: false), from: start, to: index)
  }
}

extension Unicode.Scalar {
  /// Characters of bare words: letters, marks, digits and `_ - . / + : ~` (paths, layer names
  /// such as `block14_sepconv2_act` and `/features/0/Conv_output_0`, methods like `gradcam++`).
  var isWordCharacter: Bool {
    switch properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
      return true
    default:
      return "_-./+:~".unicodeScalars.contains(self)
    }
  }

  /// White space other than the line break "\n" ("\r" of CRLF counts as a space).
  var isHorizontalSpace: Bool { self != "\n" && properties.isWhitespace }

  /// The scalar as a message shows it: control characters escaped.
  var escapedForMessage: String {
    properties.generalCategory == .control
      ? "\\u{\(String(value, radix: 16, uppercase: true))}" : String(self)
  }
}
