// Tokens to commands: `verb [positional ...] key=value ...`, one per logical line.

/// Parses a cell: every command in order, or the first diagnostic.
///
/// Syntax only: verbs and arguments are not checked against the catalog (that is
/// `Catalog.validate(_:)`), so an interpreter may parse once and validate per command.
/// - Throws: the first `Diagnostic`; its `isIncompleteInput` tells an open quote or a
///   trailing backslash (more input could fix it) from a real error.
public func parse(_ source: String) throws(Diagnostic) -> [Command] {
  let text = SourceText(source)
  var parser = Parser(tokens: try Lexer.tokens(text))
  return try parser.commands()
}

extension Value {
  /// The value a bare word stands for: a number when spelled like one, else text.
  ///
  /// Numbers: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, ASCII digits. An
  /// integer too large for `Int` becomes a real; one too large for `Double` stays text.
  public static func literal(_ word: String) -> Value {
    guard let isInteger = numberSyntax(word) else { return .text(word) }
    if isInteger, let n = Int(word) { return .integer(n) }
    if let x = Double(word), x.isFinite { return .real(x) }
    return .text(word)
  }

  /// Whether a word is spelled as a number: nil if not, else whether as an integer.
  static func numberSyntax(_ word: String) -> Bool? {
    var s = Substring(word).utf8[...]
    func digits() -> Int {
      let n = s.prefix { $0 >= 0x30 && $0 <= 0x39 }.count
      s = s.dropFirst(n)
      return n
    }
    if let c = s.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { s = s.dropFirst() }
    var mantissa = digits()
    var isInteger = true
    if s.first == UInt8(ascii: ".") {
      s = s.dropFirst()
      mantissa += digits()
      isInteger = false
    }
    guard mantissa > 0 else { return nil }
    if let c = s.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
      s = s.dropFirst()
      if let c = s.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { s = s.dropFirst() }
      guard digits() > 0 else { return nil }
      isInteger = false
    }
    return s.isEmpty ? isInteger : nil
  }
}

/// A recursive-descent parser over one cell's tokens.
struct Parser {
  let tokens: [Token]
  private var position = 0

  init(tokens: [Token]) { self.tokens = tokens }

  private var current: Token? { position < tokens.count ? tokens[position] : nil }
  private func peek(_ ahead: Int) -> Token? {
    position + ahead < tokens.count ? tokens[position + ahead] : nil
  }

  /// Every command; blank and comment-only lines yield none.
  mutating func commands() throws(Diagnostic) -> [Command] {
    var result: [Command] = []
    while let token = current {
      if token.kind == .newline {
        position += 1
      } else {
        result.append(try command())
      }
    }
    return result
  }

  /// One command, up to (not including) its line end.
  private mutating func command() throws(Diagnostic) -> Command {
    let verbToken = tokens[position]
    guard case .word(let verb) = verbToken.kind, case .text = Value.literal(verb),
      peek(1)?.kind != .equals
    else { throw expectedCommand(verbToken) }
    position += 1
    var command = Command(verb: verb, verbRange: verbToken.range)
    var end = verbToken.range.end
    while let kind = current?.kind, kind != .newline {
      if peek(1)?.kind == .equals {
        let argument = try argument()
        end = argument.valueRange.end
        command.arguments.append(argument)
      } else {
        let (value, items) = try list(what: "value")
        end = items.last!.end
        command.positionals.append(
          Positional(value, range: span(items), itemRanges: items))
      }
    }
    command.range.length = end - verbToken.range.offset
    return command
  }

  /// `key=value` (the current token is followed by `=`).
  private mutating func argument() throws(Diagnostic) -> Argument {
    let key = tokens[position]
    guard case .word(let name) = key.kind, case .text = Value.literal(name) else {
      throw Diagnostic(
        .expectedArgumentName, "expected an argument name before '='", at: key.range,
        label: "argument names are words like patch or class")
    }
    let equals = tokens[position + 1]
    position += 2
    guard let next = current?.kind, next != .newline else {
      throw Diagnostic(
        .expectedValue, "expected a value after '\(name)='", at: equals.range,
        label: "write \(name)=VALUE")
    }
    let (value, items) = try list(what: "value for \(name)")
    return Argument(
      name, value, nameRange: key.range, valueRange: span(items), itemRanges: items)
  }

  /// A value or a comma list of values, with one range per item.
  private mutating func list(what: String) throws(Diagnostic) -> (Value, [SourceRange]) {
    var values: [Value] = []
    var ranges: [SourceRange] = []
    while true {
      let token = tokens[position]
      switch token.kind {
      case .word(let word): values.append(Value.literal(word))
      case .quoted(let text, _): values.append(.text(text))
      case .equals:
        throw Diagnostic(
          .expectedArgumentName, "expected an argument name before '='", at: token.range,
          label: "write key=value")
      default:
        throw Diagnostic(
          .expectedValue, "unexpected '\(token.kind.spelling)'", at: token.range,
          label: "expected a \(what)")
      }
      ranges.append(token.range)
      position += 1
      guard current?.kind == .comma else { break }
      let comma = tokens[position]
      position += 1
      guard let next = current?.kind, next.isValue else {
        throw Diagnostic(
          .expectedValue, "expected a value after ','", at: comma.range,
          label: "a comma list has no empty items")
      }
    }
    return (values.count == 1 ? values[0] : .list(values), ranges)
  }

  /// From the first range's start to the last one's end.
  private func span(_ ranges: [SourceRange]) -> SourceRange {
    var r = ranges[0]
    r.length = ranges[ranges.count - 1].end - r.offset
    return r
  }

  private func expectedCommand(_ token: Token) -> Diagnostic {
    let found: String
    switch token.kind {
    case .word(let w) where peek(1)?.kind == .equals: found = "argument '\(w)='"
    case .word(let w): found = "number \(w)"
    case .quoted: found = "a quoted string"
    default: found = "'\(token.kind.spelling)'"
    }
    return Diagnostic(
      .expectedCommand, "expected a command name, found \(found)", at: token.range,
      label: "a line starts with a command such as gradcam; help lists them")
  }
}

extension Token.Kind {
  /// Whether the token is a word or a quoted string.
  var isValue: Bool {
    switch self {
    case .word, .quoted: true
    default: false
    }
  }

  /// How the token is written, for messages.
  var spelling: String {
    switch self {
    case .word(let w): w
    case .quoted(let s, _): "\"\(s)\""
    case .equals: "="
    case .comma: ","
    case .newline: "line end"
    case .invalid: "?"
    }
  }
}
