// Output items fold into saved outputs as a front end shows them.
import Interpreter
import XCTest

@testable import Notebook

final class OutputFolderTests: XCTestCase {
  private func text(_ s: String) -> MIMEBundle { MIMEBundle(data: ["text/plain": .text(s)]) }

  func testStreamsMergeOnlyWhenConsecutiveAndSameName() {
    var folder = OutputFolder(executionCount: 4)
    folder.add(.stream(name: "stdout", text: "a\n"))
    folder.add(.stream(name: "stdout", text: "b\n"))
    folder.add(.stream(name: "stderr", text: "warn\n"))
    folder.add(.stream(name: "stdout", text: "c\n"))
    XCTAssertEqual(
      folder.outputs,
      [
        .stream(name: "stdout", text: "a\nb\n"), .stream(name: "stderr", text: "warn\n"),
        .stream(name: "stdout", text: "c\n"),
      ])
  }

  func testUpdateReplacesEveryDisplayWithItsIdAndResultTakesTheCount() {
    var folder = OutputFolder(executionCount: 7)
    folder.add(.display(text("0%"), displayID: "progress"))
    folder.add(.display(text("other"), displayID: nil))
    folder.add(.display(text("0% again"), displayID: "progress"))
    folder.add(.updateDisplay(text("100%"), displayID: "progress"))
    folder.add(.updateDisplay(text("ignored"), displayID: "unknown"))
    folder.add(.result(text("done")))
    XCTAssertEqual(
      folder.outputs,
      [
        .display(text("100%")), .display(text("other")), .display(text("100%")),
        .result(text("done"), executionCount: 7),
      ])
  }

  func testClearOutputNowAndOnNextOutput() {
    var folder = OutputFolder(executionCount: 1)
    folder.add(.stream(name: "stdout", text: "old\n"))
    folder.clear(wait: false)
    XCTAssertEqual(folder.outputs, [])
    folder.add(.display(text("frame 1"), displayID: "f"))
    folder.clear(wait: true)
    XCTAssertEqual(folder.outputs.count, 1, "wait keeps outputs until the next one")
    folder.add(.display(text("frame 2"), displayID: nil))
    XCTAssertEqual(folder.outputs, [.display(text("frame 2"))])
    folder.add(.updateDisplay(text("stale"), displayID: "f"))
    XCTAssertEqual(folder.outputs, [.display(text("frame 2"))], "cleared displays are forgotten")
  }

  func testErrorOutcomeBecomesAnErrorOutput() throws {
    let runner = InProcessRunner(executor: ToyExecutor())
    let run = try runner.run(
      "print before\nfail UnknownLayer no such layer", cellNumber: 3, timeout: nil)
    XCTAssertEqual(run.failure, CellRun.Failure(name: "UnknownLayer", message: "no such layer"))
    XCTAssertEqual(
      run.outputs,
      [
        .stream(name: "stdout", text: "before\n"),
        .error(
          name: "UnknownLayer", value: "no such layer",
          traceback: ["error: UnknownLayer no such layer", " --> cell 3"]),
      ])
    XCTAssertEqual(run.executionCount, 1)
    XCTAssertEqual(try runner.run("print x", cellNumber: 4, timeout: nil).executionCount, 2)
  }

  func testTimeoutInterruptsTheExecutor() throws {
    let runner = InProcessRunner(executor: ToyExecutor())
    let start = ContinuousClock.now
    let run = try runner.run("sleep 5000", cellNumber: 1, timeout: .milliseconds(100))
    XCTAssertTrue(run.timedOut)
    XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
    XCTAssertEqual(run.failure?.name, "Interrupted")
    let quick = try runner.run("sleep 10", cellNumber: 2, timeout: .seconds(5))
    XCTAssertFalse(quick.timedOut)
    XCTAssertNil(quick.failure)
  }
}
