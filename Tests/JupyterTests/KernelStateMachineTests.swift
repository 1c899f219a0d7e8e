// The protocol state machine over the in-memory transport, with the toy language.
import Foundation
import JupyterKernel
import JupyterProtocol
import XCTest

final class KernelStateMachineTests: XCTestCase {
  func testKernelInfoOnShellAndControl() throws {
    let h = KernelHarness()
    for channel in [Channel.shell, .control] {
      let request = h.send("kernel_info_request", on: channel)
      let reply = try XCTUnwrap(h.reply(to: request, on: channel))
      XCTAssertEqual(reply.type, "kernel_info_reply")
      XCTAssertEqual(reply.header.version, "5.3")
      XCTAssertEqual(reply.content["status"], "ok")
      XCTAssertEqual(reply.content["protocol_version"], "5.3")
      XCTAssertEqual(reply.content["language_info"]?["file_extension"], ".toy")
      XCTAssertEqual(reply.content["help_links"]?.arrayValue?.first?["url"],
        "https://example.org/toy")
      let status = h.iopub(for: request)
      XCTAssertEqual(status.map { $0.content["execution_state"] }, ["busy", "idle"])
    }
  }

  func testExecutePublishesOutputsBetweenInputAndReply() throws {
    let h = KernelHarness()
    let request = h.send("execute_request", ["code": "print hi"])
    var order: [String] = []
    while let sent = h.transport.nextSent() {
      order.append("\(sent.channel.rawValue):\(sent.message.type)")
      XCTAssertEqual(sent.message.parentHeader?.msgID, request.header.msgID)
      if sent.message.content["execution_state"] == "idle" { break }
    }
    XCTAssertEqual(order, [
      "iopub:status", "iopub:execute_input", "iopub:stream", "shell:execute_reply",
      "iopub:status",
    ])
    // Consume the same messages from the per-channel queues.
    XCTAssertNotNil(h.reply(to: request))
    XCTAssertEqual(h.iopub(for: request).count, 4)
    let (reply, messages) = h.execute("display pic")
    XCTAssertEqual(reply?.content["status"], "ok")
    XCTAssertEqual(reply?.content["user_expressions"], [:])
    let display = try XCTUnwrap(messages.first { $0.type == "display_data" })
    XCTAssertEqual(display.content["metadata"], [:], "metadata must be an object")
    XCTAssertEqual(display.content["transient"]?["display_id"], "d-pic")
    let (_, updated) = h.execute("update pic")
    XCTAssertEqual(updated.types, ["status", "execute_input", "update_display_data", "status"])
  }

  func testExecutionCountsForSilentAndUnstoredCells() throws {
    let h = KernelHarness()
    let (r1, m1) = h.execute("one")
    XCTAssertEqual(r1?.content["execution_count"], 1)
    XCTAssertEqual(m1.first { $0.type == "execute_input" }?.content["execution_count"], 1)
    XCTAssertEqual(m1.first { $0.type == "execute_result" }?.content["execution_count"], 1)

    let (r2, m2) = h.execute("print quiet", ["silent": true])
    XCTAssertEqual(r2?.content["status"], "ok")
    XCTAssertEqual(r2?.content["execution_count"], 1)
    XCTAssertEqual(m2.types, ["status", "status"], "silent: no execute_input, no outputs")

    let (r3, m3) = h.execute("unstored", ["store_history": false])
    XCTAssertEqual(r3?.content["execution_count"], 1)
    XCTAssertEqual(m3.types, ["status", "execute_input", "execute_result", "status"])

    let (r4, _) = h.execute("fail")
    XCTAssertEqual(r4?.content["execution_count"], 2, "a failing stored cell still counts")
    let (r5, _) = h.execute("two")
    XCTAssertEqual(r5?.content["execution_count"], 3)
  }

  func testErrorPublishesOneErrorOutputAndThrownErrorsAreCaught() throws {
    let h = KernelHarness()
    let (reply, messages) = h.execute("fail")
    XCTAssertEqual(reply?.content["status"], "error")
    XCTAssertEqual(reply?.content["ename"], "ToyError")
    XCTAssertEqual(reply?.content["traceback"], ["ToyError: boom"])
    let outputs = messages.filter { !["status", "execute_input"].contains($0.type) }
    XCTAssertEqual(outputs.types, ["error"])
    let (thrown, _) = h.execute("throw")
    XCTAssertEqual(thrown?.content["ename"], "Oops")
    XCTAssertEqual(thrown?.content["evalue"], "thrown from Swift")
    let (after, _) = h.execute("still alive")
    XCTAssertEqual(after?.content["status"], "ok")
  }

  func testStopOnErrorAbortsQueuedExecuteRequestsOnly() throws {
    let h = KernelHarness(start: false)
    // Queue everything before the kernel starts, as a notebook's "run all" does.
    let failing = h.send("execute_request", ["code": "fail"])
    let queued1 = h.send("execute_request", ["code": "print never"])
    let info = h.send("kernel_info_request")
    let queued2 = h.send("execute_request", ["code": "never either"])
    h.start()
    XCTAssertEqual(h.reply(to: failing)?.content["status"], "error")
    XCTAssertEqual(h.reply(to: queued1)?.content["status"], "aborted")
    XCTAssertEqual(h.reply(to: info)?.type, "kernel_info_reply", "non-execute requests served")
    XCTAssertEqual(h.reply(to: queued2)?.content["status"], "aborted")
    XCTAssertEqual(h.iopub(for: failing).types, ["status", "execute_input", "error", "status"])
    XCTAssertEqual(h.iopub(for: queued1).types, ["status", "status"], "aborted: busy, idle")
    // Once the queue is drained, cells run again and the count did not move for aborted ones.
    let (later, _) = h.execute("later")
    XCTAssertEqual(later?.content["status"], "ok")
    XCTAssertEqual(later?.content["execution_count"], 2)
  }

  func testNoAbortWithoutStopOnError() throws {
    let h = KernelHarness(start: false)
    let failing = h.send("execute_request", ["code": "fail", "stop_on_error": false])
    let next = h.send("execute_request", ["code": "next"])
    h.start()
    XCTAssertEqual(h.reply(to: failing)?.content["status"], "error")
    XCTAssertEqual(h.reply(to: next)?.content["status"], "ok")
  }

  func testInterruptDuringLongExecute() throws {
    let h = KernelHarness()
    let cell = h.send("execute_request", ["code": "sleep 5000"])
    // Wait until the cell runs (its execute_input is out).
    while let message = h.transport.next(on: .iopub), message.type != "execute_input" {}
    Thread.sleep(forTimeInterval: 0.05)
    // Control is served while the cell runs.
    let info = h.send("kernel_info_request", on: .control)
    XCTAssertEqual(h.reply(to: info, on: .control)?.type, "kernel_info_reply")
    let started = Date()
    let interrupt = h.send("interrupt_request", on: .control)
    XCTAssertEqual(h.reply(to: interrupt, on: .control)?.content["status"], "ok")
    let reply = try XCTUnwrap(h.reply(to: cell))
    let latency = Date().timeIntervalSince(started)
    XCTAssertEqual(reply.content["status"], "error")
    XCTAssertEqual(reply.content["ename"], "Interrupted")
    XCTAssertLessThan(latency, 0.5)
    XCTAssertEqual(h.language.interrupts.load(ordering: .relaxed), 1)
    print("interrupt latency (in-memory): \(Int(latency * 1000)) ms")
    XCTAssertEqual(h.iopub(for: cell).last?.content["execution_state"], "idle")
    // The next cell is not interrupted by the stale flag.
    let (next, _) = h.execute("sleep 20")
    XCTAssertEqual(next?.content["status"], "ok")
  }

  func testShutdownEchoesRestartAndStops() throws {
    let h = KernelHarness()
    let request = h.send("shutdown_request", ["restart": true], on: .control)
    let reply = try XCTUnwrap(h.reply(to: request, on: .control))
    XCTAssertEqual(reply.type, "shutdown_reply")
    XCTAssertEqual(reply.content["restart"], true)
    XCTAssertEqual(h.iopub(for: request).count, 2)
    XCTAssertEqual(h.finished.wait(timeout: .now() + 3), .success, "run() returns")
    XCTAssertEqual(h.language.shutdowns.load(ordering: .relaxed), 1)
  }

  func testShutdownOnShellToo() throws {
    let h = KernelHarness()
    let request = h.send("shutdown_request", ["restart": false])
    XCTAssertEqual(h.reply(to: request)?.content["restart"], false)
    XCTAssertEqual(h.finished.wait(timeout: .now() + 3), .success)
  }
}
