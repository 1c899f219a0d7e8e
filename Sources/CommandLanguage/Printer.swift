// Commands back to canonical source text: parse(c.sourceText) == [c].

extension Value {
  /// The canonical spelling, which parses back to the same value.
  ///
  /// Integers in decimal; reals in Swift's shortest round-trip form (always with a point or an
  /// exponent, so they stay reals); text bare when it lexes back as the same word, else in
  /// double quotes with `\\ \" \n \t \r \0 \u{HEX}` escapes; lists joined by commas.
  /// - Precondition: reals are finite and lists hold two or more non-list values (what `parse`
  ///   produces); other values have no spelling.
  public var sourceText: String {
    switch self {
    case .integer(let n):
      return String(n)
    case .real(let x):
      precondition(x.isFinite, "a non-finite real has no source spelling")
      return x.description
    case .text(let s):
      return Self.isBareWord(s) ? s : Self.quoted(s)
    case .list(let items):
      precondition(items.count >= 2, "a list of \(items.count) value(s) has no source spelling")
      return items.map { item in
        if case .list = item { preconditionFailure("lists do not nest") }
        return item.sourceText
      }.joined(separator: ",")
    }
  }

  /// Whether text can be written without quotes and read back as the same text.
  public static func isBareWord(_ s: String) -> Bool {
    !s.isEmpty && s.unicodeScalars.allSatisfy(\.isWordCharacter) && numberSyntax(s) == nil
  }

  /// Text in double quotes with backslash escapes.
  static func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "\0": out += "\\0"
      case _ where scalar.properties.generalCategory == .control:
        out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}

extension Command {
  /// The canonical source line: verb, positional values, then `key=value` arguments, one space
  /// apart. Where positionals and arguments interleaved in the source, they come apart here.
  /// - Precondition: the verb and argument names are words (as `parse` makes them).
  public var sourceText: String {
    precondition(Value.isBareWord(verb), "'\(verb)' cannot be a verb")
    var parts = [verb]
    parts += positionals.map(\.value.sourceText)
    for argument in arguments {
      precondition(Value.isBareWord(argument.name), "'\(argument.name)' cannot be a key")
      parts.append("\(argument.name)=\(argument.value.sourceText)")
    }
    return parts.joined(separator: " ")
  }

  /// Several commands as a cell: one canonical line each.
  public static func sourceText(of commands: [Command]) -> String {
    commands.map(\.sourceText).joined(separator: "\n")
  }
}
