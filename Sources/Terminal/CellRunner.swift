// Runs one cell on a worker thread while the calling thread waits for it, for SIGINT, or for a
// Ctrl-C byte on the terminal, and forwards either as `executor.interrupt()`.
import Foundation
import Interpreter
import Synchronization

/// Carries a value that is not `Sendable` to the worker, which is its only user while it runs.
struct Unchecked<Value>: @unchecked Sendable {
  let value: Value
}

/// What a cell left behind: how it ended and the keys typed meanwhile (to replay at the prompt).
struct CellRun {
  var outcome: ExecutionOutcome
  var typeahead: [UInt8]
}

/// Waits for cells on the calling thread, turning Ctrl-C into interrupts.
///
/// NB: while a cell runs and input is a terminal, the terminal is switched to non-canonical mode
/// without echo and without `ISIG`, so Ctrl-C arrives as byte 3 whether or not the terminal is
/// the process's controlling terminal (it is not under test). Other keys are kept as typeahead.
/// SIGINT from elsewhere (`kill -INT`, or Ctrl-C when input is not a terminal) is caught too.
final class CellRunner {
  private let executor: any CellExecutor
  private let interrupts: InterruptSignal
  private let terminalFD: Int32?
  private let done: (read: Int32, write: Int32)

  init(executor: any CellExecutor, interrupts: InterruptSignal, terminalFD: Int32?) {
    self.executor = executor
    self.interrupts = interrupts
    self.terminalFD = terminalFD
    var fds: [Int32] = [-1, -1]
    precondition(pipe(&fds) == 0, "pipe() failed: out of descriptors")
    done = (fds[0], fds[1])
  }

  deinit {
    close(done.read)
    close(done.write)
  }

  /// Runs `source` as cell `number`, returning once the executor has returned.
  func run(_ source: String, number: Int?, sink: any OutputSink) -> CellRun {
    interrupts.drain()
    let result = Mutex<ExecutionOutcome?>(nil)
    let job = Unchecked(value: (executor, sink))
    let signalDone = done.write
    let worker = Thread {
      let outcome = job.value.0.execute(source, cellNumber: number, sink: job.value.1)
      result.withLock { $0 = outcome }
      var byte: UInt8 = 1
      _ = write(signalDone, &byte, 1)
    }
    worker.stackSize = 16 << 20
    let saved = terminalFD.flatMap(Self.enterWatchMode)
    worker.start()
    let typeahead = waitForWorker()
    if let terminalFD, var saved { tcsetattr(terminalFD, TCSANOW, &saved) }
    return CellRun(outcome: result.withLock { $0 } ?? .ok, typeahead: typeahead)
  }

  /// Polls the done pipe, the signal pipe and the terminal until the worker signals completion.
  private func waitForWorker() -> [UInt8] {
    var typeahead: [UInt8] = []
    var fds = [
      pollfd(fd: done.read, events: Int16(POLLIN), revents: 0),
      pollfd(fd: interrupts.readFD, events: Int16(POLLIN), revents: 0),
    ]
    if let terminalFD { fds.append(pollfd(fd: terminalFD, events: Int16(POLLIN), revents: 0)) }
    while true {
      if poll(&fds, nfds_t(fds.count), -1) < 0 {
        if errno == EINTR { continue }
        break
      }
      if fds[0].revents != 0 {
        var byte: UInt8 = 0
        _ = read(done.read, &byte, 1)
        break
      }
      if fds[1].revents != 0, interrupts.drain() { executor.interrupt() }
      if fds.count > 2, fds[2].revents & Int16(POLLIN) != 0 {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = read(fds[2].fd, &buffer, buffer.count)
        if count > 0 {
          for byte in buffer[..<count] {
            if byte == 3 { executor.interrupt() } else { typeahead.append(byte) }
          }
        } else {
          fds.removeLast()  // hung up: stop watching it
        }
      } else if fds.count > 2, fds[2].revents != 0 {
        fds.removeLast()
      }
    }
    return typeahead
  }

  /// Non-canonical, no echo, no signals; returns the settings to restore.
  private static func enterWatchMode(_ fd: Int32) -> termios? {
    var saved = termios()
    guard tcgetattr(fd, &saved) == 0 else { return nil }
    var raw = saved
    raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
    withUnsafeMutableBytes(of: &raw.c_cc) { cc in
      cc[Int(VMIN)] = 1
      cc[Int(VTIME)] = 0
    }
    tcsetattr(fd, TCSANOW, &raw)
    return saved
  }
}
