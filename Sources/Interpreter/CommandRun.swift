// One command being executed: its arguments, the state it builds, where its outputs go.
import CommandLanguage
import Foundation
import Network

/// The context a command handler works in.
///
/// Handlers read arguments through the typed accessors, change `state` (a copy the session
/// commits only if the handler returns), and emit outputs through `emit`.
struct CommandRun {
  let command: Command
  /// The whole cell, for rendering diagnostics.
  let source: String
  let sink: any OutputSink
  let cancellation: Cancellation
  /// The session's state as the command changes it.
  var state: SessionState
  /// Set by `exit` and `quit`.
  var exitRequested = false

  /// Sends an output.
  func emit(_ item: OutputItem) { sink.emit(item) }

  /// Sends text on stdout, one line.
  func say(_ text: String) { sink.emit(.stream(name: "stdout", text: text + "\n")) }

  // MARK: Arguments

  /// The argument's value, if given.
  func value(_ name: String) -> CommandLanguage.Value? { command[name] }

  /// The argument's text (names and choices), if given.
  func text(_ name: String) -> String? { command[name]?.text }

  /// The argument's number, if given.
  func number(_ name: String) -> Double? { command[name]?.number }

  /// The argument's whole number, if given.
  func integer(_ name: String) -> Int? { number(name).map { Int($0) } }

  /// A `yes|no` argument.
  func flag(_ name: String, default fallback: Bool) -> Bool {
    guard let text = text(name) else { return fallback }
    return text == "yes"
  }

  /// Where the argument's value was written (the verb when it was not given).
  func range(of name: String) -> SourceRange {
    command.argument(name)?.valueRange ?? command.verbRange
  }

  /// The positional value at `index`, if given.
  func positional(_ index: Int) -> Positional? {
    index < command.positionals.count ? command.positionals[index] : nil
  }

  // MARK: Errors

  /// A diagnostic at `range` for something only the session can see.
  func error(
    _ message: String, at range: SourceRange? = nil, label: String? = nil,
    kind: Diagnostic.Kind = .invalidCommand, suggestions: [String] = []
  ) -> Diagnostic {
    Diagnostic(
      kind, message, at: range ?? command.verbRange, label: label, suggestions: suggestions)
  }

  /// The loaded model, or the error every model command gives without one.
  func requireModel() throws(Diagnostic) -> LoadedModel {
    guard let model = state.model else {
      throw error(
        "no model loaded", label: "run `load` first (load alone loads the embedded model)")
    }
    return model
  }

  /// The image named by `image=` (or the current image).
  func requireImage(argument: String = "image") throws(Diagnostic) -> LoadedImage {
    if let value = command.argument(argument) {
      return try NameResolver.image(value.value.text ?? "", in: state, at: value.valueRange)
    }
    guard let name = state.currentImage, let image = state.image(named: name) else {
      throw error("no image loaded", label: "load one with `image PATH` (e.g. image chelsea)")
    }
    return image
  }

  /// A path argument resolved against the session's directory (`~` expanded).
  func resolvedPath(_ path: String, directory: URL) -> String {
    let expanded = (path as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return expanded }
    return directory.appendingPathComponent(expanded).path
  }
}
