// libedit behind a small Swift interface: one prompt at a time, history kept in a file, Tab
// completion through a closure, Ctrl-C cancelling the line being typed.
import CEditLine
import Foundation
import Interpreter

/// An interactive line reader on a terminal, through libedit's emacs key map.
final class LineEditor {
  /// What one call to ``readLine()`` produced.
  enum Input: Equatable {
    case line(String)
    /// Ctrl-C: the line was abandoned.
    case cancelled
    /// Ctrl-D on an empty line, or the terminal went away.
    case endOfInput
  }

  /// Completion for `(line, cursor)` (code points), with the range relative to `line`.
  typealias Completer = (String, Int) -> CompletionResult

  let editLine: OpaquePointer
  private let history: OpaquePointer
  private let files: [UnsafeMutablePointer<FILE>]
  let outputFile: UnsafeMutablePointer<FILE>
  private let historyPath: String?
  private var promptText: UnsafeMutablePointer<CChar>
  var completer: Completer?
  /// Set by the Ctrl-C key function, read when `el_gets` returns.
  var cancelled = false

  /// Opens libedit on the three descriptors (duplicated: closing ours leaves the caller's open).
  init?(options: TerminalOptions) {
    Self.useUTF8Locale()
    let modes = [(options.inputFD, "r"), (options.outputFD, "w"), (options.errorFD, "w")]
    var opened: [UnsafeMutablePointer<FILE>] = []
    for (fd, mode) in modes {
      let copy = dup(fd)
      guard copy >= 0, let file = fdopen(copy, mode) else {
        if copy >= 0 { close(copy) }
        for file in opened { fclose(file) }
        return nil
      }
      opened.append(file)
    }
    guard let editLine = el_init("glimpse", opened[0], opened[1], opened[2]),
      let history = history_init()
    else {
      for file in opened { fclose(file) }
      return nil
    }
    self.editLine = editLine
    self.history = history
    files = opened
    outputFile = opened[1]
    historyPath = options.historyPath
    promptText = strdup("")
    configure(options: options)
  }

  deinit {
    el_end(editLine)
    history_end(history)
    for file in files { fclose(file) }
    free(promptText)
  }

  /// The prompt shown by the next ``readLine()``.
  var prompt: String {
    get { String(cString: promptText) }
    set {
      free(promptText)
      promptText = strdup(newValue)
    }
  }

  /// Reads one line (without its newline), with editing, history and completion.
  func readLine() -> Input {
    cancelled = false
    el_resize(editLine)  // NB: no EL_SIGNAL (its handler re-raises to the whole process group).
    var count: Int32 = 0
    guard let bytes = el_gets(editLine, &count), count > 0 else { return .endOfInput }
    if cancelled { return .cancelled }
    var line = String(cString: bytes)
    if line.hasSuffix("\n") { line.removeLast() }
    return .line(line)
  }

  /// Queues text as if typed (typeahead from a running cell, a continuation indent).
  func push(_ text: String) {
    guard !text.isEmpty, !text.contains("\0") else { return }
    var wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
    wide.append(0)
    el_wpush(editLine, wide)
  }

  /// Adds a line to history and rewrites the history file, so a crash loses nothing.
  func addHistory(_ line: String) {
    glimpse_history_enter(history, line)
    if let historyPath { glimpse_history_save(history, historyPath) }
  }

  private func configure(options: TerminalOptions) {
    glimpse_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
    if let type = options.terminalType { glimpse_el_set_terminal(editLine, type) }
    glimpse_el_set_editor(editLine, "emacs")
    glimpse_el_set_prompt(editLine) { el in
      LineEditor.owner(of: el)?.promptText
    }
    glimpse_history_set_size(history, Int32(options.historySize))
    glimpse_history_set_unique(history, 1)
    if let historyPath { glimpse_history_load(history, historyPath) }
    glimpse_el_set_history(editLine, history)
    // Ctrl-C must reach us as a key while editing, not as SIGINT. Between lines (running a cell)
    // keys stay raw too, so nothing typed as a cell starts is cooked (a Ctrl-D turned into an
    // end-of-file marker) before ``CellRunner`` reads it.
    glimpse_el_setty(editLine, "-d", "-isig")
    for flag in ["-icanon", "-echo", "-isig", "-iexten"] { glimpse_el_setty(editLine, "-x", flag) }
    glimpse_el_add_function(editLine, "glimpse-complete", "Complete the word at the cursor") {
      el, _ in
      guard let editor = LineEditor.owner(of: el) else { return UInt8(CC_ERROR) }
      return editor.completeAtCursor()
    }
    glimpse_el_add_function(editLine, "glimpse-cancel", "Abandon the line") { el, _ in
      guard let editor = LineEditor.owner(of: el) else { return UInt8(CC_ERROR) }
      return editor.cancelLine()
    }
    glimpse_el_bind(editLine, "^I", "glimpse-complete")
    glimpse_el_bind(editLine, "^C", "glimpse-cancel")
  }

  /// Shows `^C` after the line and ends it; ``readLine()`` then reports `.cancelled`.
  private func cancelLine() -> UInt8 {
    cancelled = true
    if let info = el_wline(editLine)?.pointee {
      el_cursor(editLine, Int32(info.lastchar - info.cursor))
    }
    el_insertstr(editLine, "^C")
    // NB: returning CC_NEWLINE here would leave the cursor on the line; a queued Return runs
    // libedit's own newline, which moves below the line before `el_gets` returns.
    el_push(editLine, "\r")
    return UInt8(CC_REFRESH)
  }

  static func owner(of editLine: OpaquePointer?) -> LineEditor? {
    guard let editLine, let data = glimpse_el_clientdata(editLine) else { return nil }
    return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
  }

  /// libedit decodes keys with the C library's multibyte functions: make them UTF-8.
  private static func useUTF8Locale() {
    setlocale(LC_CTYPE, "")
    let codeset = String(cString: nl_langinfo(nl_item(CODESET))).uppercased()
    if codeset != "UTF-8" && codeset != "UTF8" { setlocale(LC_CTYPE, "C.UTF-8") }
  }
}
