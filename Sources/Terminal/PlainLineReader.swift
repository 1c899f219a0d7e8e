// Line reading without a terminal (pipes, files): no editing, no prompt, but SIGINT still stops
// the wait.
import Foundation

/// Reads `\n`-separated lines from a descriptor, watching an interrupt pipe meanwhile.
final class PlainLineReader {
  enum Input: Equatable {
    case line(String)
    case endOfInput
    case interrupted
  }

  private let fd: Int32
  private let interrupts: InterruptSignal
  private var buffer: [UInt8] = []
  private var atEnd = false

  init(fd: Int32, interrupts: InterruptSignal) {
    self.fd = fd
    self.interrupts = interrupts
  }

  /// The next line without its terminator (`\r\n` too); the last line may lack one.
  func readLine() -> Input {
    while true {
      if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        var line = buffer[..<newline]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        buffer.removeSubrange(...newline)
        return .line(String(decoding: line, as: UTF8.self))
      }
      if atEnd {
        guard !buffer.isEmpty else { return .endOfInput }
        defer { buffer.removeAll() }
        return .line(String(decoding: buffer, as: UTF8.self))
      }
      if !fill() { return .interrupted }
    }
  }

  /// Reads more bytes; false when SIGINT arrived first.
  private func fill() -> Bool {
    var fds = [
      pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
      pollfd(fd: interrupts.readFD, events: Int16(POLLIN), revents: 0),
    ]
    while poll(&fds, 2, -1) < 0 && errno == EINTR {}
    if fds[1].revents != 0, interrupts.drain() { return false }
    var chunk = [UInt8](repeating: 0, count: 4096)
    let count = read(fd, &chunk, chunk.count)
    if count <= 0 {
      if count < 0 && errno == EINTR { return true }
      atEnd = true
    } else {
      buffer.append(contentsOf: chunk[..<count])
    }
    return true
  }
}
