// The front-end side of the five sockets: enough to drive a kernel from tests and from a
// notebook replayer. Not thread-safe: use one client from one thread.
internal import CZeroMQ
public import Foundation
public import JupyterKernel
public import JupyterProtocol

/// A minimal Jupyter client: DEALER on shell, control and stdin, SUB on iopub, REQ heartbeat.
public final class KernelClient {
  /// This client's session id (also its ROUTER identity on shell and stdin).
  public let session: String
  let signer: MessageSigner
  let context: ZMQContext
  let sockets: [Channel: ZMQSocket]
  let heartbeatSocket: ZMQSocket

  /// Connects to every endpoint of `connection` (connections complete in the background).
  public init(connection: ConnectionInfo, session: String = UUID().uuidString.lowercased())
    throws
  {
    self.session = session
    signer = connection.signer
    context = try ZMQContext()
    var sockets: [Channel: ZMQSocket] = [:]
    let ports: [Channel: Int] = [
      .shell: connection.shellPort, .control: connection.controlPort,
      .stdin: connection.stdinPort, .iopub: connection.iopubPort,
    ]
    for (channel, port) in ports {
      let socket = try ZMQSocket(
        context, type: channel == .iopub ? ZMQ_SUB : ZMQ_DEALER, lingerMilliseconds: 0)
      if channel == .iopub {
        try socket.setOption(ZMQ_SUBSCRIBE, bytes: [])
      } else {
        try socket.setOption(ZMQ_IDENTITY, bytes: Array(session.utf8))
      }
      try socket.connect(connection.endpoint(port: port))
      sockets[channel] = socket
    }
    self.sockets = sockets
    heartbeatSocket = try ZMQSocket(context, type: ZMQ_REQ, lingerMilliseconds: 0)
    // Relaxed REQ may send again after a ping that got no answer.
    try heartbeatSocket.setOption(ZMQ_REQ_RELAXED, 1)
    try heartbeatSocket.setOption(ZMQ_REQ_CORRELATE, 1)
    try heartbeatSocket.connect(connection.endpoint(port: connection.hbPort))
  }

  deinit {
    for socket in sockets.values { socket.close() }
    heartbeatSocket.close()
    context.terminate()
  }

  /// Sends a request of `type` with `content` on `channel`; returns it (its header names it).
  @discardableResult
  public func send(
    _ type: String, content: JSONObject = [:], on channel: Channel = .shell,
    metadata: JSONObject = [:]
  ) throws -> Message {
    let message = Message(
      type: type, session: session, content: content, metadata: metadata, username: "client")
    try sendFrames(WireMessage(message: message).frames(signedBy: signer), on: channel)
    return message
  }

  /// Sends raw frames (tests use this to send malformed or badly signed messages).
  public func sendFrames(_ frames: [Data], on channel: Channel) throws {
    try sockets[channel]!.send(frames)
  }

  /// The next message on `channel`, or nil after `timeout`.
  ///
  /// - Throws: `WireError` for a message that fails verification, `ZMQError` on socket failure.
  public func receive(on channel: Channel, timeout: Duration) throws -> Message? {
    let socket = sockets[channel]!
    guard try socket.waitReadable(timeoutMilliseconds: Self.milliseconds(timeout)),
      let frames = try socket.receive(dontWait: true)
    else { return nil }
    return try WireMessage(frames: frames, verifiedBy: signer).message
  }

  /// Waits for the reply to `request` on `channel`, skipping replies to other requests.
  public func reply(to request: Message, on channel: Channel = .shell, timeout: Duration)
    throws -> Message?
  {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      guard let message = try receive(on: channel, timeout: deadline - .now) else { return nil }
      if message.parentHeader?.msgID == request.header.msgID { return message }
    }
    return nil
  }

  /// Pings the heartbeat; true if the same bytes come back within `timeout`.
  public func heartbeat(timeout: Duration = .seconds(1)) throws -> Bool {
    let ping = Data(UUID().uuidString.utf8)
    try heartbeatSocket.send([ping])
    guard try heartbeatSocket.waitReadable(timeoutMilliseconds: Self.milliseconds(timeout)),
      let echo = try heartbeatSocket.receive(dontWait: true)
    else { return false }
    return echo == [ping]
  }

  /// Sends kernel_info_request until IOPub delivers something, proving the subscription is live
  /// (a SUB socket misses whatever is published before it has joined), then drains both.
  public func waitUntilReady(timeout: Duration = .seconds(5)) throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      try send("kernel_info_request")
      if try receive(on: .iopub, timeout: .milliseconds(200)) != nil {
        try drain(.iopub, quiet: .milliseconds(100))
        try drain(.shell, quiet: .milliseconds(100))
        return true
      }
    }
    return false
  }

  /// Discards messages on `channel` until none arrives for `quiet`.
  public func drain(_ channel: Channel, quiet: Duration) throws {
    while try receive(on: channel, timeout: quiet) != nil {}
  }

  static func milliseconds(_ d: Duration) -> Int {
    let (s, attos) = d.components
    return max(0, Int(s) * 1000 + Int(attos / 1_000_000_000_000_000))
  }
}
