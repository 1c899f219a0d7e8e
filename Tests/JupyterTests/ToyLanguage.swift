// A tiny language for kernel tests: one command per cell, outputs of every kind.
import Foundation
import JupyterKernel
import JupyterProtocol
import Synchronization

/// Commands: `print X`, `warn X`, `display X`, `update X`, `fail`, `throw`, `sleep MS`,
/// `exit`, `page`; anything else echoes itself as the execute_result.
final class ToyLanguage: KernelLanguage {
  static let keywords = ["print", "warn", "display", "update", "fail", "throw", "sleep", "exit"]

  let interrupts = Atomic<Int>(0)
  let shutdowns = Atomic<Int>(0)

  var languageInfo: LanguageInfo {
    LanguageInfo(name: "toy", version: "1.0", mimetype: "text/x-toy", fileExtension: ".toy")
  }
  var banner: String { "Toy language for tests" }
  var helpLinks: [HelpLink] { [HelpLink(text: "Toy", url: "https://example.org/toy")] }

  struct Oops: Error, CustomStringConvertible {
    var description: String { "thrown from Swift" }
  }

  func execute(_ code: String, context: ExecutionContext) throws -> ExecutionOutcome {
    let (word, rest) = split(code)
    switch word {
    case "print": context.stream(rest + "\n")
    case "warn": context.stream(rest + "\n", to: .stderr)
    case "display": context.display(["text/plain": .string(rest)], displayID: "d-\(rest)")
    case "update": context.updateDisplay(["text/plain": .string(rest)], displayID: "d-\(rest)")
    case "fail": return .error(ExecutionError(ename: "ToyError", evalue: "boom"))
    case "throw": throw Oops()
    case "exit": return .ok(payloads: [ExecutionPayload.askExit()])
    case "sleep":
      // Sleep in small steps, checking for an interrupt between them.
      let deadline = Date().addingTimeInterval((Double(rest) ?? 0) / 1000)
      while Date() < deadline {
        if context.isInterrupted {
          return .error(ExecutionError(ename: "Interrupted", evalue: "interrupted by user"))
        }
        Thread.sleep(forTimeInterval: 0.002)
      }
    default: context.result(["text/plain": .string(code)])
    }
    return .ok
  }

  /// Completes the word before the cursor; positions are code points.
  func complete(_ code: String, cursor: Int) -> Completion {
    let scalars = Array(code.unicodeScalars.prefix(cursor))
    var start = scalars.count
    while start > 0, scalars[start - 1].properties.isAlphabetic { start -= 1 }
    var prefix = String.UnicodeScalarView()
    prefix.append(contentsOf: scalars[start...])
    let matches = Self.keywords.filter { $0.hasPrefix(String(prefix)) }
    return Completion(matches: matches, cursorStart: start, cursorEnd: cursor)
  }

  func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? {
    let word = split(code).0
    guard Self.keywords.contains(word) else { return nil }
    return ["text/plain": .string("\(word): a toy command (detail \(detailLevel))")]
  }

  func isComplete(_ code: String) -> CodeCompleteness {
    if code.hasSuffix("\\") { return .incomplete(indent: "  ") }
    if code.contains("!!") { return .invalid }
    return .complete
  }

  func interrupt() { interrupts.add(1, ordering: .relaxed) }
  func shutdown(restart: Bool) { shutdowns.add(1, ordering: .relaxed) }

  private func split(_ code: String) -> (String, String) {
    let parts = code.split(separator: " ", maxSplits: 1).map(String.init)
    return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
  }
}
