// What executing a cell produces, in a form every front end can render (Jupyter, terminal,
// notebook).

/// One representation of an output, keyed by MIME type in a ``MIMEBundle``.
public enum MIMEData: Sendable, Equatable {
  /// `text/plain`, `text/html`, `text/markdown`: the text itself.
  case text(String)
  /// `image/png` and other binary types: raw bytes (Jupyter sends them base64-encoded).
  case binary([UInt8])
  /// `application/json`: serialised JSON text.
  case json(String)
}

/// The representations of one output, by MIME type, with per-type metadata (e.g. image size).
public struct MIMEBundle: Sendable, Equatable {
  public var data: [String: MIMEData]
  /// Metadata as serialised JSON objects per MIME type; empty means `{}`.
  public var metadata: [String: String]

  public init(data: [String: MIMEData], metadata: [String: String] = [:]) {
    self.data = data
    self.metadata = metadata
  }

  /// The `text/plain` representation, which every bundle carries.
  public var plainText: String? {
    if case .text(let text) = data["text/plain"] { return text }
    return nil
  }

  /// The `image/png` bytes, if any.
  public var png: [UInt8]? {
    if case .binary(let bytes) = data["image/png"] { return bytes }
    return nil
  }
}

/// One thing a running cell emits, in order.
public enum OutputItem: Sendable, Equatable {
  /// A picture or other rich output (Jupyter `display_data`); `displayID` lets later items
  /// update it.
  case display(MIMEBundle, displayID: String?)
  /// Replaces the contents of an earlier display (progress of a long command).
  case updateDisplay(MIMEBundle, displayID: String)
  /// The cell's result (Jupyter `execute_result`): tables.
  case result(MIMEBundle)
  /// Plain text on a stream (`stdout` or `stderr`).
  case stream(name: String, text: String)
}

/// Receives a cell's outputs as they are produced.
public protocol OutputSink: AnyObject, Sendable {
  func emit(_ item: OutputItem)
}

/// How a cell ended.
public enum ExecutionOutcome: Sendable, Equatable {
  case ok
  /// The first failing command: a short name (e.g. `UnknownLayer`), a one-line message, and the
  /// full compiler-style diagnostic (with line, column and caret) as lines.
  case error(name: String, message: String, diagnostic: [String])
  /// The cell asked to leave (`exit` / `quit`).
  case exit
  /// Stopped by an interrupt; the session is as it was before the interrupted command.
  case interrupted
}

/// Completion candidates and the range of the source they replace (Unicode code points).
public struct CompletionResult: Sendable, Equatable {
  public var matches: [String]
  public var start: Int
  public var end: Int

  public init(matches: [String], start: Int, end: Int) {
    self.matches = matches
    self.start = start
    self.end = end
  }
}

/// Whether a cell can run as typed.
public enum CompletenessStatus: Sendable, Equatable {
  case complete
  /// More input is needed (open quote, trailing backslash); `indent` to continue with.
  case incomplete(indent: String)
  case invalid(reason: String)
}

/// What every front end needs from the interpreter: run cells, complete, inspect, and stop.
///
/// The Glimpse `Session` conforms; the terminal REPL, the notebook replayer and the Jupyter
/// kernel bridge drive any `CellExecutor`, so they are testable with a toy one.
public protocol CellExecutor: AnyObject {
  /// Runs a cell's commands in order, stopping at the first error; outputs go to `sink`.
  func execute(_ source: String, cellNumber: Int?, sink: any OutputSink) -> ExecutionOutcome
  /// Completion at `cursor` (code points).
  func complete(_ source: String, cursor: Int) -> CompletionResult
  /// Help text for the word at `cursor`, or nil.
  func inspect(_ source: String, cursor: Int) -> String?
  /// Whether `source` is complete.
  func isComplete(_ source: String) -> CompletenessStatus
  /// Asks the running `execute` to stop at its next check (thread-safe).
  func interrupt()
}
