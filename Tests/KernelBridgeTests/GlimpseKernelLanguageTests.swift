import Foundation
import Interpreter
import JupyterKernel
import JupyterProtocol
import KernelBridge
import XCTest

/// A scripted executor: each cell's first word picks what it emits.
private final class ScriptedExecutor: CellExecutor, @unchecked Sendable {
  var interrupted = false

  func execute(_ source: String, cellNumber: Int?, sink: any OutputSink) -> Interpreter.ExecutionOutcome {
    switch source {
    case "picture":
      sink.emit(.display(MIMEBundle(data: ["text/plain": .text("a map"), "image/png": .binary([137, 80, 78, 71])]), displayID: nil))
    case "progress":
      sink.emit(.display(MIMEBundle(data: ["text/plain": .text("0%")]), displayID: "p1"))
      sink.emit(.updateDisplay(MIMEBundle(data: ["text/plain": .text("done")]), displayID: "p1"))
    case "table":
      sink.emit(.result(MIMEBundle(data: ["text/plain": .text("t"), "application/json": .json("{\"rows\": [1, 2]}")])))
    case "fail":
      return .error(name: "UnknownLayer", message: "unknown layer 'blok14'", diagnostic: ["error: unknown layer 'blok14'", " --> line 1, column 9"])
    case "exit": return .exit
    default: break
    }
    return .ok
  }
  func complete(_ source: String, cursor: Int) -> CompletionResult { CompletionResult(matches: ["gradcam"], start: 0, end: cursor) }
  func inspect(_ source: String, cursor: Int) -> String? { "help for \(source)" }
  func isComplete(_ source: String) -> CompletenessStatus { source.hasSuffix("\\") ? .incomplete(indent: "") : .complete }
  func interrupt() { interrupted = true }
}

/// The bridge's translation of outputs and outcomes, through the real kernel over memory.
final class GlimpseKernelLanguageTests: XCTestCase {
  private var transport: InMemoryTransport!
  private var executor: ScriptedExecutor!

  override func setUp() {
    transport = InMemoryTransport()
    executor = ScriptedExecutor()
    let kernel = Kernel(language: GlimpseKernelLanguage(executor: executor), transport: transport)
    Thread { kernel.run() }.start()
  }

  override func tearDown() {
    transport.deliver(Message(type: "shutdown_request", session: "t", content: ["restart": false]), on: .control)
  }

  private func run(_ code: String) -> (reply: Message?, outputs: [Message]) {
    let request = Message(type: "execute_request", session: "t", content: ["code": .string(code)])
    transport.deliver(request, on: .shell)
    let reply = transport.next(on: .shell)
    var outputs: [Message] = []
    while let message = transport.next(on: .iopub) {
      guard message.parentHeader?.msgID == request.header.msgID else { continue }
      if message.type == "status" {
        if message.content["execution_state"] == "idle" { break }
        continue
      }
      if message.type != "execute_input" { outputs.append(message) }
    }
    return (reply, outputs)
  }

  func testPicturesGoOutAsDisplayDataWithBase64AndEmptyMetadata() {
    let (reply, outputs) = run("picture")
    XCTAssertEqual(reply?.content["status"], "ok")
    XCTAssertEqual(outputs.map(\.type), ["display_data"])
    let data = outputs[0].content["data"]
    XCTAssertEqual(data?["image/png"], .string(Data([137, 80, 78, 71]).base64EncodedString()))
    XCTAssertEqual(data?["text/plain"], "a map")
    XCTAssertEqual(outputs[0].content["metadata"], .object([:]))
  }

  func testProgressUpdatesOneDisplay() {
    let (_, outputs) = run("progress")
    XCTAssertEqual(outputs.map(\.type), ["display_data", "update_display_data"])
    XCTAssertEqual(outputs[1].content["transient"]?["display_id"], "p1")
  }

  func testTablesAreExecuteResultsWithParsedJSON() {
    let (_, outputs) = run("table")
    XCTAssertEqual(outputs.map(\.type), ["execute_result"])
    XCTAssertEqual(outputs[0].content["data"]?["application/json"], .object(["rows": [1, 2]]))
  }

  func testErrorsCarryTheDiagnosticAsTraceback() {
    let (reply, outputs) = run("fail")
    XCTAssertEqual(reply?.content["status"], "error")
    XCTAssertEqual(reply?.content["ename"], "UnknownLayer")
    XCTAssertEqual(outputs.map(\.type), ["error"])
    XCTAssertEqual(outputs[0].content["traceback"], ["error: unknown layer 'blok14'", " --> line 1, column 9"])
  }

  func testExitAsksTheFrontEndToLeave() {
    let (reply, _) = run("exit")
    guard case .array(let payloads)? = reply?.content["payload"] else { return XCTFail("no payload") }
    XCTAssertEqual(payloads.first?["source"], "ask_exit")
  }
}
