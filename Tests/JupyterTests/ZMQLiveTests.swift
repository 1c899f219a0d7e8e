// The kernel on real ZeroMQ sockets (loopback, ports chosen by the OS), driven by KernelClient.
import Foundation
import JupyterKernel
import JupyterProtocol
import XCTest
import ZMQTransport

/// A server serving the toy language on a background thread, and a client connected to it.
final class LiveKernel {
  let language = ToyLanguage()
  let server: KernelServer
  let client: KernelClient
  let finished = DispatchSemaphore(value: 0)

  init(key: String = UUID().uuidString) throws {
    server = try KernelServer(connection: ConnectionInfo(ip: "127.0.0.1", key: key),
      language: language)
    let server = self.server
    let finished = self.finished
    Thread {
      server.serve()
      finished.signal()
    }.start()
    client = try KernelClient(connection: server.connection)
    guard try client.waitUntilReady() else { throw NotReady() }
  }

  /// IOPub messages caused by `request`, through its idle status.
  func iopub(for request: Message, timeout: Duration = .seconds(5)) throws -> [Message] {
    var found: [Message] = []
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline,
      let message = try client.receive(on: .iopub, timeout: deadline - .now)
    {
      guard message.parentHeader?.msgID == request.header.msgID else { continue }
      found.append(message)
      if message.content["execution_state"] == "idle" { break }
    }
    return found
  }

  func shutDown() throws {
    let request = try client.send("shutdown_request", content: ["restart": false], on: .control)
    _ = try client.reply(to: request, on: .control, timeout: .seconds(2))
    _ = finished.wait(timeout: .now() + 3)
  }
}

struct NotReady: Error {}

final class ZMQLiveTests: XCTestCase {
  func testKernelInfoExecuteAndShutdown() throws {
    let live = try LiveKernel()
    XCTAssertNotEqual(live.server.connection.shellPort, 0, "a real port was chosen")
    let info = try live.client.send("kernel_info_request")
    let infoReply = try XCTUnwrap(live.client.reply(to: info, timeout: .seconds(2)))
    XCTAssertEqual(infoReply.content["language_info"]?["name"], "toy")
    XCTAssertEqual(infoReply.parentHeader, info.header)

    let cell = try live.client.send("execute_request", content: ["code": "print hello"])
    let reply = try XCTUnwrap(live.client.reply(to: cell, timeout: .seconds(2)))
    XCTAssertEqual(reply.content["status"], "ok")
    XCTAssertEqual(reply.content["execution_count"], 1)
    let messages = try live.iopub(for: cell)
    XCTAssertEqual(messages.map(\.type), ["status", "execute_input", "stream", "status"])
    XCTAssertEqual(messages[2].content["text"], "hello\n")

    let shutdown = try live.client.send(
      "shutdown_request", content: ["restart": true], on: .control)
    let bye = try XCTUnwrap(live.client.reply(to: shutdown, on: .control, timeout: .seconds(2)))
    XCTAssertEqual(bye.content["restart"], true)
    XCTAssertEqual(live.finished.wait(timeout: .now() + 3), .success, "serve() returns")
    XCTAssertFalse(try live.client.heartbeat(timeout: .milliseconds(300)), "sockets closed")
  }

  func testHeartbeatAndControlWhileACellRunsThenInterrupt() throws {
    let live = try LiveKernel()
    let cell = try live.client.send("execute_request", content: ["code": "sleep 4000"])
    // Wait until the cell is running.
    while let message = try live.client.receive(on: .iopub, timeout: .seconds(2)),
      message.type != "execute_input"
    {}
    var worst = Duration.zero
    for _ in 0..<5 {
      let start = ContinuousClock.now
      XCTAssertTrue(try live.client.heartbeat(timeout: .seconds(1)))
      worst = max(worst, ContinuousClock.now - start)
    }
    let info = try live.client.send("kernel_info_request", on: .control)
    XCTAssertNotNil(try live.client.reply(to: info, on: .control, timeout: .seconds(1)))

    let start = ContinuousClock.now
    let interrupt = try live.client.send("interrupt_request", on: .control)
    let ack = try live.client.reply(to: interrupt, on: .control, timeout: .seconds(1))
    XCTAssertEqual(ack?.content["status"], "ok")
    let reply = try XCTUnwrap(live.client.reply(to: cell, timeout: .seconds(2)))
    let latency = ContinuousClock.now - start
    XCTAssertEqual(reply.content["ename"], "Interrupted")
    XCTAssertLessThan(latency, .milliseconds(500))
    print("live: worst heartbeat round trip during a cell \(worst), interrupt latency \(latency)")
    try live.shutDown()
  }

  func testBadSignaturesAndMalformedFramesAreDroppedNotExecuted() throws {
    let live = try LiveKernel()
    let forged = Message(
      type: "execute_request", session: "evil", content: ["code": "print evil"])
    let frames = try WireMessage(message: forged).frames(signedBy: MessageSigner(key: "wrong"))
    try live.client.sendFrames(frames, on: .shell)
    try live.client.sendFrames([Data("no delimiter".utf8)], on: .shell)
    try live.client.sendFrames([WireMessage.delimiter, Data("sig".utf8)], on: .control)
    // Well signed, but the header is not JSON.
    let json = [Data("{not json".utf8), Data("{}".utf8), Data("{}".utf8), Data("{}".utf8)]
    let signature = Data(live.server.connection.signer.signature(of: json).utf8)
    try live.client.sendFrames([WireMessage.delimiter, signature] + json, on: .shell)

    let cell = try live.client.send("execute_request", content: ["code": "print good"])
    let first = try XCTUnwrap(live.client.receive(on: .shell, timeout: .seconds(2)))
    XCTAssertEqual(first.parentHeader?.msgID, cell.header.msgID, "nothing answered the forgery")
    XCTAssertEqual(first.content["execution_count"], 1, "the forged cell never ran")
    let texts = try live.iopub(for: cell).compactMap { $0.content["text"]?.stringValue }
    XCTAssertEqual(texts, ["good\n"])
    try live.shutDown()
  }

  func testXPUBCountsSubscriptionsAndCanWelcome() throws {
    let transport = try ZMQKernelTransport(
      connection: ConnectionInfo(key: "k"), iopubWelcome: true)
    defer { transport.close() }
    let client = try KernelClient(connection: transport.connection)
    // Nothing else publishes here: the first IOPub message must be the welcome.
    let welcome = try XCTUnwrap(client.receive(on: .iopub, timeout: .seconds(3)))
    XCTAssertEqual(welcome.type, "iopub_welcome")
    XCTAssertEqual(welcome.content["subscription"], "")
    XCTAssertEqual(transport.iopubSubscriptionCount, 1)
  }

  func testConnectionFileEntryPoint() throws {
    // Reserve ports by binding a throw-away kernel, then free them for the real one.
    let probe = try KernelServer(
      connection: ConnectionInfo(key: "k"), language: ToyLanguage())
    let ports = probe.connection
    probe.transport.close()
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("kernel-\(UUID().uuidString).json").path
    try JSONWire.encoder.encode(ports).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let done = DispatchSemaphore(value: 0)
    let failure = LockedBox<(any Error)?>(nil)
    Thread {
      do { try KernelServer.run(connectionFile: path, language: ToyLanguage()) } catch {
        failure.value = error
      }
      done.signal()
    }.start()
    let client = try KernelClient(connection: ports)
    XCTAssertTrue(try client.waitUntilReady())
    let request = try client.send("shutdown_request", on: .control)
    XCTAssertNotNil(try client.reply(to: request, on: .control, timeout: .seconds(2)))
    XCTAssertEqual(done.wait(timeout: .now() + 3), .success)
    XCTAssertNil(failure.value)
    XCTAssertThrowsError(
      try KernelServer.run(connectionFile: path + ".missing", language: ToyLanguage()))
  }
}

/// A value shared with a thread under a lock.
final class LockedBox<T>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: T
  init(_ value: T) { stored = value }
  var value: T {
    get { lock.withLock { stored } }
    set { lock.withLock { stored = newValue } }
  }
}
