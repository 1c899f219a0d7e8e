// The REPL over the real Glimpse session, through a pseudo-terminal: completion from the session's
// names, and Ctrl-C stopping a long occlusion with the session intact.
import Foundation
import Interpreter
import Terminal
import XCTest

final class REPLSessionTests: XCTestCase {
  private var directory: URL!
  private var terminal: PseudoTerminal!

  override func setUpWithError() throws {
    directory = try temporaryDirectory()
    terminal = try PseudoTerminal()
  }

  override func tearDown() {
    terminal.close()
    try? FileManager.default.removeItem(at: directory)
  }

  func testCompletionAndCtrlCDuringALongOcclusion() {
    let session = Session(directory: directory)
    terminal.start(REPL(executor: session, options: terminal.options(directory: directory)))
    terminal.waitFor("glimpse> ")
    terminal.type("load\r")
    terminal.waitFor("loaded efficientnet-lite0", timeout: 20)
    terminal.type("image chel\t")
    terminal.waitFor("sea")  // the bundled photo's name, completed by the session
    terminal.type("\r")
    terminal.waitFor("image chelsea: 451x300")
    terminal.type("occlusion patch=4 stride=1\r")  // ~50,000 forward passes: minutes
    usleep(1_500_000)
    let start = Date()
    terminal.type("\u{3}")
    terminal.waitFor("interrupted", timeout: 5)
    terminal.waitFor("glimpse> ", timeout: 5)
    let latency = Date().timeIntervalSince(start)
    XCTAssertLessThan(latency, 3, "Ctrl-C took \(latency) s to return to the prompt")
    terminal.type("predict top=1\r")
    terminal.waitFor("Egyptian_cat", timeout: 20)
    terminal.type("\u{4}")
    XCTAssertEqual(terminal.waitForExit(timeout: 10), 0)
  }
}
