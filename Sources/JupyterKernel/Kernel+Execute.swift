// execute_request (messaging spec, "Execute"): busy -> execute_input -> outputs ->
// execute_reply -> idle, execution counts, and aborting queued cells after an error.
import JupyterProtocol
import Synchronization

extension Kernel {
  /// Runs a cell and answers with execute_reply content; outputs are published before it.
  ///
  /// The count advances only for stored cells (`store_history` and not `silent`), also when
  /// they fail; a silent or unstored cell reports the last stored count.
  func execute(_ request: IncomingMessage) throws -> JSONObject {
    let input = try content(of: request, as: ExecuteRequest.self)
    let stores = input.storeHistory && !input.silent
    let count = shell.withLock { state in
      if stores { state.executionCount += 1 }
      return state.executionCount
    }
    let parent = request.message.header
    if !input.silent {
      publish(
        "execute_input", ["code": .string(input.code), "execution_count": .int(count)],
        parent: parent)
    }
    let context = ExecutionContext(
      executionCount: count, isSilent: input.silent, storesHistory: stores,
      allowsStdin: input.allowStdin, interruptFlag: interruptFlag,
      publish: { [self] type, content in publish(type, content, parent: parent) })
    let outcome = run(input.code, context: context)
    if stores {
      let output = context.lastResult.withLock { $0 }
      shell.withLock {
        $0.history.append(HistoryEntry(line: count, input: input.code, output: output))
      }
    }
    switch outcome {
    case .ok(let payloads):
      return [
        "status": "ok", "execution_count": .int(count),
        "payload": .array(payloads.map(JSONValue.object)), "user_expressions": [:],
      ]
    case .error(let failure):
      if !input.silent {
        publish(
          "error",
          [
            "ename": .string(failure.ename), "evalue": .string(failure.evalue),
            "traceback": .array(failure.traceback.map(JSONValue.string)),
          ], parent: parent)
        if input.stopOnError { shell.withLock { $0.abortPending = true } }
      }
      var reply = Self.errorContent(
        ename: failure.ename, evalue: failure.evalue, traceback: failure.traceback)
      reply["execution_count"] = .int(count)
      return reply
    }
  }

  /// Calls the language, turning anything it throws into an error outcome.
  private func run(_ code: String, context: ExecutionContext) -> ExecutionOutcome {
    interruptFlag.lower()
    isExecuting.store(true, ordering: .releasing)
    defer { isExecuting.store(false, ordering: .releasing) }
    do {
      return try language.execute(code, context: context)
    } catch let failure as ExecutionError {
      return .error(failure)
    } catch {
      return .error(ExecutionError(ename: String(describing: type(of: error)), evalue: "\(error)"))
    }
  }

  /// After a failed cell with stop_on_error: every shell request queued now, else nothing.
  func takeAbortSnapshot() -> [IncomingMessage] {
    let pending = shell.withLock { state in
      defer { state.abortPending = false }
      return state.abortPending
    }
    guard pending else { return [] }
    var queued: [IncomingMessage] = []
    while case .message(let message) = transport.receive(on: .shell, timeout: .zero) {
      queued.append(message)
    }
    return queued
  }

  /// Answers queued execute requests with status `aborted` (as ipykernel does, though spec 5.1
  /// prefers an error reply) inside their own busy/idle; serves other requests normally.
  func abort(_ queued: [IncomingMessage]) {
    for request in queued where !isStopping.load(ordering: .acquiring) {
      guard request.message.type == "execute_request" else {
        handle(request)
        continue
      }
      logger.info("aborting queued execute_request \(request.message.header.msgID)")
      publishStatus("busy", parent: request)
      reply(to: request, ["status": "aborted"])
      publishStatus("idle", parent: request)
    }
  }
}
