// Commands checked against the catalog: verbs, arguments, positional arity and value kinds.

extension Catalog {
  /// Parses and validates a cell: its commands, or the first diagnostic in source order.
  public func check(_ source: String) throws(Diagnostic) -> [Command] {
    let commands = try parse(source)
    try validate(commands)
    return commands
  }

  /// Validates commands in order; throws the first diagnostic.
  public func validate(_ commands: [Command]) throws(Diagnostic) {
    for command in commands { try validate(command) }
  }

  /// Checks one command against the catalog: a known verb, known arguments given once, the
  /// right number of positional values, and values of the right kinds within range.
  ///
  /// Problems are reported in source order; a missing positional value comes last.
  /// Names only the interpreter knows (layers, classes, images) are not checked here.
  public func validate(_ command: Command) throws(Diagnostic) {
    guard let spec = self[command.verb] else {
      throw Diagnostic(
        .unknownCommand, "unknown command '\(command.verb)'", at: command.verbRange,
        label: nil,
        suggestions: Suggestions.closest(to: command.verb, among: verbs).nonEmpty
          ?? ["help"])
    }
    // Positionals and arguments may interleave: walk them in source order.
    var items: [(offset: Int, index: Int, isArgument: Bool)] = []
    items += command.positionals.enumerated().map { ($1.range.offset, $0, false) }
    items += command.arguments.enumerated().map { ($1.nameRange.offset, $0, true) }
    items.sort { ($0.offset, $0.index) < ($1.offset, $1.index) }
    var seen: [String: SourceRange] = [:]
    for item in items {
      if item.isArgument {
        try check(command.arguments[item.index], of: spec, seen: &seen)
      } else {
        try check(command.positionals[item.index], at: item.index, of: spec)
      }
    }
    if command.positionals.count < spec.minimumPositionals {
      let slot = spec.positionals[command.positionals.count]
      throw Diagnostic(
        .missingPositional, "missing \(slot.name) for \(spec.name)", at: command.verbRange,
        label: "usage: \(spec.usage)")
    }
  }

  private func check(
    _ argument: Argument, of spec: CommandSpec, seen: inout [String: SourceRange]
  ) throws(Diagnostic) {
    guard let argumentSpec = spec.argument(argument.name) else {
      let names = spec.arguments.map(\.name)
      throw Diagnostic(
        .unknownArgument, "unknown argument '\(argument.name)' for \(spec.name)",
        at: argument.nameRange,
        label: names.isEmpty ? "\(spec.name) takes no arguments" : nil,
        suggestions: Suggestions.closest(to: argument.name, among: names))
    }
    if let first = seen[argument.name] {
      let place = first.line == argument.nameRange.line ? "column \(first.column)" : "\(first)"
      throw Diagnostic(
        .duplicateArgument, "duplicate argument '\(argument.name)' for \(spec.name)",
        at: argument.nameRange, label: "already given at \(place)")
    }
    seen[argument.name] = argument.nameRange
    try check(
      argument.value, at: argument.valueRange, items: argument.itemRanges,
      against: argumentSpec.kind, for: argument.name)
  }

  private func check(_ positional: Positional, at index: Int, of spec: CommandSpec)
    throws(Diagnostic)
  {
    guard let slot = spec.positional(at: index) else {
      let label =
        spec.positionals.isEmpty
        ? "\(spec.name) takes only key=value arguments" : "usage: \(spec.usage)"
      throw Diagnostic(
        .tooManyPositionals, "too many values for \(spec.name)", at: positional.range,
        label: label)
    }
    try check(
      positional.value, at: positional.range, items: positional.itemRanges, against: slot.kind,
      for: "\(spec.name) \(slot.name)")
  }

  /// Checks a value (each item of a list) against a kind.
  private func check(
    _ value: Value, at range: SourceRange, items: [SourceRange], against kind: ValueKind,
    for what: String
  ) throws(Diagnostic) {
    if case .list(let item) = kind {
      for (value, range) in zip(value.items, items) {
        try check(value, at: range, items: [range], against: item, for: what)
      }
      return
    }
    if case .list(let values) = value {
      throw Diagnostic(
        .invalidValue, "\(what) takes one value, not a list of \(values.count)", at: range,
        label: "expected \(kind.phrase)")
    }
    if let problem = problem(with: value, against: kind) {
      throw problem.diagnostic(value: value, at: range, for: what)
    }
  }
}

extension Array {
  /// Nil when empty, for `??` fallbacks.
  var nonEmpty: Self? { isEmpty ? nil : self }
}

extension CommandSpec {
  /// The usage line: `save PATH [NAME|last] [key=value ...]`.
  public var usage: String {
    var parts = [name]
    for slot in positionals {
      let repeated = slot.isVariadic ? " [\(slot.name) ...]" : ""
      parts.append((slot.isOptional ? "[\(slot.name)]" : slot.name) + repeated)
    }
    if !arguments.isEmpty { parts.append("[key=value ...]") }
    return parts.joined(separator: " ")
  }
}
