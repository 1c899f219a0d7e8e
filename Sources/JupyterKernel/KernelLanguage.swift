// What a language must offer to be served as a Jupyter kernel; knows nothing of sockets.
public import JupyterProtocol

/// A language the kernel serves (the Glimpse interpreter, or a toy language in tests).
///
/// The kernel calls `execute`, `complete`, `inspect` and `isComplete` on its shell thread, one
/// at a time, and `interrupt` from its control thread while a cell may be running: conformers
/// must make `interrupt` safe to call concurrently (set an atomic flag, for instance).
public protocol KernelLanguage: Sendable {
  /// `language_info` of kernel_info_reply.
  var languageInfo: LanguageInfo { get }
  /// The banner shown by consoles.
  var banner: String { get }
  /// Links shown in the front end's help menu.
  var helpLinks: [HelpLink] { get }
  /// The implementation name and version (`implementation`, `implementation_version`).
  var implementation: (name: String, version: String) { get }

  /// Runs one cell, publishing its outputs through `context`.
  ///
  /// Thrown errors are reported like `.error`: ename is the error's type, evalue its text.
  func execute(_ code: String, context: ExecutionContext) throws -> ExecutionOutcome
  /// Completion candidates at `cursor` (an offset in Unicode code points into `code`).
  func complete(_ code: String, cursor: Int) -> Completion
  /// Help for the token at `cursor` (code points), or nil when nothing is found.
  func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle?
  /// Whether `code` is ready to run, for consoles deciding between running and a new line.
  func isComplete(_ code: String) -> CodeCompleteness
  /// Asks the running cell to stop soon; called from another thread.
  func interrupt()
  /// Called once when the kernel shuts down (after the reply is sent).
  func shutdown(restart: Bool)
}

extension KernelLanguage {
  /// No help links by default.
  public var helpLinks: [HelpLink] { [] }
  /// The Glimpse kernel core's name by default.
  public var implementation: (name: String, version: String) { ("glimpse", "0.1.0") }
  /// No completions by default.
  public func complete(_ code: String, cursor: Int) -> Completion {
    Completion(matches: [], cursorStart: cursor, cursorEnd: cursor)
  }
  /// Nothing found by default.
  public func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? { nil }
  /// Unknown by default, which lets consoles fall back to their own heuristics.
  public func isComplete(_ code: String) -> CodeCompleteness { .unknown }
  /// Interruption is only seen through `ExecutionContext.isInterrupted` by default.
  public func interrupt() {}
  /// Nothing to release by default.
  public func shutdown(restart: Bool) {}
}

/// `language_info` of kernel_info_reply.
public struct LanguageInfo: Sendable, Hashable, Codable {
  /// The language name, e.g. `glimpse`.
  public var name: String
  /// The language version.
  public var version: String
  /// The MIME type of source files.
  public var mimetype: String
  /// The source file extension, with its leading dot.
  public var fileExtension: String
  /// The Pygments lexer for highlighting, if any.
  public var pygmentsLexer: String?
  /// The CodeMirror mode, if any.
  public var codemirrorMode: String?
  /// The nbconvert exporter, if any.
  public var nbconvertExporter: String?

  enum CodingKeys: String, CodingKey {
    case name, version, mimetype
    case fileExtension = "file_extension"
    case pygmentsLexer = "pygments_lexer"
    case codemirrorMode = "codemirror_mode"
    case nbconvertExporter = "nbconvert_exporter"
  }

  /// Language info from its fields.
  public init(
    name: String, version: String, mimetype: String, fileExtension: String,
    pygmentsLexer: String? = nil, codemirrorMode: String? = nil, nbconvertExporter: String? = nil
  ) {
    self.name = name
    self.version = version
    self.mimetype = mimetype
    self.fileExtension = fileExtension
    self.pygmentsLexer = pygmentsLexer
    self.codemirrorMode = codemirrorMode
    self.nbconvertExporter = nbconvertExporter
  }
}

/// One entry of the help menu.
public struct HelpLink: Sendable, Hashable, Codable {
  /// The menu text.
  public var text: String
  /// The link target.
  public var url: String
  /// A help link.
  public init(text: String, url: String) {
    self.text = text
    self.url = url
  }
}

/// How a cell ended.
public enum ExecutionOutcome: Sendable, Equatable {
  /// Success, with optional payloads (`ExecutionPayload.askExit()`, pages).
  case ok(payloads: [JSONObject] = [])
  /// Failure: reported as an iopub `error` and an error reply; queued cells may be aborted.
  case error(ExecutionError)

  /// Success without payloads.
  public static var ok: ExecutionOutcome { .ok(payloads: []) }
}

/// A failed cell: the exception name, value and traceback lines of the spec's error messages.
public struct ExecutionError: Error, Sendable, Equatable {
  /// The error's name, e.g. `UnknownLayer`.
  public var ename: String
  /// The one-line message.
  public var evalue: String
  /// Lines shown to the user (may carry ANSI colours).
  public var traceback: [String]

  /// An error; the traceback defaults to `ename: evalue`.
  public init(ename: String, evalue: String, traceback: [String]? = nil) {
    self.ename = ename
    self.evalue = evalue
    self.traceback = traceback ?? ["\(ename): \(evalue)"]
  }
}

/// Payloads an execute_reply may carry (spec, "Payloads (DEPRECATED)", still used by consoles).
public enum ExecutionPayload {
  /// Asks the front end to exit (`jupyter console` leaves on it); `keepKernel` keeps the kernel.
  public static func askExit(keepKernel: Bool = false) -> JSONObject {
    ["source": "ask_exit", "keepkernel": .bool(keepKernel)]
  }

  /// Shows `data` in the front end's pager, starting at line `start`.
  public static func page(_ data: MimeBundle, start: Int = 0) -> JSONObject {
    ["source": "page", "data": .object(data), "start": .int(start)]
  }
}

/// A completion answer; cursor positions are Unicode code point offsets.
public struct Completion: Sendable, Equatable {
  /// The candidates replacing `cursorStart..<cursorEnd`.
  public var matches: [String]
  /// Start of the text the matches replace.
  public var cursorStart: Int
  /// End of the text the matches replace (usually the cursor).
  public var cursorEnd: Int
  /// Extra information (e.g. `_jupyter_types_experimental`).
  public var metadata: JSONObject

  /// A completion answer.
  public init(matches: [String], cursorStart: Int, cursorEnd: Int, metadata: JSONObject = [:]) {
    self.matches = matches
    self.cursorStart = cursorStart
    self.cursorEnd = cursorEnd
    self.metadata = metadata
  }
}

/// The answer to is_complete_request.
public enum CodeCompleteness: Sendable, Equatable {
  /// Ready to run.
  case complete
  /// Needs more lines; `indent` prefixes the next one.
  case incomplete(indent: String)
  /// Can never become valid by adding lines.
  case invalid
  /// The language cannot tell.
  case unknown
}
