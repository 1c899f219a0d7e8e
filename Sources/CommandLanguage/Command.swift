// One parsed command: `verb [positional ...] key=value ...`.

/// A command as written on one logical line: its verb, positional values and arguments.
///
/// Equality compares what a command says (verb, positional values in order, arguments in order),
/// not where it was written, so a command re-parsed from its printed form equals the original.
/// Nothing here is checked against the catalog: see `Catalog.validate(_:)`.
public struct Command: Sendable, Equatable, CustomStringConvertible {
  /// The first word: `gradcam`.
  public var verb: String
  /// The verb in the source.
  public var verbRange: SourceRange
  /// Values given without a key, in order (`save cam.png last`).
  public var positionals: [Positional]
  /// `key=value` arguments, in the order written.
  public var arguments: [Argument]
  /// From the verb to the end of the last value (may cross continued lines).
  public var range: SourceRange

  /// A command, by default written nowhere in particular.
  public init(
    verb: String, verbRange: SourceRange = SourceRange(), positionals: [Positional] = [],
    arguments: [Argument] = [], range: SourceRange? = nil
  ) {
    self.verb = verb
    self.verbRange = verbRange
    self.positionals = positionals
    self.arguments = arguments
    self.range = range ?? verbRange
  }

  /// A command from plain values, for code and tests: `Command("occlusion", [], [("patch", 32)])`.
  public init(_ verb: String, _ positionals: [Value] = [], _ arguments: [(String, Value)] = []) {
    self.init(
      verb: verb, positionals: positionals.map { Positional($0) },
      arguments: arguments.map { Argument($0.0, $0.1) })
  }

  /// The first argument named `name`, if given.
  public func argument(_ name: String) -> Argument? { arguments.first { $0.name == name } }

  /// The value of the argument named `name`, if given.
  public subscript(name: String) -> Value? { argument(name)?.value }

  /// Equal when verb, positional values and arguments are; ranges do not count.
  public static func == (a: Command, b: Command) -> Bool {
    a.verb == b.verb && a.positionals == b.positionals && a.arguments == b.arguments
  }

  /// The canonical source text (see Printer.swift).
  public var description: String { sourceText }
}
