// Replay through a real kernel (messaging spec 5.3, "Execute"): execute_request on shell, the
// cell's outputs from IOPub until its idle status, execute_reply for the count; a timeout sends
// interrupt_request on control.
import Foundation
import Interpreter
public import JupyterProtocol
import ZMQTransport

/// Runs cells in a kernel reached over ZeroMQ; optionally owns the kernel's process.
public final class KernelRunner: CellRunner {
  let client: KernelClient
  let launched: LaunchedKernel?
  /// How long a kernel may take to stop after an interrupt before the runner gives up on it.
  let interruptGrace: Duration
  /// Silence during a cell after which the heartbeat is checked, and how long each ping waits.
  var heartbeatQuiet = Duration.seconds(5)
  var heartbeatTimeout = Duration.seconds(2)
  /// `language_info` from the kernel's kernel_info_reply (nil when it sent none).
  public let languageInfo: JSONObject?

  /// Connects to the kernel described by `connection` and waits until it answers.
  ///
  /// - Throws: `NotebookError.kernel` when it does not answer within `readyTimeout`.
  public convenience init(
    connection: ConnectionInfo, readyTimeout: Duration = .seconds(30),
    interruptGrace: Duration = .seconds(5)
  ) throws {
    try self.init(
      connection: connection, launched: nil, readyTimeout: readyTimeout,
      interruptGrace: interruptGrace)
  }

  /// Connects to the kernel of a connection file.
  ///
  /// - Throws: `NotebookError.kernel` for an unusable file or a kernel that does not answer.
  public convenience init(connectionFile path: String, readyTimeout: Duration = .seconds(30))
    throws
  {
    let info: ConnectionInfo
    do {
      info = try ConnectionInfo(contentsOf: path)
    } catch {
      throw NotebookError.kernel(reason: error.description)
    }
    try self.init(connection: info, readyTimeout: readyTimeout)
  }

  /// Starts `command` (with `{connection_file}` replaced by a fresh connection file that has
  /// free ports and a random key), connects, and stops the process in `finish()`.
  ///
  /// - Throws: `NotebookError.kernel` when the process cannot start or never answers.
  public convenience init(launching command: [String], readyTimeout: Duration = .seconds(30))
    throws
  {
    let kernel = try LaunchedKernel(command: command)
    do {
      try self.init(
        connection: kernel.connection, launched: kernel, readyTimeout: readyTimeout,
        interruptGrace: .seconds(5))
    } catch {
      kernel.stop(grace: .seconds(1))
      throw error
    }
  }

  init(
    connection: ConnectionInfo, launched: LaunchedKernel?, readyTimeout: Duration,
    interruptGrace: Duration
  ) throws {
    self.launched = launched
    self.interruptGrace = interruptGrace
    do {
      client = try KernelClient(connection: connection)
    } catch {
      throw NotebookError.kernel(reason: "cannot connect: \(error)")
    }
    let deadline = ContinuousClock.now + readyTimeout
    var ready = false
    while !ready, ContinuousClock.now < deadline {
      if let launched, let status = launched.exitStatus {
        throw NotebookError.kernel(
          reason: "the kernel command exited with status \(status) before answering")
      }
      ready = (try? client.waitUntilReady(timeout: .seconds(1))) ?? false
    }
    guard ready else {
      throw NotebookError.kernel(
        reason: "no answer to kernel_info_request within \(readyTimeout.shortText)")
    }
    let request = try client.send("kernel_info_request")
    let reply = try client.reply(to: request, timeout: .seconds(5))
    languageInfo = reply?.content["language_info"]?.objectValue
  }

  public func run(_ source: String, cellNumber: Int, timeout: Duration?) throws -> CellRun {
    let request = try client.send(
      "execute_request",
      content: [
        "code": .string(source), "silent": false, "store_history": true,
        "user_expressions": [:], "allow_stdin": false, "stop_on_error": false,
      ])
    let start = ContinuousClock.now
    var collected = IOPubCollector()
    var deadline = timeout.map { start + $0 }
    var timedOut = false
    var lastHeard = ContinuousClock.now
    while !collected.isIdle {
      if let limit = deadline, ContinuousClock.now >= limit {
        guard !timedOut else {
          throw NotebookError.kernel(
            reason:
              "cell \(cellNumber) did not stop within \(interruptGrace.shortText) of an interrupt")
        }
        timedOut = true
        try interruptKernel()
        deadline = .now + interruptGrace
      }
      if let status = launched?.exitStatus {
        throw NotebookError.kernel(reason: "the kernel exited with status \(status)")
      }
      let message = try client.receive(on: .iopub, timeout: .milliseconds(200))
      if let message, message.parentHeader?.msgID == request.header.msgID {
        collected.add(message)
        lastHeard = .now
      } else if ContinuousClock.now - lastHeard > heartbeatQuiet {
        // A quiet cell may just be slow; a kernel that stops answering heartbeats is gone.
        try checkHeartbeat(cellNumber: cellNumber)
        lastHeard = .now
      }
    }
    let reply = try client.reply(to: request, timeout: .seconds(5))
    return collected.run(
      reply: reply?.content ?? [:], timedOut: timedOut, duration: .now - start)
  }

  /// Throws when three heartbeats in a row go unanswered.
  private func checkHeartbeat(cellNumber: Int) throws {
    for _ in 0..<3 where try client.heartbeat(timeout: heartbeatTimeout) { return }
    throw NotebookError.kernel(
      reason: "the kernel stopped answering heartbeats during cell \(cellNumber)")
  }

  private func interruptKernel() throws {
    let request = try client.send("interrupt_request", on: .control)
    if try client.reply(to: request, on: .control, timeout: .seconds(1)) == nil {
      launched?.signal(SIGINT)
    }
  }

  /// Asks the kernel to shut down (shutdown_request on control); stops a launched process.
  public func finish() {
    let request = try? client.send("shutdown_request", content: ["restart": false], on: .control)
    if let request {
      _ = try? client.reply(to: request, on: .control, timeout: .seconds(5))
    }
    launched?.stop(grace: .seconds(5))
  }
}

/// Folds one cell's IOPub messages into outputs, as a front end does.
struct IOPubCollector {
  private var folder = OutputFolder(executionCount: nil)
  private var failure: CellRun.Failure?
  private var count: Int?
  private(set) var isIdle = false

  mutating func add(_ message: Message) {
    let content = message.content
    switch message.type {
    case "status":
      isIdle = content["execution_state"]?.stringValue == "idle"
    case "execute_input":
      count = content["execution_count"]?.intValue
    case "stream":
      let name = content["name"]?.stringValue ?? "stdout"
      folder.add(.stream(name: name, text: content["text"]?.stringValue ?? ""))
    case "display_data", "update_display_data", "execute_result":
      guard let bundle = Self.bundle(content) else { return }
      let id = content["transient"]?["display_id"]?.stringValue
      switch message.type {
      case "display_data": folder.add(.display(bundle, displayID: id))
      case "update_display_data": if let id { folder.add(.updateDisplay(bundle, displayID: id)) }
      default:
        count = content["execution_count"]?.intValue ?? count
        folder.add(.result(bundle))
      }
    case "error":
      let name = content["ename"]?.stringValue ?? "Error"
      let value = content["evalue"]?.stringValue ?? ""
      failure = .init(name: name, message: value)
      let traceback = content["traceback"]?.arrayValue?.compactMap(\.stringValue) ?? []
      folder.addError(name: name, message: value, traceback: traceback)
    case "clear_output":
      folder.clear(wait: content["wait"]?.boolValue ?? false)
    default:
      break
    }
  }

  /// The run, with the execute_reply's status and count folded in.
  func run(reply: JSONObject, timedOut: Bool, duration: Duration) -> CellRun {
    let executionCount = reply["execution_count"]?.intValue ?? count
    var outputs = folder.outputs
    // execute_result carries its own count; restamp in case it arrived before execute_input.
    outputs = outputs.map { output in
      guard case .result(let bundle, _) = output else { return output }
      return .result(bundle, executionCount: executionCount)
    }
    var failure = self.failure
    switch reply["status"]?.stringValue {
    case "error" where failure == nil:
      failure = .init(
        name: reply["ename"]?.stringValue ?? "Error", message: reply["evalue"]?.stringValue ?? "")
    case "aborted":
      failure = .init(name: "Aborted", message: "the kernel aborted the cell")
    default:
      break
    }
    return CellRun(
      outputs: outputs, failure: failure, executionCount: executionCount, timedOut: timedOut,
      duration: duration)
  }

  static func bundle(_ content: JSONObject) -> MIMEBundle? {
    try? MIMEBundle(
      jupyterData: content["data"]?.objectValue ?? [:],
      metadata: content["metadata"]?.objectValue ?? [:], path: "iopub")
  }
}
