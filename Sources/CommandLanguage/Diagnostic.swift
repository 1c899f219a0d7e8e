// User errors, typed and pointing at the input (STYLE item 6).

/// An error in a cell's text: what went wrong, where, and what the user may have meant.
///
/// The parser and `Catalog.validate(_:)` make these; the interpreter makes its own for errors
/// only it can see (an unknown layer, a class name that matches nothing) at a token's range, with
/// `Suggestions.closest(to:among:)` for the "did you mean". Render with `rendered(in:cell:)`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
  /// What kind of mistake: front ends may branch on it; people read `message`.
  public enum Kind: String, Hashable, Sendable {
    // Lexical and syntax errors (from `parse`).
    /// A character that cannot start or continue a value (`$`, an emoji outside quotes).
    case unexpectedCharacter
    /// A quote with no closing quote before the end: the input is incomplete.
    case unterminatedString
    /// A `\` continuation on the last line: the input is incomplete.
    case danglingContinuation
    /// A backslash escape inside quotes that means nothing (`"\q"`).
    case invalidEscape
    /// A line that does not start with a command name.
    case expectedCommand
    /// `key=` or `a,` with nothing after it, or a value where none may stand.
    case expectedValue
    /// An argument name that is not a word (`"a"=1`, `=1`).
    case expectedArgumentName
    // Errors against the catalog (from `Catalog.validate`).
    /// A verb the catalog does not know.
    case unknownCommand
    /// A key the command does not take.
    case unknownArgument
    /// A key given twice.
    case duplicateArgument
    /// A value of the wrong kind (text where a number goes, a word not among the choices).
    case invalidValue
    /// A number outside the argument's range.
    case outOfRange
    /// Fewer positional values than the command needs.
    case missingPositional
    /// More positional values than the command takes.
    case tooManyPositionals
    // Errors only the interpreter can see.
    /// A name that resolves to nothing: a layer, class, image or model.
    case unknownName
    /// Any other error about a well-formed command (no model loaded, a file that fails to load).
    case invalidCommand
  }

  /// What kind of mistake.
  public var kind: Kind
  /// The headline, after `error: `.
  public var message: String
  /// The offending token.
  public var range: SourceRange
  /// A short note shown after the caret, before any suggestions.
  public var label: String?
  /// Names the user may have meant, best first.
  public var suggestions: [String]

  /// A diagnostic at `range`.
  public init(
    _ kind: Kind, _ message: String, at range: SourceRange, label: String? = nil,
    suggestions: [String] = []
  ) {
    self.kind = kind
    self.message = message
    self.range = range
    self.label = label
    self.suggestions = suggestions
  }

  /// The kind as an error name for front ends (Jupyter's `ename`): `UnknownArgument`.
  public var name: String { kind.rawValue.prefix(1).uppercased() + kind.rawValue.dropFirst() }

  /// Whether more input could fix this error (an open quote, a trailing backslash).
  public var isIncompleteInput: Bool {
    kind == .unterminatedString || kind == .danglingContinuation
  }

  /// The note after the caret: the label, then "did you mean ...?".
  public var note: String {
    let hint = suggestions.isEmpty ? nil : "did you mean \(suggestions.joined(separator: ", "))?"
    return [label, hint].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
  }

  /// One line without the source: `error: ... (line 1, column 11)`.
  public var description: String {
    let note = note.isEmpty ? "" : ": \(note)"
    return "error: \(message) (\(range))\(note)"
  }
}
