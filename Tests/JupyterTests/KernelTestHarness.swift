// Runs a Kernel over an InMemoryTransport on a background thread and talks to it.
import Foundation
import JupyterKernel
import JupyterProtocol
import XCTest

final class KernelHarness: @unchecked Sendable {
  let transport = InMemoryTransport()
  let language = ToyLanguage()
  let kernel: Kernel
  let finished = DispatchSemaphore(value: 0)
  let session = "test-client"

  init(start: Bool = true) {
    kernel = Kernel(language: language, transport: transport)
    if start { self.start() }
  }

  func start() {
    Thread { [self] in
      kernel.run()
      finished.signal()
    }.start()
  }

  /// Delivers a request and returns it.
  @discardableResult
  func send(_ type: String, _ content: JSONObject = [:], on channel: Channel = .shell) -> Message {
    let message = Message(type: type, session: session, content: content, username: "tester")
    transport.deliver(message, on: channel)
    return message
  }

  /// The IOPub messages caused by `request`, from busy to idle inclusive.
  func iopub(for request: Message, file: StaticString = #filePath, line: UInt = #line)
    -> [Message]
  {
    var found: [Message] = []
    while let message = transport.next(on: .iopub) {
      guard message.parentHeader?.msgID == request.header.msgID else { continue }
      found.append(message)
      if message.type == "status", message.content["execution_state"] == "idle" { return found }
    }
    XCTFail("no idle status for \(request.type)", file: file, line: line)
    return found
  }

  /// The next reply on `channel`; fails if it is not parented to `request`.
  func reply(to request: Message, on channel: Channel = .shell,
    file: StaticString = #filePath, line: UInt = #line) -> Message?
  {
    guard let reply = transport.next(on: channel) else {
      XCTFail("no reply to \(request.type)", file: file, line: line)
      return nil
    }
    XCTAssertEqual(reply.parentHeader, request.header, "reply parent", file: file, line: line)
    return reply
  }

  /// Executes `code` and returns the reply and the IOPub messages.
  func execute(_ code: String, _ options: JSONObject = [:]) -> (Message?, [Message]) {
    var content = options
    content["code"] = .string(code)
    let request = send("execute_request", content)
    return (reply(to: request), iopub(for: request))
  }
}

extension Array where Element == Message {
  var types: [String] { map(\.type) }
}
