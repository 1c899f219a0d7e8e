// The five sockets of a Jupyter kernel (messaging spec, "Introduction"; jupyter_client docs,
// "Connection files") as a KernelTransport.
//
// Threads: one poll thread owns shell, control, stdin (ROUTER), iopub (XPUB) and the PULL end
// of an inproc pipe; every other thread hands its outgoing frames to that pipe through one
// PUSH socket guarded by a mutex, so each socket has one owner and sends keep their order
// (outputs before the reply that follows them). The heartbeat REP echoes on its own thread.
internal import CZeroMQ
public import Foundation
public import JupyterKernel
public import JupyterProtocol
public import Logging
import Synchronization

/// A `KernelTransport` over ZeroMQ, bound to a connection file's endpoints.
public final class ZMQKernelTransport: KernelTransport {
  /// The connection actually bound: ports given as 0 are replaced by the ports chosen.
  public let connection: ConnectionInfo

  let logger: Logger
  let signer: MessageSigner
  let context: ZMQContext
  let inbound: [Channel: MessageQueue<IncomingMessage>]
  /// The PUSH end of the outgoing pipe; nil once closed.
  let outbox: Mutex<ZMQSocket?>
  let pollDone = DispatchSemaphore(value: 0)
  let heartbeatDone = DispatchSemaphore(value: 0)
  let subscriptions = Atomic<Int>(0)
  let sendsIOPubWelcome: Bool
  let welcomeSession = UUID().uuidString.lowercased()
  let closeOnce = Mutex(false)

  /// Inproc command frame: forward the rest of the message on a channel, or stop.
  static let stopCommand: UInt8 = 0xff
  static let outboxEndpoint = "inproc://glimpse-outbox"

  /// Binds every socket and starts the poll and heartbeat threads.
  ///
  /// `iopubWelcome` publishes an `iopub_welcome` message (JEP 65) on each subscription; it is off
  /// by default because clients of protocol 5.3 (jupyter_kernel_test) reject unknown types.
  ///
  /// - Throws: `ZMQError` when an endpoint cannot be bound (a port in use, a bad address).
  public init(
    connection: ConnectionInfo, iopubWelcome: Bool = false,
    logger: Logger = Logger(label: "glimpse.zmq") { StreamLogHandler.standardError(label: $0) }
  ) throws {
    self.logger = logger
    self.sendsIOPubWelcome = iopubWelcome
    self.signer = connection.signer
    let context = try ZMQContext()
    self.context = context
    var bound = connection
    let shell = try ZMQSocket(context, type: ZMQ_ROUTER)
    let control = try ZMQSocket(context, type: ZMQ_ROUTER)
    let stdin = try ZMQSocket(context, type: ZMQ_ROUTER)
    let iopub = try ZMQSocket(context, type: ZMQ_XPUB)
    let heartbeat = try ZMQSocket(context, type: ZMQ_REP)
    // XPUB passes every subscription up, repeated ones included, so each client is seen.
    try iopub.setOption(ZMQ_XPUB_VERBOSE, 1)
    bound.shellPort = try Self.bind(shell, connection, connection.shellPort)
    bound.controlPort = try Self.bind(control, connection, connection.controlPort)
    bound.stdinPort = try Self.bind(stdin, connection, connection.stdinPort)
    bound.iopubPort = try Self.bind(iopub, connection, connection.iopubPort)
    bound.hbPort = try Self.bind(heartbeat, connection, connection.hbPort)
    self.connection = bound
    let pull = try ZMQSocket(context, type: ZMQ_PULL)
    try pull.bind(Self.outboxEndpoint)
    let push = try ZMQSocket(context, type: ZMQ_PUSH)
    try push.connect(Self.outboxEndpoint)
    outbox = Mutex(push)
    var inbound: [Channel: MessageQueue<IncomingMessage>] = [:]
    for channel in Channel.allCases { inbound[channel] = MessageQueue() }
    self.inbound = inbound

    let sockets = PollSockets(
      shell: shell, control: control, stdin: stdin, iopub: iopub, pull: pull)
    startThread("glimpse-zmq-poll") { [self] in
      pollLoop(sockets)
      pollDone.signal()
    }
    startThread("glimpse-heartbeat") { [self] in
      // Echo every ping until the context shuts down (zmq_proxy then fails with ETERM).
      zmq_proxy(heartbeat.handle, heartbeat.handle, nil)
      heartbeat.close()
      heartbeatDone.signal()
    }
    let ports = [bound.shellPort, bound.iopubPort, bound.stdinPort, bound.controlPort, bound.hbPort]
    logger.info("listening on \(bound.ip), ports shell/iopub/stdin/control/hb: \(ports)")
  }

  /// How many IOPub subscriptions have arrived (tests wait for one before executing).
  public var iopubSubscriptionCount: Int { subscriptions.load(ordering: .acquiring) }

  /// Waits for the next verified message on `channel`.
  public func receive(on channel: Channel, timeout: Duration?) -> ReceiveResult {
    switch inbound[channel]!.pop(timeout: timeout) {
    case .item(let message): return .message(message)
    case .timedOut: return .timedOut
    case .closed: return .closed
    }
  }

  /// Signs `message` and hands its frames to the poll thread, which sends them in order.
  public func send(_ message: Message, to identities: [Data], on channel: Channel) {
    let frames: [Data]
    do {
      frames = try WireMessage(identities: identities, message: message).frames(signedBy: signer)
    } catch {
      logger.error("cannot encode \(message.type): \(error)")
      return
    }
    let command = Data([UInt8(Channel.allCases.firstIndex(of: channel)!)])
    outbox.withLock { push in
      guard let push else { return }
      do { try push.send([command] + frames) } catch {
        logger.error("cannot queue \(message.type): \(error)")
      }
    }
  }

  /// Sends what is queued, closes every socket, stops the threads; receives then end.
  public func close() {
    let first = closeOnce.withLock { closed in
      defer { closed = true }
      return !closed
    }
    guard first else { return }
    outbox.withLock { push in
      try? push?.send([Data([Self.stopCommand])])
      push?.close()
      push = nil
    }
    pollDone.wait()
    context.shutdown()
    heartbeatDone.wait()
    for queue in inbound.values { queue.close() }
    context.terminate()
    logger.info("transport closed")
  }

  private func startThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread(block: body)
    thread.name = name
    thread.start()
  }

  private static func bind(_ socket: ZMQSocket, _ info: ConnectionInfo, _ port: Int) throws -> Int
  {
    let endpoint = try socket.bind(info.endpoint(port: port))
    guard info.transport == "tcp", let colon = endpoint.lastIndex(of: ":"),
      let actual = Int(endpoint[endpoint.index(after: colon)...])
    else { return port }
    return actual
  }
}

/// The sockets the poll thread owns.
struct PollSockets: @unchecked Sendable {
  // @unchecked: created on the starting thread, then used only by the poll thread.
  let shell, control, stdin, iopub, pull: ZMQSocket
}
