// A tiny line-per-command language standing in for the Glimpse interpreter in these tests.
import Foundation
import Interpreter
import Synchronization

/// Commands: `set NAME VALUE`, `get NAME`, `echo WORDS`, `spin` (runs until interrupted, 10 s at
/// most), `image` (a PNG display), `progress`, `fail`, `exit`, and the names in ``vocabulary``.
/// A trailing backslash continues a command on the next line.
final class ToyExecutor: CellExecutor, @unchecked Sendable {
  static let vocabulary = ["gradcam", "gradients", "saliency", "set", "get", "echo", "spin"]
  static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 250]

  private let interruptRequested = Atomic<Bool>(false)
  private let state = Mutex<(variables: [String: String], sources: [String], interrupts: Int)>(
    ([:], [], 0))

  var executed: [String] { state.withLock { $0.sources } }
  var interruptCount: Int { state.withLock { $0.interrupts } }

  func execute(_ source: String, cellNumber: Int?, sink: any OutputSink) -> ExecutionOutcome {
    interruptRequested.store(false, ordering: .sequentiallyConsistent)
    state.withLock { $0.sources.append(source) }
    for (lineNumber, line) in Self.commands(in: source) {
      let words = line.split(separator: " ").map(String.init)
      guard let command = words.first else { continue }
      switch command {
      case "set": state.withLock { $0.variables[words[1]] = words[2] }
      case "get":
        let value = state.withLock { $0.variables[words[1]] } ?? "unset"
        sink.emit(.stream(name: "stdout", text: "\(words[1]) = \(value)\n"))
      case "echo":
        sink.emit(
          .result(
            MIMEBundle(data: [
              "text/plain": .text(
                words.dropFirst()
                  .joined(separator: " "))
            ])))
      case "spin":
        sink.emit(.stream(name: "stdout", text: "spinning\n"))
        if !spin() { return .interrupted }
      case "image":
        sink.emit(
          .display(
            MIMEBundle(data: [
              "image/png": .binary(Self.png), "text/plain": .text("toy image"),
            ]), displayID: nil))
      case "progress":
        sink.emit(.display(MIMEBundle(data: ["text/plain": .text("0%")]), displayID: "p"))
        sink.emit(.updateDisplay(MIMEBundle(data: ["text/plain": .text("50%")]), displayID: "p"))
        sink.emit(.updateDisplay(MIMEBundle(data: ["text/plain": .text("100%")]), displayID: "p"))
      case "longimage":
        // A long command: progress text, then the final picture replacing it.
        sink.emit(.display(MIMEBundle(data: ["text/plain": .text("0%")]), displayID: "q"))
        sink.emit(
          .updateDisplay(
            MIMEBundle(data: ["image/png": .binary(Self.png), "text/plain": .text("final")]),
            displayID: "q"))
      case "exit": return .exit
      case _ where Self.vocabulary.contains(command):
        sink.emit(.stream(name: "stdout", text: "ran \(command)\n"))
      default:
        let place = cellNumber.map { "cell \($0), " } ?? ""
        return .error(
          name: "UnknownCommand", message: "unknown command '\(command)'",
          diagnostic: [
            "error: unknown command '\(command)'", " --> \(place)line \(lineNumber), column 1",
            "  | \(line)", "  | " + String(repeating: "^", count: command.count),
          ])
      }
    }
    return .ok
  }

  /// Commands with the physical line they start on; a trailing `\\` joins the next line.
  static func commands(in source: String) -> [(Int, String)] {
    var commands: [(Int, String)] = []
    var current: (Int, String)? = nil
    for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      var text = current.map { $0.1 + " " } ?? ""
      let continued = line.hasSuffix("\\")
      text += continued ? line.dropLast() : line
      current = (current?.0 ?? index + 1, text)
      if !continued, let finished = current {
        commands.append(finished)
        current = nil
      }
    }
    if let current { commands.append(current) }
    return commands
  }

  /// Loops until interrupted (false) or 10 s have passed (true).
  private func spin() -> Bool {
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
      if interruptRequested.load(ordering: .sequentiallyConsistent) {
        state.withLock { $0.interrupts += 1 }
        return false
      }
      usleep(2_000)
    }
    return true
  }

  func complete(_ source: String, cursor: Int) -> CompletionResult {
    let scalars = Array(source.unicodeScalars)
    var start = cursor
    while start > 0 && scalars[start - 1] != " " && scalars[start - 1] != "\n" { start -= 1 }
    let word = String(String.UnicodeScalarView(scalars[start..<cursor]))
    let matches = Self.vocabulary.filter { $0.hasPrefix(word) }
    return CompletionResult(matches: matches, start: start, end: cursor)
  }

  func inspect(_ source: String, cursor: Int) -> String? { nil }

  func isComplete(_ source: String) -> CompletenessStatus {
    source.hasSuffix("\\") ? .incomplete(indent: "") : .complete
  }

  func interrupt() {
    interruptRequested.store(true, ordering: .sequentiallyConsistent)
  }
}
