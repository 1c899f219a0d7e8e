// A transport without sockets: tests push requests and read what the kernel sent, in order.
public import Foundation
public import JupyterProtocol

/// A `KernelTransport` over in-process queues, for testing the kernel state machine.
public final class InMemoryTransport: KernelTransport {
  /// One message the kernel sent.
  public struct Sent: Sendable, Equatable {
    /// The channel it went out on.
    public var channel: Channel
    /// The identities it was addressed to (the request's, for replies).
    public var identities: [Data]
    /// The message.
    public var message: Message
  }

  private let inbound: [Channel: MessageQueue<IncomingMessage>]
  private let outbound: [Channel: MessageQueue<Sent>]
  private let log = MessageQueue<Sent>()

  /// A transport with empty queues.
  public init() {
    var inbound: [Channel: MessageQueue<IncomingMessage>] = [:]
    var outbound: [Channel: MessageQueue<Sent>] = [:]
    for channel in Channel.allCases {
      inbound[channel] = MessageQueue()
      outbound[channel] = MessageQueue()
    }
    self.inbound = inbound
    self.outbound = outbound
  }

  /// Queues `message` as if a front end had sent it on `channel` from `identity`.
  public func deliver(_ message: Message, on channel: Channel, identity: Data = Data("fe".utf8)) {
    let incoming = IncomingMessage(channel: channel, identities: [identity], message: message)
    inbound[channel]!.push(incoming)
  }

  /// The next message the kernel sent on `channel`, waiting up to `timeout`; nil if none came.
  public func next(on channel: Channel, timeout: Duration = .seconds(5)) -> Message? {
    if case .item(let sent) = outbound[channel]!.pop(timeout: timeout) { return sent.message }
    return nil
  }

  /// The next message the kernel sent on any channel, in send order.
  public func nextSent(timeout: Duration = .seconds(5)) -> Sent? {
    if case .item(let sent) = log.pop(timeout: timeout) { return sent }
    return nil
  }

  /// Waits for the next message on `channel`.
  public func receive(on channel: Channel, timeout: Duration?) -> ReceiveResult {
    switch inbound[channel]!.pop(timeout: timeout) {
    case .item(let m): return .message(m)
    case .timedOut: return .timedOut
    case .closed: return .closed
    }
  }

  /// Records `message` for the test to read.
  public func send(_ message: Message, to identities: [Data], on channel: Channel) {
    let sent = Sent(channel: channel, identities: identities, message: message)
    outbound[channel]!.push(sent)
    log.push(sent)
  }

  /// Stops delivering: receives return `.closed` once drained; sent messages stay readable.
  public func close() {
    for queue in inbound.values { queue.close() }
  }
}
