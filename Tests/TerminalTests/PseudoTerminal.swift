// A REPL running in-process on the slave side of a pty, driven from the master side like a user.
import Foundation
import Synchronization
import Terminal
import XCTest

/// Opens a pty, runs a ``REPL`` on its slave from a thread, and records the screen bytes.
final class PseudoTerminal: @unchecked Sendable {
  let master: Int32
  let slave: Int32
  private let screen = Mutex<[UInt8]>([])
  private let exitCode = Mutex<Int32?>(nil)
  private let stopReading = Atomic<Bool>(false)
  private var reader: Thread?
  /// Where ``waitFor(_:timeout:)`` resumes, so each wait looks at new output only.
  private var mark = 0

  init() throws {
    var master: Int32 = -1
    var slave: Int32 = -1
    var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
    guard openpty(&master, &slave, nil, nil, &size) == 0 else {
      throw NSError(domain: "openpty", code: Int(errno))
    }
    self.master = master
    self.slave = slave
    let reader = Thread { [self] in readScreen() }
    self.reader = reader
    reader.start()
  }

  /// Options pointing every descriptor at the slave, with files under `directory`.
  func options(directory: URL) -> TerminalOptions {
    var options = TerminalOptions()
    options.inputFD = slave
    options.outputFD = slave
    options.errorFD = slave
    options.historyPath = directory.appendingPathComponent("history").path
    options.outputDirectory = directory.appendingPathComponent("out").path
    options.inlineImages = .disabled
    options.colour = .never
    options.terminalType = "vt100"
    return options
  }

  /// Starts `repl.run()` on its own thread.
  func start(_ repl: REPL) {
    let box = UncheckedBox(repl)
    Thread { [self] in
      let code = box.value.run()
      exitCode.withLock { $0 = code }
    }.start()
  }

  func type(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
  }

  /// The screen so far with escape sequences removed.
  var text: String { Self.plain(String(decoding: screen.withLock { $0 }, as: UTF8.self)) }

  /// Waits until `needle` appears after the previous wait's match; fails the test on timeout.
  @discardableResult
  func waitFor(
    _ needle: String, timeout: TimeInterval = 3, file: StaticString = #filePath, line: UInt = #line
  ) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      let current = text
      let start = current.index(current.startIndex, offsetBy: min(mark, current.count))
      if let range = current.range(of: needle, range: start..<current.endIndex) {
        mark = current.distance(from: current.startIndex, to: range.upperBound)
        return true
      }
      usleep(5_000)
    }
    XCTFail(
      "timed out waiting for \(needle.debugDescription); screen:\n\(text)", file: file,
      line: line)
    return false
  }

  /// The REPL's exit code once it has returned, waiting up to `timeout`.
  func waitForExit(timeout: TimeInterval = 3) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let code = exitCode.withLock({ $0 }) { return code }
      usleep(5_000)
    }
    return nil
  }

  /// Stops the reader, then closes both ends (after the REPL has left).
  func close() {
    stopReading.store(true, ordering: .sequentiallyConsistent)
    while reader?.isFinished == false { usleep(2_000) }
    Foundation.close(master)
    Foundation.close(slave)
  }

  private func readScreen() {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !stopReading.load(ordering: .sequentiallyConsistent) {
      var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
      guard poll(&fds, 1, 20) > 0 else { continue }
      let count = read(master, &buffer, buffer.count)
      if count <= 0 {
        usleep(2_000)
        continue
      }
      screen.withLock { $0.append(contentsOf: buffer[..<count]) }
    }
  }

  /// Drops CSI sequences (`ESC [ ... letter`) and other two-byte escapes.
  static func plain(_ text: String) -> String {
    var result = ""
    var iterator = text.unicodeScalars.makeIterator()
    while let scalar = iterator.next() {
      guard scalar == "\u{1B}" else {
        result.unicodeScalars.append(scalar)
        continue
      }
      guard let next = iterator.next() else { break }
      if next == "[" {
        while let c = iterator.next(), !(c.value >= 0x40 && c.value <= 0x7E) {}
      }
    }
    return result
  }
}

/// Moves a non-Sendable value into a thread closure.
struct UncheckedBox<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

/// A fresh temporary folder per test.
func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "glimpse-terminal-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
