// The poll thread: verify and queue incoming requests, forward outgoing frames, note
// IOPub subscriptions. Nothing a peer sends can stop it: bad input is logged and dropped.
internal import CZeroMQ
import Foundation
import JupyterKernel
import JupyterProtocol

extension ZMQKernelTransport {
  func pollLoop(_ s: PollSockets) {
    let routers: [(ZMQSocket, Channel)] = [
      (s.shell, .shell), (s.control, .control), (s.stdin, .stdin),
    ]
    let all = routers.map(\.0) + [s.iopub, s.pull]
    var running = true
    while running {
      let ready: [Bool]
      do {
        ready = try zmqPoll(all, timeoutMilliseconds: -1)
      } catch {
        if !error.isTerminated { logger.error("poll failed, closing: \(error)") }
        break
      }
      for (i, (socket, channel)) in routers.enumerated() where ready[i] {
        drain(socket) { frames in accept(frames, on: channel) }
      }
      if ready[3] { drain(s.iopub) { frames in noteSubscription(frames, s.iopub) } }
      if ready[4] {
        drain(s.pull) { frames in
          if !forward(frames, s) { running = false }
        }
      }
    }
    for socket in all { socket.close() }
    // If the poll ended on an error, nothing more will arrive: let the kernel loops end.
    for queue in inbound.values { queue.close() }
  }

  /// Receives every message waiting on `socket` without blocking.
  private func drain(_ socket: ZMQSocket, _ body: ([Data]) -> Void) {
    while true {
      do {
        guard let frames = try socket.receive(dontWait: true) else { return }
        body(frames)
      } catch {
        if !error.isTerminated { logger.error("receive failed: \(error)") }
        return
      }
    }
  }

  /// Verifies and decodes a request; drops it with a log line if anything is wrong.
  private func accept(_ frames: [Data], on channel: Channel) {
    do {
      let wire = try WireMessage(frames: frames, verifiedBy: signer)
      inbound[channel]!.push(
        IncomingMessage(channel: channel, identities: wire.identities, message: wire.message))
    } catch .badSignature {
      logger.warning("dropped a \(channel) message with a bad signature")
    } catch {
      logger.warning("dropped a malformed \(channel) message: \(error)")
    }
  }

  /// XPUB delivers `\u{1}topic` on subscribe and `\u{0}topic` on unsubscribe.
  private func noteSubscription(_ frames: [Data], _ iopub: ZMQSocket) {
    guard let frame = frames.first, frame.first == 1 else { return }
    subscriptions.add(1, ordering: .releasing)
    guard sendsIOPubWelcome else { return }
    let topic = String(decoding: frame.dropFirst(), as: UTF8.self)
    let welcome = Message(
      type: "iopub_welcome", session: welcomeSession, content: ["subscription": .string(topic)],
      username: "kernel")
    do {
      let frames = try WireMessage(identities: [Data("iopub_welcome".utf8)], message: welcome)
        .frames(signedBy: signer)
      try iopub.send(frames, dontWait: true)
    } catch {
      logger.warning("could not send iopub_welcome: \(error)")
    }
  }

  /// Sends frames from the inproc pipe on their socket; false for the stop command.
  private func forward(_ frames: [Data], _ s: PollSockets) -> Bool {
    guard let command = frames.first?.first, command != Self.stopCommand else { return false }
    let target: ZMQSocket
    switch Channel.allCases[Int(command)] {
    case .shell: target = s.shell
    case .control: target = s.control
    case .stdin: target = s.stdin
    case .iopub: target = s.iopub
    }
    do {
      try target.send(Array(frames.dropFirst()), dontWait: true)
    } catch {
      // ROUTER drops unroutable messages silently; EAGAIN means a peer's queue is full.
      logger.warning("could not send on \(Channel.allCases[Int(command)]): \(error)")
    }
    return true
  }
}
