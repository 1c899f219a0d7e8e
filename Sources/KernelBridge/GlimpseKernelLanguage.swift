// Serves a CellExecutor (the Glimpse session) as a Jupyter KernelLanguage.
import Foundation
public import Interpreter
public import JupyterKernel
public import JupyterProtocol

/// The Glimpse language as the Jupyter kernel core sees it: a thin translation of the
/// interpreter's outputs (``OutputItem``) into iopub messages, and of its outcomes into replies.
///
/// The kernel calls `execute`, `complete`, `inspect` and `isComplete` on one shell thread and
/// `interrupt` from its control thread; the executor's `interrupt` is thread-safe.
public final class GlimpseKernelLanguage: KernelLanguage, @unchecked Sendable {
  // NB: @unchecked because the executor is a class used from the shell thread only, apart from
  // `interrupt()`, which CellExecutor requires to be thread-safe.
  private let executor: any CellExecutor

  public init(executor: any CellExecutor) { self.executor = executor }

  public var languageInfo: LanguageInfo {
    LanguageInfo(
      name: "glimpse", version: "0.1.0", mimetype: "text/x-glimpse", fileExtension: ".glimpse",
      pygmentsLexer: "text", codemirrorMode: "shell")
  }

  public var banner: String {
    "Glimpse: what does this image classifier really see? Type `help` for the commands."
  }

  public var helpLinks: [HelpLink] { [] }

  public func execute(_ code: String, context: ExecutionContext) throws -> JupyterKernel.ExecutionOutcome {
    let sink = ContextSink(context: context)
    switch executor.execute(code, cellNumber: context.executionCount, sink: sink) {
    case .ok: return .ok
    case .exit: return .ok(payloads: [ExecutionPayload.askExit()])
    case .interrupted:
      return .error(ExecutionError(ename: "KeyboardInterrupt", evalue: "interrupted; the session is unchanged"))
    case .error(let name, let message, let diagnostic):
      return .error(ExecutionError(ename: name, evalue: message, traceback: diagnostic))
    }
  }

  public func complete(_ code: String, cursor: Int) -> Completion {
    let result = executor.complete(code, cursor: cursor)
    return Completion(matches: result.matches, cursorStart: result.start, cursorEnd: result.end)
  }

  public func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? {
    executor.inspect(code, cursor: cursor).map { ["text/plain": .string($0)] }
  }

  public func isComplete(_ code: String) -> CodeCompleteness {
    switch executor.isComplete(code) {
    case .complete: return .complete
    case .incomplete(let indent): return .incomplete(indent: indent)
    case .invalid: return .invalid
    }
  }

  public func interrupt() { executor.interrupt() }
}

/// Forwards interpreter outputs to the kernel's execution context as they come.
final class ContextSink: OutputSink, @unchecked Sendable {
  private let context: ExecutionContext

  init(context: ExecutionContext) { self.context = context }

  func emit(_ item: OutputItem) {
    switch item {
    case .display(let bundle, let displayID):
      context.display(Self.jupyter(bundle), metadata: Self.metadata(bundle), displayID: displayID)
    case .updateDisplay(let bundle, let displayID):
      context.updateDisplay(Self.jupyter(bundle), metadata: Self.metadata(bundle), displayID: displayID)
    case .result(let bundle):
      context.result(Self.jupyter(bundle), metadata: Self.metadata(bundle))
    case .stream(let name, let text):
      context.stream(text, to: name == "stderr" ? .stderr : .stdout)
    }
  }

  /// Jupyter's form of a bundle: text as strings, binary as base64, JSON parsed.
  static func jupyter(_ bundle: MIMEBundle) -> MimeBundle {
    var result: MimeBundle = [:]
    for (type, data) in bundle.data {
      switch data {
      case .text(let text): result[type] = .string(text)
      case .binary(let bytes): result[type] = .string(Data(bytes).base64EncodedString())
      case .json(let text): result[type] = parse(text) ?? .string(text)
      }
    }
    return result
  }

  /// Per-type metadata; `{}` when none (JupyterLab drops images whose metadata is missing).
  static func metadata(_ bundle: MIMEBundle) -> JSONObject {
    var result: JSONObject = [:]
    for (type, text) in bundle.metadata {
      if let value = parse(text) { result[type] = value }
    }
    return result
  }

  private static func parse(_ text: String) -> JSONValue? {
    try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
  }
}
