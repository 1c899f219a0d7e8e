// The REPL without a terminal: plain lines, no prompt, no history, errors do not stop it.
import Foundation
import Terminal
import XCTest

final class PlainREPLTests: XCTestCase {
  private var directory: URL!
  private var captured: CapturedOutput!
  private var toy: ToyExecutor!

  override func setUpWithError() throws {
    directory = try temporaryDirectory()
    captured = CapturedOutput(directory: directory)
    toy = ToyExecutor()
  }

  override func tearDown() {
    captured = nil
    try? FileManager.default.removeItem(at: directory)
  }

  func testPipedInputRunsEachCellWithoutPromptsOrHistory() throws {
    try captured.provideInput("set y 2\n\nget y\necho a \\\nb\nbogus\nget y\n")
    var options = captured.options
    let history = directory.appendingPathComponent("history").path
    options.historyPath = history
    XCTAssertEqual(REPL(executor: toy, options: options).run(), 0)
    XCTAssertEqual(toy.executed, ["set y 2", "get y", "echo a \\\nb", "bogus", "get y"])
    XCTAssertEqual(captured.output, "y = 2\na b\ny = 2\n")
    XCTAssertTrue(
      captured.errors.hasPrefix("error: unknown command 'bogus'\n --> cell 4, line 1"),
      captured.errors)
    XCTAssertFalse(FileManager.default.fileExists(atPath: history))
  }

  func testUnfinishedCellAtEndOfInputStillRuns() throws {
    try captured.provideInput("echo last \\")
    XCTAssertEqual(REPL(executor: toy, options: captured.options).run(), 0)
    XCTAssertEqual(toy.executed, ["echo last \\"])
  }

  func testExitStopsReading() throws {
    try captured.provideInput("echo one\nexit\necho two\n")
    XCTAssertEqual(REPL(executor: toy, options: captured.options).run(), 0)
    XCTAssertEqual(captured.output, "one\n")
  }

  func testSIGINTWhileWaitingForInputExits130() throws {
    var fds: [Int32] = [-1, -1]
    XCTAssertEqual(pipe(&fds), 0)
    defer { for fd in fds { close(fd) } }
    _ = "get y\n".withCString { write(fds[1], $0, 6) }  // the write end stays open: input waits
    var options = captured.options
    options.inputFD = fds[0]
    let stdout = directory.appendingPathComponent("stdout").path
    Thread {
      let deadline = Date().addingTimeInterval(3)
      while Date() < deadline {
        // Only once the REPL's handler is installed: the default one would end the tests.
        if (try? String(contentsOfFile: stdout, encoding: .utf8))?.contains("y = unset") == true {
          kill(getpid(), SIGINT)
          return
        }
        usleep(5_000)
      }
    }.start()
    XCTAssertEqual(REPL(executor: toy, options: options).run(), 130)
    XCTAssertEqual(captured.errors, "interrupted\n")
  }
}
