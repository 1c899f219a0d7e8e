// The command catalog: one table that drives help, validation, completion and is_complete.

/// What values an argument or positional slot accepts.
public indirect enum ValueKind: Hashable, Sendable {
  /// A whole number within optional bounds.
  case integer(min: Int?, max: Int?)
  /// A number within optional bounds (integers are accepted).
  case real(min: Double?, max: Double?)
  /// One of a fixed set of words.
  case choice([String])
  /// `yes` or `no`.
  case yesNo
  /// Any text.
  case text
  /// A name only the interpreter (or the file system) knows: completion asks a
  /// `CompletionSource`, validation accepts any text or number.
  case name(NameKind)
  /// The name of a command of the catalog (`help gradcam`).
  case command
  /// One value of the item kind, or a comma list of them.
  case list(ValueKind)
  /// The first alternative that accepts the value wins (`16|all`, `zero|black|...|NUMBER`).
  case either([ValueKind])
}

/// Kinds of names the catalog cannot know, which completion asks a `CompletionSource` for.
public enum NameKind: String, Hashable, Sendable, CaseIterable {
  /// A class: an index, a WordNet id, a name or a unique prefix.
  case className
  /// A tensor of the loaded model (a layer's output).
  case layer
  /// A loaded image or a result.
  case image
  /// A bundled model.
  case model
  /// A file path.
  case path
  /// A directory path.
  case directory
}

/// One `key=value` argument a command takes.
public struct ArgumentSpec: Hashable, Sendable {
  /// The key.
  public var name: String
  /// What values it takes.
  public var kind: ValueKind
  /// The default as help shows it (`32`, `the current image`); nil when there is none.
  public var defaultValue: String?
  /// One or two sentences for help.
  public var help: String

  /// An argument taking `kind` values.
  public init(
    _ name: String, _ kind: ValueKind, default defaultValue: String? = nil, _ help: String
  ) {
    self.name = name
    self.kind = kind
    self.defaultValue = defaultValue
    self.help = help
  }
}

/// One value a command takes by position.
public struct PositionalSpec: Hashable, Sendable {
  /// How usage lines name it: `PATH`, `NAME|last`.
  public var name: String
  /// What values it takes.
  public var kind: ValueKind
  /// Whether it may be left out.
  public var isOptional: Bool
  /// Whether it may repeat (`image PATH [PATH ...]`); only the last slot may.
  public var isVariadic: Bool
  /// One sentence for help.
  public var help: String

  /// A positional slot.
  public init(
    _ name: String, _ kind: ValueKind, optional: Bool = false, variadic: Bool = false,
    _ help: String
  ) {
    self.name = name
    self.kind = kind
    self.isOptional = optional
    self.isVariadic = variadic
    self.help = help
  }
}

/// One command: its name, help, positional slots, arguments and examples.
public struct CommandSpec: Hashable, Sendable {
  /// The verb.
  public var name: String
  /// One line for the list of all commands.
  public var summary: String
  /// A paragraph for `help NAME`.
  public var help: String
  /// Positional slots, in order.
  public var positionals: [PositionalSpec]
  /// `key=value` arguments, in the order help lists them.
  public var arguments: [ArgumentSpec]
  /// Whole lines that parse and validate, for help and tests.
  public var examples: [String]

  /// A command.
  public init(
    _ name: String, summary: String, help: String, positionals: [PositionalSpec] = [],
    arguments: [ArgumentSpec] = [], examples: [String]
  ) {
    self.name = name
    self.summary = summary
    self.help = help
    self.positionals = positionals
    self.arguments = arguments
    self.examples = examples
  }

  /// How many positional values it takes, at least.
  public var minimumPositionals: Int { positionals.filter { !$0.isOptional }.count }
  /// How many positional values it takes, at most (nil: no limit).
  public var maximumPositionals: Int? {
    positionals.last?.isVariadic == true ? nil : positionals.count
  }

  /// The argument named `name`.
  public func argument(_ name: String) -> ArgumentSpec? { arguments.first { $0.name == name } }

  /// The slot the value at `index` fills (the variadic last slot repeats).
  public func positional(at index: Int) -> PositionalSpec? {
    if index < positionals.count { return positionals[index] }
    return positionals.last?.isVariadic == true ? positionals.last : nil
  }
}

/// The commands a language knows; `Catalog.glimpse` is Glimpse's (COMMANDS.md).
public struct Catalog: Sendable {
  /// Every command, in the order help lists them.
  public let commands: [CommandSpec]
  private let index: [String: Int]

  /// A catalog of `commands`; names must be unique.
  public init(_ commands: [CommandSpec]) {
    self.commands = commands
    var index: [String: Int] = [:]
    for (i, command) in commands.enumerated() {
      precondition(index[command.name] == nil, "command \(command.name) is catalogued twice")
      index[command.name] = i
    }
    self.index = index
  }

  /// The command named `verb`.
  public subscript(verb: String) -> CommandSpec? { index[verb].map { commands[$0] } }

  /// Every verb, in catalog order.
  public var verbs: [String] { commands.map(\.name) }
}
