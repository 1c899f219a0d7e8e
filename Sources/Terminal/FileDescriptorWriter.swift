// Unbuffered writes to a file descriptor, shared by the worker thread and the main thread.
import Foundation
import Synchronization

/// Writes whole strings or byte arrays to a descriptor, one writer at a time.
///
/// Unbuffered on purpose: a cell's output must be on screen before the prompt that follows it,
/// and libedit writes the prompt through its own `FILE *`.
final class FileDescriptorWriter: Sendable {
  let fd: Int32
  private let lock = Mutex(())

  init(fd: Int32) {
    self.fd = fd
  }

  /// Whether the descriptor is a terminal.
  var isTerminal: Bool { isatty(fd) == 1 }

  func write(_ text: String) {
    write(Array(text.utf8))
  }

  func write(_ bytes: [UInt8]) {
    lock.withLock { _ in
      bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
          let written = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
          if written < 0 {
            if errno == EINTR || errno == EAGAIN { continue }
            return  // NB: a closed terminal or pipe loses output rather than killing the session.
          }
          offset += written
        }
      }
    }
  }
}
