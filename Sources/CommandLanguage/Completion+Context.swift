// What the cursor is in: a verb, an argument name, a value after `key=`, a positional value.

/// The grammatical place of a cursor, worked out from tolerant tokens.
struct CursorContext {
  enum Place {
    /// The command name at the start of a line.
    case verb
    /// A fresh word after the verb: an argument name, or the positional value at `index`.
    case argumentOrPositional(CommandSpec, index: Int, given: Set<String>)
    /// The value (or list item) after `key=`.
    case value(CommandSpec, ArgumentSpec)
    /// An item after a comma in a positional list.
    case positionalItem(CommandSpec, index: Int)
    /// Nowhere completion helps: a comment, after an unknown verb, after a closed quote.
    case nowhere
  }

  var place: Place
  /// The text typed so far (inside quotes: after the opening quote, escapes as typed).
  var prefix: String
  /// Where the replaced text starts; it ends at the cursor.
  var start: Int
  /// Whether the cursor is inside a quoted string.
  var inQuotes: Bool

  /// The context of `cursor` (code points, clamped to the source) in `source`.
  init(_ text: SourceText, cursor: Int, catalog: Catalog) {
    let lexed = Lexer.tolerantTokens(text, throughLineOf: cursor)
    let before = lexed.tokens.filter { $0.range.offset < cursor }
    let lineStart = (before.lastIndex { $0.kind == .newline }).map { $0 + 1 } ?? 0
    var tokens = Array(before[lineStart...])
    (place, prefix, start, inQuotes) = (.nowhere, "", cursor, false)
    if lexed.comments.contains(where: { $0.lowerBound < cursor && cursor <= $0.upperBound }) {
      return
    }
    if let last = tokens.last, cursor <= last.range.end {
      switch last.kind {
      case .word:
        (prefix, start) = (text.string(last.range.offset..<cursor), last.range.offset)
        tokens.removeLast()
      case .quoted(_, let closed) where !closed || cursor < last.range.end:
        (prefix, start, inQuotes) = (
          text.string(last.range.offset + 1..<cursor), last.range.offset + 1, true
        )
        tokens.removeLast()
      case .quoted, .invalid: return
      case .equals, .comma, .newline: break
      }
    }
    place = Self.place(after: tokens, catalog: catalog)
  }

  /// The place after the command's tokens before the word being typed.
  private static func place(after tokens: [Token], catalog: Catalog) -> Place {
    guard let first = tokens.first else { return .verb }
    guard case .word(let verb) = first.kind, let spec = catalog[verb] else { return .nowhere }
    let last = tokens.count - 1
    if tokens[last].kind == .equals {
      return argumentPlace(keyAt: last - 1, tokens, spec)
    }
    if tokens[last].kind == .comma {  // walk back over `item,item,` to `key=` or a positional
      var j = last
      while j >= 2, tokens[j].kind == .comma, tokens[j - 1].kind.isValue {
        if tokens[j - 2].kind == .equals { return argumentPlace(keyAt: j - 3, tokens, spec) }
        if tokens[j - 2].kind != .comma { break }
        j -= 2
      }
      let (count, _) = groups(tokens)
      return j >= 2 && tokens[j - 1].kind.isValue
        ? .positionalItem(spec, index: count - 1) : .nowhere
    }
    let (count, given) = groups(tokens)
    return .argumentOrPositional(spec, index: count, given: given)
  }

  private static func argumentPlace(keyAt index: Int, _ tokens: [Token], _ spec: CommandSpec)
    -> Place
  {
    guard index >= 1, case .word(let key) = tokens[index].kind, let argument = spec.argument(key)
    else { return .nowhere }
    return .value(spec, argument)
  }

  /// Positional values before the cursor, and argument names given (anywhere on the line).
  private static func groups(_ tokens: [Token]) -> (Int, Set<String>) {
    var positionals = 0
    var given: Set<String> = []
    var i = 1
    while i < tokens.count {
      if case .word(let key) = tokens[i].kind, i + 1 < tokens.count,
        tokens[i + 1].kind == .equals
      {
        given.insert(key)
        i += 2
      } else if tokens[i].kind.isValue {
        positionals += 1
      }
      i += 1
      while i + 1 < tokens.count, tokens[i].kind == .comma, tokens[i + 1].kind.isValue { i += 2 }
    }
    return (positionals, given)
  }
}
