// SIGINT as bytes on a pipe (the self-pipe trick): a handler may not capture or lock, but it may
// write(2), and the waiting thread can poll the pipe beside its other descriptors.
import Foundation
import Synchronization

/// Catches SIGINT while active and makes each one readable on ``readFD``.
final class InterruptSignal {
  /// The write end the handler uses; -1 when no instance is active.
  private static let handlerFD = Atomic<Int32>(-1)

  let readFD: Int32
  private let writeFD: Int32
  private var previous = sigaction()
  private var active = false

  init() {
    var fds: [Int32] = [-1, -1]
    precondition(pipe(&fds) == 0, "pipe() failed: out of descriptors")
    readFD = fds[0]
    writeFD = fds[1]
    for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
  }

  deinit {
    deactivate()
    close(readFD)
    close(writeFD)
  }

  /// Installs the handler (with `SA_RESTART`, so reads elsewhere are not cut short).
  func activate() {
    guard !active else { return }
    Self.handlerFD.store(writeFD, ordering: .sequentiallyConsistent)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
      var byte: UInt8 = 3
      let fd = InterruptSignal.handlerFD.load(ordering: .relaxed)
      if fd >= 0 { _ = write(fd, &byte, 1) }
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(SIGINT, &action, &previous)
    active = true
  }

  /// Puts back whatever handled SIGINT before.
  func deactivate() {
    guard active else { return }
    sigaction(SIGINT, &previous, nil)
    Self.handlerFD.store(-1, ordering: .sequentiallyConsistent)
    active = false
  }

  /// Empties the pipe; true if a signal had arrived since the last drain.
  @discardableResult
  func drain() -> Bool {
    var any = false
    var buffer = [UInt8](repeating: 0, count: 64)
    while read(readFD, &buffer, buffer.count) > 0 { any = true }
    return any
  }
}
