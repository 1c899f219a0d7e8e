// The Jupyter protocol state machine (messaging spec: jupyter_client docs, messaging.rst, 5.3):
// dispatch by message type, busy/idle around every request, replies parented to requests.
import Foundation
import JupyterProtocol
public import Logging
import Synchronization

/// Serves one `KernelLanguage` over one `KernelTransport`.
///
/// `run()` serves shell requests on one thread and control requests on another, so interrupt,
/// shutdown and kernel_info are answered while a cell runs.
public final class Kernel: Sendable {
  /// A handler answers a request with reply content, or nil when the request has no reply.
  typealias Handler = @Sendable (Kernel, IncomingMessage) throws -> JSONObject?

  let language: any KernelLanguage
  let transport: any KernelTransport
  let logger: Logger
  /// This kernel's session id, stamped in every header it writes.
  public let session: String
  let shell = Mutex(ShellState())
  let interruptFlag = InterruptFlag()
  let isExecuting = Atomic<Bool>(false)
  let isStopping = Atomic<Bool>(false)
  let stopped = DispatchSemaphore(value: 0)

  /// A kernel serving `language` over `transport`; nothing runs until `run()`.
  public init(
    language: some KernelLanguage, transport: any KernelTransport,
    logger: Logger = Logger(label: "glimpse.kernel") { StreamLogHandler.standardError(label: $0) }
  ) {
    self.language = language
    self.transport = transport
    self.logger = logger
    self.session = UUID().uuidString.lowercased()
  }

  /// Serves requests until a shutdown_request or until the transport closes.
  ///
  /// After shutdown, waits at most `grace` for a running cell to end, then returns anyway.
  public func run(grace: Duration = .seconds(2)) {
    let shellDone = DispatchSemaphore(value: 0)
    let controlDone = DispatchSemaphore(value: 0)
    startThread(named: "glimpse-shell") { [self] in
      serve(.shell)
      shellDone.signal()
    }
    startThread(named: "glimpse-control") { [self] in
      serve(.control)
      stopped.signal()
      controlDone.signal()
    }
    stopped.wait()
    controlDone.wait()
    if shellDone.wait(timeout: .now() + MessageQueue<Int>.seconds(grace)) == .timedOut {
      logger.warning("a cell is still running after shutdown; leaving it behind")
    }
  }

  private func startThread(named name: String, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread(block: body)
    thread.name = name
    thread.start()
  }

  /// Receives and handles requests on `channel` until the transport closes.
  func serve(_ channel: Channel) {
    while case .message(let request) = transport.receive(on: channel, timeout: nil) {
      guard !isStopping.load(ordering: .acquiring) else { break }
      handle(request)
    }
  }

  /// Runs one request: busy, handler, reply, idle; a handler's error becomes an error reply.
  func handle(_ request: IncomingMessage) {
    let type = request.message.type
    publishStatus("busy", parent: request)
    let table = request.channel == .control ? Self.controlHandlers : Self.shellHandlers
    if let handler = table[type] {
      do {
        if let content = try handler(self, request) { reply(to: request, content) }
      } catch {
        logger.error("\(type) failed: \(error)")
        reply(to: request, Self.errorContent(ename: "BadRequest", evalue: "\(error)"))
      }
    } else {
      logger.warning("ignoring unknown message type '\(type)' on \(request.channel)")
    }
    // Requests already queued when a cell fails with stop_on_error are aborted; whatever
    // arrives after this idle runs normally, so a client that waits for idle is never aborted.
    let toAbort = request.channel == .shell ? takeAbortSnapshot() : []
    publishStatus("idle", parent: request)
    if let after = Self.afterIdle[type] { after(self, request) }
    abort(toAbort)
  }

  /// Sends `content` as the reply to `request` (type `x_request` -> `x_reply`) on its channel.
  func reply(to request: IncomingMessage, _ content: JSONObject, metadata: JSONObject = [:]) {
    let type = request.message.type
    let replyType =
      type.hasSuffix("_request") ? String(type.dropLast("_request".count)) + "_reply" : type
    let message = Message(
      type: replyType, session: session, parent: request.message.header, content: content,
      metadata: metadata, username: "kernel")
    transport.send(message, to: request.identities, on: request.channel)
  }

  /// Broadcasts a message of `type` on IOPub, caused by `parent`.
  func publish(_ type: String, _ content: JSONObject, parent: MessageHeader) {
    let message = Message(
      type: type, session: session, parent: parent, content: content, username: "kernel")
    // The topic frame lets subscribers filter; front ends subscribe to everything.
    let topic = Data("kernel.\(session).\(type)".utf8)
    transport.send(message, to: [topic], on: .iopub)
  }

  func publishStatus(_ state: String, parent request: IncomingMessage) {
    publish("status", ["execution_state": .string(state)], parent: request.message.header)
  }

  /// Decodes a request's content as `T`, or throws a `BadRequest` naming the problem.
  func content<T: Decodable>(of request: IncomingMessage, as type: T.Type) throws -> T {
    do {
      return try JSONValue.object(request.message.content).decode(as: T.self)
    } catch {
      throw BadRequest(reason: "\(request.message.type): \(Message.describeDecoding(error))")
    }
  }

  static func errorContent(ename: String, evalue: String, traceback: [String]? = nil)
    -> JSONObject
  {
    let lines = traceback ?? ["\(ename): \(evalue)"]
    return [
      "status": "error", "ename": .string(ename), "evalue": .string(evalue),
      "traceback": .array(lines.map(JSONValue.string)),
    ]
  }

  /// Stops serving: interrupts a running cell, tells the language, closes the transport.
  func stop(restart: Bool) {
    let first = isStopping.compareExchange(
      expected: false, desired: true, ordering: .acquiringAndReleasing
    ).exchanged
    guard first else { return }
    if isExecuting.load(ordering: .acquiring) {
      interruptFlag.raise()
      language.interrupt()
    }
    language.shutdown(restart: restart)
    transport.close()
  }
}

/// A request whose content lacks a field or has one of the wrong type.
struct BadRequest: Error, CustomStringConvertible {
  var reason: String
  var description: String { reason }
}

/// Shell-thread state: the execution count, the history, and the abort flag.
struct ShellState {
  var executionCount = 0
  var history: [HistoryEntry] = []
  var abortPending = false
}
