// `glimpse run FILE`: a script runs as a single cell, so the interpreter's diagnostics count the
// script's own lines and the first failing command stops it.
import Foundation
import Interpreter

/// Runs a script non-interactively: exit code 0, or 1 at the first error (diagnostic on stderr).
///
/// The whole file is one cell, without a cell number: the interpreter stops at the first failing
/// command as a script should, and its `--> line L, column C` locations are the file's lines
/// (running line by line would restart the count at every statement). The runner adds the file
/// name to those location lines. Images are saved like the REPL's (`out-1-<k>.png`).
public final class ScriptRunner {
  private let executor: any CellExecutor
  private let options: TerminalOptions
  private let renderer: TerminalRenderer

  /// A runner over `executor`, writing where `options` says (its input is only used for `-`).
  public init(executor: any CellExecutor, options: TerminalOptions = TerminalOptions()) {
    self.executor = executor
    self.options = options
    renderer = TerminalRenderer(options: options)
  }

  /// Runs the file at `path` (`-` reads standard input); returns the process exit code.
  public func run(path: String) -> Int32 {
    let bytes: [UInt8]
    do {
      bytes = try path == "-" ? Self.readAll(fd: options.inputFD) : Self.readFile(path)
    } catch {
      renderer.reportError(
        name: "FileError", message: "cannot read '\(path)': \(error.reason)", diagnostic: [])
      return 1
    }
    guard let source = String(bytes: bytes, encoding: .utf8) else {
      renderer.reportError(
        name: "FileError", message: "'\(path)' is not UTF-8 text", diagnostic: [])
      return 1
    }
    return run(source: source, name: path == "-" ? "<stdin>" : path)
  }

  /// Runs `source` as the script called `name`; returns 0, 1 on error, 130 when interrupted.
  public func run(source: String, name: String) -> Int32 {
    let interrupts = InterruptSignal()
    interrupts.activate()
    defer { interrupts.deactivate() }
    // No terminal watching: keys typed during a script are not ours to take; SIGINT is enough.
    let runner = CellRunner(executor: executor, interrupts: interrupts, terminalFD: nil)
    renderer.beginCell(1)
    let outcome = runner.run(source, number: nil, sink: renderer).outcome
    renderer.finishCell()
    switch outcome {
    case .ok, .exit:
      return 0
    case .error(let errorName, let message, let diagnostic):
      renderer.reportError(
        name: errorName, message: message,
        diagnostic: diagnostic.map { Self.namingFile($0, name) })
      return 1
    case .interrupted:
      renderer.note("interrupted")
      return 130
    }
  }

  /// ` --> line 3, column 5` becomes ` --> script.glimpse, line 3, column 5`.
  static func namingFile(_ line: String, _ name: String) -> String {
    let indent = line.prefix { $0 == " " }
    let body = line.dropFirst(indent.count)
    guard body.hasPrefix("--> line ") else { return line }
    return "\(indent)--> \(name), \(body.dropFirst(4))"
  }

  /// A POSIX error with its `strerror` text.
  struct ReadError: Error {
    let reason: String
  }

  static func readFile(_ path: String) throws(ReadError) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw ReadError(reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    return try readAll(fd: fd)
  }

  static func readAll(fd: Int32) throws(ReadError) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = read(fd, &chunk, chunk.count)
      if count < 0 {
        if errno == EINTR { continue }
        throw ReadError(reason: String(cString: strerror(errno)))
      }
      if count == 0 { return bytes }
      bytes.append(contentsOf: chunk[..<count])
    }
  }
}
