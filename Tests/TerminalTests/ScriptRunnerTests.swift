// `glimpse run`: exit codes, diagnostics at the script's own line numbers, images as files.
import Foundation
import Terminal
import XCTest

final class ScriptRunnerTests: XCTestCase {
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

  private func script(_ text: String) throws -> String {
    let url = directory.appendingPathComponent("script.glimpse")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  func testSuccessfulScriptExitsZeroWithItsOutput() throws {
    let path = try script("set x 3\nget x\necho done\n")
    XCTAssertEqual(ScriptRunner(executor: toy, options: captured.options).run(path: path), 0)
    XCTAssertEqual(captured.output, "x = 3\ndone\n")
    XCTAssertEqual(captured.errors, "")
    XCTAssertEqual(toy.executed.count, 1, "the script runs as one cell")
  }

  func testFirstErrorExitsOneWithTheScriptLineNumber() throws {
    let path = try script("set x 3\necho a \\\n  b\nbogus here\nget x\n")
    XCTAssertEqual(ScriptRunner(executor: toy, options: captured.options).run(path: path), 1)
    XCTAssertEqual(captured.output, "a b\n", "nothing after the failing line runs")
    XCTAssertEqual(
      captured.errors,
      """
      error: unknown command 'bogus'
       --> \(path), line 4, column 1
        | bogus here
        | ^^^^^

      """)
  }

  func testExitCommandEndsTheScriptSuccessfully() throws {
    let path = try script("echo a\nexit\nbogus\n")
    XCTAssertEqual(ScriptRunner(executor: toy, options: captured.options).run(path: path), 0)
    XCTAssertEqual(captured.output, "a\n")
  }

  func testUnreadableFileExitsOne() {
    let path = directory.appendingPathComponent("missing.glimpse").path
    XCTAssertEqual(ScriptRunner(executor: toy, options: captured.options).run(path: path), 1)
    XCTAssertEqual(captured.errors, "error: cannot read '\(path)': No such file or directory\n")
    XCTAssertEqual(toy.executed, [])
  }

  func testDashReadsTheScriptFromStandardInput() throws {
    try captured.provideInput("set y 7\nget y\n")
    XCTAssertEqual(ScriptRunner(executor: toy, options: captured.options).run(path: "-"), 0)
    XCTAssertEqual(captured.output, "y = 7\n")
  }

  func testImagesAreSavedAsNumberedFilesWithTheirPathsPrinted() throws {
    let path = try script("image\necho between\nimage\n")
    XCTAssertEqual(ScriptRunner(executor: toy, options: captured.options).run(path: path), 0)
    let out = directory.appendingPathComponent("out")
    let first = out.appendingPathComponent("out-1-1.png")
    let second = out.appendingPathComponent("out-1-2.png")
    XCTAssertEqual(
      captured.output, "toy image -> \(first.path)\nbetween\ntoy image -> \(second.path)\n")
    XCTAssertEqual(try Data(contentsOf: first), Data(ToyExecutor.png))
    XCTAssertEqual(try Data(contentsOf: second), Data(ToyExecutor.png))
  }

  func testProgressUpdatesAreDroppedWhenNotATerminal() throws {
    let path = try script("progress\n")
    XCTAssertEqual(ScriptRunner(executor: toy, options: captured.options).run(path: path), 0)
    XCTAssertEqual(captured.output, "0%\n")
  }

  /// A long command's final picture replaces its progress display: it is saved all the same.
  func testFinalPicturesArrivingAsUpdatesAreSaved() throws {
    let path = try script("longimage\n")
    XCTAssertEqual(ScriptRunner(executor: toy, options: captured.options).run(path: path), 0)
    let file = directory.appendingPathComponent("out/out-1-1.png")
    XCTAssertEqual(captured.output, "0%\nfinal -> \(file.path)\n")
    XCTAssertEqual(try Data(contentsOf: file), Data(ToyExecutor.png))
  }

  func testSIGINTInterruptsTheScriptWithExitCode130() throws {
    let path = try script("set x 1\nspin\necho never\n")
    let runner = ScriptRunner(executor: toy, options: captured.options)
    let stdout = directory.appendingPathComponent("stdout").path
    Thread {
      // Once the cell spins, signal the process as a terminal's Ctrl-C would.
      let deadline = Date().addingTimeInterval(3)
      while Date() < deadline {
        // Only while the runner's handler is installed: the default one would end the tests.
        if (try? String(contentsOfFile: stdout, encoding: .utf8))?.contains("spinning") == true {
          kill(getpid(), SIGINT)
          return
        }
        usleep(5_000)
      }
    }.start()
    let start = Date()
    XCTAssertEqual(runner.run(path: path), 130)
    XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    XCTAssertEqual(toy.interruptCount, 1)
    XCTAssertEqual(captured.output, "spinning\n")
    XCTAssertEqual(captured.errors, "interrupted\n")
  }
}
