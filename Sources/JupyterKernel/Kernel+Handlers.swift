// The message-type tables and the small handlers (messaging spec: kernel_info, complete,
// inspect, is_complete, history, comm_info, comm_open, shutdown, interrupt).
import JupyterProtocol

extension Kernel {
  /// Shell: message type -> handler.
  static let shellHandlers: [String: Handler] = [
    "kernel_info_request": { kernel, _ in try kernel.kernelInfo() },
    "execute_request": { kernel, request in try kernel.execute(request) },
    "complete_request": { kernel, request in try kernel.complete(request) },
    "inspect_request": { kernel, request in try kernel.inspect(request) },
    "is_complete_request": { kernel, request in try kernel.isComplete(request) },
    "history_request": { kernel, request in try kernel.history(request) },
    "comm_info_request": { _, _ in ["status": "ok", "comms": [:]] },
    "comm_open": { kernel, request in try kernel.refuseComm(request) },
    // No comm is ever open here, so messages to one have nowhere to go.
    "comm_msg": { _, _ in nil },
    "comm_close": { _, _ in nil },
    "shutdown_request": { kernel, request in try kernel.shutdown(request) },
  ]

  /// Control: message type -> handler.
  static let controlHandlers: [String: Handler] = [
    "kernel_info_request": { kernel, _ in try kernel.kernelInfo() },
    "interrupt_request": { kernel, _ in kernel.interrupt() },
    "shutdown_request": { kernel, request in try kernel.shutdown(request) },
  ]

  /// What happens after the idle status of a request, by type.
  static let afterIdle: [String: @Sendable (Kernel, IncomingMessage) -> Void] = [
    "shutdown_request": { kernel, request in
      kernel.stop(restart: request.message.content["restart"]?.boolValue ?? false)
    }
  ]

  func kernelInfo() throws -> JSONObject {
    let (name, version) = language.implementation
    return [
      "status": "ok", "protocol_version": .string(jupyterProtocolVersion),
      "implementation": .string(name), "implementation_version": .string(version),
      "language_info": try JSONValue(encoding: language.languageInfo),
      "banner": .string(language.banner),
      "help_links": try JSONValue(encoding: language.helpLinks), "debugger": false,
    ]
  }

  func complete(_ request: IncomingMessage) throws -> JSONObject {
    let input = try content(of: request, as: CodeAtCursor.self)
    let answer = language.complete(input.code, cursor: input.clampedCursor)
    return [
      "status": "ok", "matches": .array(answer.matches.map(JSONValue.string)),
      "cursor_start": .int(answer.cursorStart), "cursor_end": .int(answer.cursorEnd),
      "metadata": .object(answer.metadata),
    ]
  }

  func inspect(_ request: IncomingMessage) throws -> JSONObject {
    let input = try content(of: request, as: CodeAtCursor.self)
    let found = language.inspect(
      input.code, cursor: input.clampedCursor, detailLevel: input.detailLevel ?? 0)
    return [
      "status": "ok", "found": .bool(found != nil), "data": .object(found ?? [:]),
      "metadata": [:],
    ]
  }

  func isComplete(_ request: IncomingMessage) throws -> JSONObject {
    guard let code = request.message.content["code"]?.stringValue else {
      throw BadRequest(reason: "is_complete_request: missing field 'code'")
    }
    switch language.isComplete(code) {
    case .complete: return ["status": "complete"]
    case .incomplete(let indent): return ["status": "incomplete", "indent": .string(indent)]
    case .invalid: return ["status": "invalid"]
    case .unknown: return ["status": "unknown"]
    }
  }

  func history(_ request: IncomingMessage) throws -> JSONObject {
    let query = try content(of: request, as: HistoryRequest.self)
    let entries = shell.withLock { $0.history }
    let found = try HistoryEntry.select(query, from: entries)
    return ["status": "ok", "history": .array(found.map { $0.json(output: query.output) })]
  }

  /// No comm targets exist: answer comm_open by closing the comm, as ipykernel does.
  func refuseComm(_ request: IncomingMessage) throws -> JSONObject? {
    let open = try content(of: request, as: CommOpen.self)
    logger.info("no comm target '\(open.targetName)'; closing comm \(open.commID)")
    publish(
      "comm_close", ["comm_id": .string(open.commID), "data": [:]],
      parent: request.message.header)
    return nil
  }

  func shutdown(_ request: IncomingMessage) throws -> JSONObject {
    let restart = request.message.content["restart"]?.boolValue ?? false
    logger.info("shutdown requested (restart: \(restart))")
    return ["status": "ok", "restart": .bool(restart)]
  }

  func interrupt() -> JSONObject {
    logger.info("interrupt requested")
    interruptFlag.raise()
    language.interrupt()
    return ["status": "ok"]
  }
}

extension Kernel {
  /// Interrupts the running cell as interrupt_request does (for a SIGINT handler).
  @discardableResult
  public func interruptRunningCell() -> Bool {
    let running = isExecuting.load(ordering: .acquiring)
    _ = interrupt()
    return running
  }
}
