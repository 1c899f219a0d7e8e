// complete, inspect, is_complete, history, comms, unknown and malformed requests.
import Foundation
import JupyterKernel
import JupyterProtocol
import XCTest

final class KernelRequestTests: XCTestCase {
  func testCompleteUsesCodePointCursors() throws {
    let h = KernelHarness()
    // "🎉" is one code point but two UTF-16 units; "é" written as e + U+0301 is two code points.
    let code = "🎉e\u{301} pri"
    let request = h.send("complete_request", ["code": .string(code), "cursor_pos": 7])
    let reply = try XCTUnwrap(h.reply(to: request))
    XCTAssertEqual(reply.content["matches"], ["print"])
    XCTAssertEqual(reply.content["cursor_start"], 4)
    XCTAssertEqual(reply.content["cursor_end"], 7)
    XCTAssertEqual(h.iopub(for: request).types, ["status", "status"])
    // Past the end is clamped; absent means the end.
    let far = h.send("complete_request", ["code": "sl", "cursor_pos": 99])
    XCTAssertEqual(h.reply(to: far)?.content["matches"], ["sleep"])
    let none = h.send("complete_request", ["code": "ex"])
    XCTAssertEqual(h.reply(to: none)?.content["cursor_end"], 2)
  }

  func testInspectAndIsComplete() throws {
    let h = KernelHarness()
    let found = h.send("inspect_request", ["code": "sleep 3", "cursor_pos": 2, "detail_level": 1])
    let reply = try XCTUnwrap(h.reply(to: found))
    XCTAssertEqual(reply.content["found"], true)
    XCTAssertEqual(reply.content["data"]?["text/plain"], "sleep: a toy command (detail 1)")
    let missing = h.send("inspect_request", ["code": "nothing", "cursor_pos": 2])
    XCTAssertEqual(h.reply(to: missing)?.content["found"], false)

    let cases: [(String, JSONObject)] = [
      ("print x", ["status": "complete"]),
      ("print \\", ["status": "incomplete", "indent": "  "]),
      ("!!", ["status": "invalid"]),
    ]
    for (code, expected) in cases {
      let request = h.send("is_complete_request", ["code": .string(code)])
      XCTAssertEqual(h.reply(to: request)?.content, expected, code)
    }
  }

  func testHistoryTailRangeAndSearch() throws {
    let h = KernelHarness()
    for code in ["a1", "b2", "a1", "a3"] { _ = h.execute(code) }
    _ = h.execute("hidden", ["store_history": false])
    func history(_ content: JSONObject) -> [JSONValue] {
      let request = h.send("history_request", content)
      return h.reply(to: request)?.content["history"]?.arrayValue ?? []
    }
    XCTAssertEqual(
      history(["hist_access_type": "tail", "n": 2, "output": false, "raw": true]),
      [[1, 3, "a1"], [1, 4, "a3"]])
    XCTAssertEqual(
      history(["hist_access_type": "tail", "n": 1, "output": true, "raw": true]),
      [[1, 4, ["a3", "a3"]]])
    XCTAssertEqual(
      history(["hist_access_type": "range", "session": 1, "start": 2, "stop": 4,
        "output": false, "raw": true]),
      [[1, 2, "b2"], [1, 3, "a1"]])
    XCTAssertEqual(
      history(["hist_access_type": "search", "pattern": "a?", "output": false, "raw": true]),
      [[1, 1, "a1"], [1, 3, "a1"], [1, 4, "a3"]])
    XCTAssertEqual(
      history(["hist_access_type": "search", "pattern": "a*", "unique": true, "output": false,
        "raw": true]),
      [[1, 3, "a1"], [1, 4, "a3"]])
    XCTAssertEqual(
      history(["hist_access_type": "search", "pattern": "*", "n": 1, "output": false,
        "raw": true]),
      [[1, 4, "a3"]])
  }

  func testCommsAreRefusedPolitely() throws {
    let h = KernelHarness()
    let info = h.send("comm_info_request", ["target_name": "jupyter.widget"])
    XCTAssertEqual(h.reply(to: info)?.content, ["status": "ok", "comms": [:]])
    let open = h.send(
      "comm_open", ["comm_id": "c1", "target_name": "jupyter.widget", "data": [:]])
    let messages = h.iopub(for: open)
    XCTAssertEqual(messages.types, ["status", "comm_close", "status"])
    XCTAssertEqual(messages[1].content["comm_id"], "c1")
  }

  func testUnknownAndMalformedRequestsDoNotKillTheKernel() throws {
    let h = KernelHarness()
    let unknown = h.send("frobnicate_request", ["x": 1])
    XCTAssertEqual(h.iopub(for: unknown).types, ["status", "status"])
    let bad = h.send("execute_request", ["silent": true])
    let reply = try XCTUnwrap(h.reply(to: bad))
    XCTAssertEqual(reply.type, "execute_reply")
    XCTAssertEqual(reply.content["status"], "error")
    XCTAssertEqual(reply.content["ename"], "BadRequest")
    XCTAssertEqual(reply.content["evalue"], "execute_request: missing field 'code'")
    let wrongType = h.send("complete_request", ["code": 5, "cursor_pos": 0])
    XCTAssertEqual(h.reply(to: wrongType)?.content["status"], "error")
    let (ok, _) = h.execute("alive")
    XCTAssertEqual(ok?.content["status"], "ok", "no reply to the unknown type came first")
  }

  func testAskExitPayload() throws {
    let h = KernelHarness()
    let (reply, _) = h.execute("exit")
    XCTAssertEqual(reply?.content["payload"], [["source": "ask_exit", "keepkernel": false]])
  }
}
