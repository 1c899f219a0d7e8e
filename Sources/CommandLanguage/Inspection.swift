// Inspection: the help of whatever the cursor is on (Jupyter's inspect_request, Shift-Tab).

extension Completer {
  /// Help for the token at `cursor` (code points): a command's full help on its verb, an
  /// argument's help on its name or value, a positional slot's help on a positional value.
  /// Nil when the cursor is on nothing the catalog knows (a comment, an unknown verb).
  public func inspect(_ source: String, cursor: Int) -> String? {
    let text = SourceText(source)
    let cursor = min(max(cursor, 0), text.count)
    let lexed = Lexer.tolerantTokens(text, throughLineOf: cursor)
    if lexed.comments.contains(where: { $0.lowerBound < cursor && cursor <= $0.upperBound }) {
      return nil
    }
    // The token under the cursor, or the one just before it (the cursor after a word).
    guard
      let at = lexed.tokens.lastIndex(where: {
        $0.range.offset <= cursor && cursor <= $0.range.end && $0.kind != .newline
      })
    else { return nil }
    let lineStart =
      (lexed.tokens[..<at].lastIndex { $0.kind == .newline }).map { $0 + 1 } ?? 0
    let lineEnd = lexed.tokens[at...].firstIndex { $0.kind == .newline } ?? lexed.tokens.count
    let line = Array(lexed.tokens[lineStart..<lineEnd])
    let position = at - lineStart
    guard case .word(let verb) = line[0].kind, let spec = catalog[verb] else { return nil }
    if position == 0 { return spec.helpText }
    let groups = Self.groups(line)
    guard let group = groups.firstIndex(where: { $0.tokens.contains(position) }) else {
      return nil
    }
    if let key = groups[group].key { return spec.helpText(forArgument: key) }
    let index = groups[..<group].filter { $0.key == nil && $0.isValue }.count
    return spec.helpText(forPositional: index)
  }

  /// A line's tokens after the verb, grouped into `key=value,...` and `value,...` pieces.
  static func groups(_ line: [Token]) -> [(key: String?, tokens: Range<Int>, isValue: Bool)] {
    var result: [(key: String?, tokens: Range<Int>, isValue: Bool)] = []
    var i = 1
    while i < line.count {
      let start = i
      var key: String?
      if case .word(let name) = line[i].kind, i + 1 < line.count, line[i + 1].kind == .equals {
        key = name
        i += 2
      }
      let isValue = i < line.count && line[i].kind.isValue
      if isValue {
        i += 1
        while i + 1 < line.count, line[i].kind == .comma, line[i + 1].kind.isValue { i += 2 }
        if i < line.count, line[i].kind == .comma { i += 1 }  // a trailing comma
      } else if key == nil {
        i += 1  // a stray token
      }
      result.append((key, start..<i, isValue))
    }
    return result
  }
}
