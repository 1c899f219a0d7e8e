// Help text, generated from the catalog.

extension Catalog {
  /// Every command with its one-line summary, for `help` without a name.
  public var helpText: String {
    let width = (commands.map(\.name.count).max() ?? 0) + 2
    let lines = commands.map { spec in
      "  " + spec.name.padding(to: width) + spec.summary
    }
    return (["commands:"] + lines + ["", "help COMMAND shows a command's arguments and examples."])
      .joined(separator: "\n")
  }
}

extension CommandSpec {
  /// The full help of one command: summary, usage, description, slots, arguments, examples.
  public var helpText: String {
    var lines = ["\(name): \(summary)", "", "usage: \(usage)", "", help.wrapped(indent: "")]
    if !positionals.isEmpty {
      lines += ["", "values:"]
      lines += positionals.map { "  \($0.name.padding(to: 12)) \($0.help)" }
    }
    if !arguments.isEmpty {
      lines += ["", "arguments:"]
      for argument in arguments {
        lines.append("  \(argument.name)=\(argument.kind.synopsis)")
        let fallback = argument.defaultValue.map { " (default: \($0))" } ?? ""
        lines.append("\(argument.help)\(fallback)".wrapped(indent: "      "))
      }
    }
    lines += ["", "examples:"] + examples.map { "  " + $0 }
    return lines.joined(separator: "\n")
  }

  /// The help of one argument, as inspection shows it: `patch=INT: patch side ... (default 32)`.
  public func helpText(forArgument name: String) -> String? {
    guard let argument = argument(name) else { return nil }
    let fallback = argument.defaultValue.map { "; default: \($0)" } ?? ""
    return """
      \(self.name) \(argument.name)=\(argument.kind.synopsis)
      \(argument.help).
      Takes \(argument.kind.phrase)\(fallback).
      """
  }

  /// The help of a positional slot, with the command's usage line.
  public func helpText(forPositional index: Int) -> String? {
    guard let slot = positional(at: index) else { return nil }
    return """
      \(name) \(slot.name)
      \(slot.help).
      Takes \(slot.kind.phrase). usage: \(usage)
      """
  }
}

extension String {
  /// The text word-wrapped to `width` columns, each line starting with `indent`.
  func wrapped(indent: String, width: Int = 90) -> String {
    var lines: [String] = []
    var line = indent
    for word in split(separator: " ", omittingEmptySubsequences: true) {
      if line.count > indent.count && line.count + 1 + word.count > width {
        lines.append(line)
        line = indent
      }
      line += (line.count > indent.count ? " " : "") + word
    }
    lines.append(line)
    return lines.joined(separator: "\n")
  }

  /// The string padded with spaces to `width` characters (never cut).
  func padding(to width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
