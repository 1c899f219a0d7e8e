// The kernel's view of its sockets: receive requests, send replies and broadcasts.
public import Foundation
public import JupyterProtocol

/// The four message channels a kernel talks on (the heartbeat is the transport's own business).
public enum Channel: String, Sendable, CaseIterable {
  /// Requests from front ends (execute, complete, ...) and their replies.
  case shell
  /// Urgent requests (interrupt, shutdown, kernel_info) served while a cell runs.
  case control
  /// Kernel-to-front-end input requests.
  case stdin
  /// Broadcast of status and outputs.
  case iopub
}

/// A request as received, with the routing identities its reply must carry.
public struct IncomingMessage: Sendable, Equatable {
  /// Where it arrived.
  public var channel: Channel
  /// ROUTER identities of the sender.
  public var identities: [Data]
  /// The verified, decoded message.
  public var message: Message

  /// A received message.
  public init(channel: Channel, identities: [Data] = [], message: Message) {
    self.channel = channel
    self.identities = identities
    self.message = message
  }
}

/// What `KernelTransport.receive` found.
public enum ReceiveResult: Sendable, Equatable {
  /// A message arrived.
  case message(IncomingMessage)
  /// Nothing arrived in time.
  case timedOut
  /// The transport is closed; nothing more will arrive.
  case closed
}

/// Moves verified messages between the kernel and its front ends.
///
/// The kernel calls `receive` for `.shell` from one thread and for `.control` from another;
/// `send` from both. Transports drop (and log) what fails verification before the kernel sees it.
public protocol KernelTransport: AnyObject, Sendable {
  /// Waits up to `timeout` (nil: forever) for the next message on `channel`.
  func receive(on channel: Channel, timeout: Duration?) -> ReceiveResult
  /// Sends `message` to `identities` (a topic on iopub) on `channel`; after close, does nothing.
  func send(_ message: Message, to identities: [Data], on channel: Channel)
  /// Delivers what was sent, then stops: every `receive` returns `.closed` from then on.
  func close()
}
