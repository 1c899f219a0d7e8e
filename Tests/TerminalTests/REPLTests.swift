// The REPL driven through a real pseudo-terminal: completion, continuation lines, Ctrl-C, Ctrl-D,
// history across runs, images.
import Foundation
import Terminal
import XCTest

final class REPLTests: XCTestCase {
  private var directory: URL!
  private var toy: ToyExecutor!
  private var terminal: PseudoTerminal!

  override func setUpWithError() throws {
    directory = try temporaryDirectory()
    toy = ToyExecutor()
    terminal = try PseudoTerminal()
  }

  override func tearDown() {
    terminal.close()
    try? FileManager.default.removeItem(at: directory)
  }

  private func startREPL() {
    terminal.start(REPL(executor: toy, options: terminal.options(directory: directory)))
    terminal.waitFor("glimpse> ")
  }

  private func leave() {
    terminal.type("\u{4}")
    XCTAssertEqual(terminal.waitForExit(), 0)
  }

  func testTabCompletesUniqueWord() {
    startREPL()
    terminal.type("sal\t")
    terminal.waitFor("iency")
    terminal.type("\r")
    terminal.waitFor("ran saliency")
    XCTAssertEqual(toy.executed, ["saliency"])
    leave()
  }

  func testTabExtendsCommonPrefixThenListsCandidates() {
    startREPL()
    terminal.type("gr\t")
    terminal.waitFor("ad")  // gr -> grad, the prefix gradcam and gradients share
    terminal.type("\t")
    terminal.waitFor("gradcam")
    terminal.waitFor("gradients")
    terminal.type("c\t\r")
    terminal.waitFor("ran gradcam")
    XCTAssertEqual(toy.executed, ["gradcam"])
    leave()
  }

  func testCompletionReplacesOnlyTheWordAtTheCursor() {
    startREPL()
    terminal.type("echo sp\t tail\r")
    terminal.waitFor("spin tail\r\n")
    XCTAssertEqual(toy.executed, ["echo spin tail"])
    leave()
  }

  func testNonASCIIInputReachesTheExecutorIntact() {
    startREPL()
    terminal.type("echo héllo wörld 🙂\r")
    terminal.waitFor("héllo wörld 🙂\r\n")
    XCTAssertEqual(toy.executed, ["echo héllo wörld 🙂"])
    leave()
  }

  func testTrailingBackslashContinuesOnTheNextLine() {
    startREPL()
    terminal.type("echo one \\\r")
    terminal.waitFor("   ...> ")
    terminal.type("two\r")
    terminal.waitFor("one two\r\n")
    XCTAssertEqual(toy.executed, ["echo one \\\ntwo"])
    terminal.waitFor("glimpse> ")
    leave()
  }

  func testCtrlCInterruptsRunningCellAndKeepsState() {
    startREPL()
    terminal.type("set x 5\r")
    terminal.waitFor("glimpse> ")
    terminal.type("spin\r")
    terminal.waitFor("spinning")
    let start = Date()
    terminal.type("\u{3}")
    terminal.waitFor("interrupted", timeout: 1)
    terminal.waitFor("glimpse> ", timeout: 1)
    XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    XCTAssertEqual(toy.interruptCount, 1)
    terminal.type("get x\r")
    terminal.waitFor("x = 5")
    leave()
  }

  func testKeysTypedDuringACellReachThePrompt() {
    startREPL()
    terminal.type("spin\r")
    terminal.waitFor("spinning")
    terminal.type("get y")
    usleep(50_000)
    terminal.type("\u{3}")
    terminal.waitFor("glimpse> ")
    terminal.type("\r")
    terminal.waitFor("y = unset")
    XCTAssertEqual(toy.executed, ["spin", "get y"])
    leave()
  }

  func testSeveralLinesTypedDuringACellRunInOrder() {
    startREPL()
    terminal.type("spin\r")
    terminal.waitFor("spinning")
    terminal.type("get a\rget b\r\u{4}")
    usleep(50_000)
    terminal.type("\u{3}")
    XCTAssertEqual(terminal.waitForExit(), 0)
    XCTAssertEqual(toy.executed, ["spin", "get a", "get b"])
  }

  func testCtrlCAtThePromptAbandonsTheLineAndTheCell() {
    startREPL()
    terminal.type("partial words\u{3}")
    terminal.waitFor("^C")
    terminal.waitFor("glimpse> ")
    terminal.type("echo a \\\r")
    terminal.waitFor("   ...> ")
    terminal.type("\u{3}")
    terminal.waitFor("glimpse> ")
    terminal.type("get x\r")
    terminal.waitFor("x = unset")
    XCTAssertEqual(toy.executed, ["get x"])
    leave()
  }

  func testCtrlDOnEmptyPromptLeaves() {
    startREPL()
    terminal.type("\u{4}")
    XCTAssertEqual(terminal.waitForExit(timeout: 1), 0)
    XCTAssertEqual(toy.executed, [])
    var settings = termios()
    XCTAssertEqual(tcgetattr(terminal.slave, &settings), 0)
    let cooked = tcflag_t(ICANON | ECHO | ISIG)
    XCTAssertEqual(settings.c_lflag & cooked, cooked, "the terminal was left raw")
  }

  func testCtrlDOnAContinuationLineAbandonsOnlyTheCell() {
    startREPL()
    terminal.type("echo a \\\r")
    terminal.waitFor("   ...> ")
    terminal.type("\u{4}")
    terminal.waitFor("glimpse> ")
    terminal.type("get x\r")
    terminal.waitFor("x = unset")
    XCTAssertEqual(toy.executed, ["get x"])
    leave()
  }

  func testExitCommandLeaves() {
    startREPL()
    terminal.type("exit\r")
    XCTAssertEqual(terminal.waitForExit(timeout: 1), 0)
  }

  func testErrorsShowTheDiagnosticAndTheSessionContinues() {
    startREPL()
    terminal.type("bogus\r")
    terminal.waitFor("error: unknown command 'bogus'")
    terminal.waitFor("--> cell 1, line 1, column 1")
    terminal.waitFor("glimpse> ")
    terminal.type("echo still here\r")
    terminal.waitFor("still here")
    leave()
  }

  func testHistoryIsSavedAndReloaded() throws {
    startREPL()
    terminal.type("set a 1\r")
    terminal.waitFor("glimpse> ")
    terminal.type("get a\r")
    terminal.waitFor("a = 1")
    let history = try String(
      contentsOf: directory.appendingPathComponent("history"), encoding: .utf8)
    XCTAssertTrue(history.contains("get"), history)  // saved per line, before leaving
    leave()
    terminal.close()

    // A second session on the same file: Ctrl-P recalls the last line of the first.
    terminal = try PseudoTerminal()
    let second = ToyExecutor()
    terminal.start(REPL(executor: second, options: terminal.options(directory: directory)))
    terminal.waitFor("glimpse> ")
    terminal.type("\u{10}\r")
    terminal.waitFor("a = unset")
    XCTAssertEqual(second.executed, ["get a"])
    leave()
  }

  func testImagesAreSavedAndTheirPathsPrinted() throws {
    startREPL()
    terminal.type("image\r")
    let path = directory.appendingPathComponent("out/out-1-1.png").path
    terminal.waitFor("toy image -> \(path)")
    XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data(ToyExecutor.png))
    terminal.type("echo x\r")
    terminal.waitFor("glimpse> ")
    terminal.type("image\rimage\r")
    terminal.waitFor("out-3-1.png")
    terminal.waitFor("out-4-1.png")
    leave()
  }

  func testProgressUpdatesOneLineOnATerminal() {
    startREPL()
    terminal.type("progress\r")
    terminal.waitFor("100%")
    terminal.waitFor("glimpse> ")
    XCTAssertTrue(terminal.text.contains("0%\r50%\r100%\r\n"), terminal.text.debugDescription)
    leave()
  }
}
