// Compiler-style diagnostics on a terminal, optionally in colour (rustc's palette: red severity and
// carets, blue gutter).

/// Formats a cell's error for stderr.
enum DiagnosticStyle {
  static let red = "\u{1B}[1;31m"
  static let blue = "\u{1B}[1;34m"
  static let bold = "\u{1B}[1m"
  static let reset = "\u{1B}[0m"

  /// The lines to print for an error: the diagnostic, or `error: message` when it has none.
  static func lines(name: String, message: String, diagnostic: [String]) -> [String] {
    if !diagnostic.isEmpty { return diagnostic }
    return ["error: \(message.isEmpty ? name : message)"]
  }

  /// Whether to colour output on a descriptor, per `mode` and `NO_COLOR`.
  static func useColour(
    _ mode: ColourMode, isTerminal: Bool, environment: [String: String]
  ) -> Bool {
    switch mode {
    case .always: return true
    case .never: return false
    case .auto: return isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
    }
  }

  /// `line` with ANSI colours: severity prefix, `-->` location arrow, `|` gutter, caret runs.
  static func coloured(_ line: String) -> String {
    if line.hasPrefix("error"), let colon = line.firstIndex(of: ":") {
      let head = line[..<colon]
      let rest = line[line.index(after: colon)...]
      return "\(red)\(head):\(reset)\(bold)\(rest)\(reset)"
    }
    let indent = line.prefix { $0 == " " }
    let body = line.dropFirst(indent.count)
    if body.hasPrefix("-->") {
      return "\(indent)\(blue)-->\(reset)\(body.dropFirst(3))"
    }
    if body.hasPrefix("|") {
      let content = body.dropFirst()
      let spaces = content.prefix { $0 == " " }
      let afterSpaces = content.dropFirst(spaces.count)
      let carets = afterSpaces.prefix { $0 == "^" || $0 == "~" }
      let gutter = "\(indent)\(blue)|\(reset)"
      if carets.isEmpty { return gutter + content }
      return gutter + spaces + red + afterSpaces + reset
    }
    return line
  }
}
