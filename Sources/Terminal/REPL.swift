// `glimpse repl`: read a cell (one line, or several while the executor says it is incomplete),
// run it on a worker thread, render its outputs, repeat.
import Foundation
import Interpreter

/// The interactive read-eval-print loop over any ``CellExecutor``.
///
/// On a terminal: libedit editing, history in ``TerminalOptions/historyPath``, Tab completion
/// through the executor, `glimpse> ` and `   ...> ` prompts; Ctrl-C interrupts a running cell (or
/// abandons the line being typed), Ctrl-D on an empty prompt or `exit` leaves. Without a terminal
/// the same loop reads plain lines and shows no prompt.
public final class REPL {
  /// The prompt for a new cell.
  public static let prompt = "glimpse> "
  /// The prompt while a cell is incomplete.
  public static let continuationPrompt = "   ...> "

  private let executor: any CellExecutor
  private let options: TerminalOptions
  private let renderer: TerminalRenderer
  private let interrupts = InterruptSignal()
  private var cellCount = 0

  /// A loop over `executor`, reading and writing where `options` says.
  public init(executor: any CellExecutor, options: TerminalOptions = TerminalOptions()) {
    self.executor = executor
    self.options = options
    renderer = TerminalRenderer(options: options)
  }

  /// Runs until Ctrl-D, `exit` or the end of input; returns the process exit code (0, or 130 when
  /// SIGINT stops a non-interactive read).
  public func run() -> Int32 {
    interrupts.activate()
    defer { interrupts.deactivate() }
    if isatty(options.inputFD) == 1, let editor = LineEditor(options: options) {
      return runInteractive(editor)
    }
    return runPlain()
  }

  private func runInteractive(_ editor: LineEditor) -> Int32 {
    let runner = CellRunner(
      executor: executor, interrupts: interrupts,
      terminalFD: options.inputFD)
    var pending: [String] = []
    editor.completer = { [executor] line, cursor in
      Self.complete(executor, pending: pending, line: line, cursor: cursor)
    }
    var typeahead = ""
    while true {
      editor.prompt = pending.isEmpty ? Self.prompt : Self.continuationPrompt
      editor.push(typeahead)
      typeahead = ""
      switch editor.readLine() {
      case .endOfInput:
        renderer.output.write("\n")
        if pending.isEmpty { return 0 }
        pending = []  // Ctrl-D on a continuation line abandons the cell, not the session.
      case .cancelled:
        pending = []
      case .line(let line):
        if !line.allSatisfy(\.isWhitespace) { editor.addHistory(line) }
        guard let cell = nextCell(&pending, line, indent: { editor.push($0) }) else { continue }
        let run = execute(cell, runner)
        typeahead = String(decoding: run.typeahead, as: UTF8.self)
        if run.outcome == .exit { return 0 }
      }
    }
  }

  private func runPlain() -> Int32 {
    let runner = CellRunner(executor: executor, interrupts: interrupts, terminalFD: nil)
    let reader = PlainLineReader(fd: options.inputFD, interrupts: interrupts)
    var pending: [String] = []
    while true {
      switch reader.readLine() {
      case .interrupted:
        renderer.note("interrupted")
        return 130
      case .endOfInput:
        // Whatever is left runs as is: the executor reports what is missing.
        if !pending.isEmpty { _ = execute(pending.joined(separator: "\n"), runner) }
        return 0
      case .line(let line):
        guard let cell = nextCell(&pending, line, indent: { _ in }) else { continue }
        if execute(cell, runner).outcome == .exit { return 0 }
      }
    }
  }

  /// Adds `line` to the pending cell; returns the cell once the executor calls it complete.
  private func nextCell(
    _ pending: inout [String], _ line: String, indent: (String) -> Void
  ) -> String? {
    if pending.isEmpty && line.allSatisfy(\.isWhitespace) { return nil }
    pending.append(line)
    let source = pending.joined(separator: "\n")
    if case .incomplete(let more) = executor.isComplete(source) {
      indent(more)
      return nil
    }
    pending = []
    return source
  }

  /// Runs one cell and reports how it ended.
  private func execute(_ source: String, _ runner: CellRunner) -> CellRun {
    cellCount += 1
    renderer.beginCell(cellCount)
    let run = runner.run(source, number: cellCount, sink: renderer)
    renderer.finishCell()
    switch run.outcome {
    case .error(let name, let message, let diagnostic):
      renderer.reportError(name: name, message: message, diagnostic: diagnostic)
    case .interrupted:
      renderer.note("interrupted")
    case .ok, .exit:
      break
    }
    return run
  }

  /// Completion of the line being edited within the whole pending cell, mapped back to the line.
  static func complete(
    _ executor: any CellExecutor, pending: [String], line: String, cursor: Int
  ) -> CompletionResult {
    let before = pending.map { $0 + "\n" }.joined()
    let offset = before.unicodeScalars.count
    var result = executor.complete(before + line, cursor: offset + cursor)
    result.start = max(0, result.start - offset)  // earlier lines are no longer editable
    result.end = max(0, result.end - offset)
    return result
  }
}
