// A thin owner of one libzmq socket: options, bind/connect, multipart send and receive.
// NB: a zmq socket is not thread-safe. Each instance has one owner thread at a time; handing it
// to another thread needs a memory barrier (thread start, or a lock), as libzmq documents.
internal import CZeroMQ
import Foundation

/// A libzmq failure: the call that failed and libzmq's reason.
public struct ZMQError: Error, CustomStringConvertible, Sendable {
  /// The libzmq call or operation that failed.
  public var operation: String
  /// libzmq's errno value.
  public var code: Int32

  init(_ operation: String, code: Int32 = zmq_errno()) {
    self.operation = operation
    self.code = code
  }

  /// `operation: reason`.
  public var description: String { "\(operation): \(String(cString: zmq_strerror(code)))" }

  /// Whether the context was shut down (the normal way blocking calls end).
  var isTerminated: Bool { code == ETERM }
}

/// A libzmq context, shared by the sockets of one side (kernel or client).
final class ZMQContext: @unchecked Sendable {
  // @unchecked: libzmq contexts are thread-safe.
  let handle: UnsafeMutableRawPointer

  init() throws(ZMQError) {
    guard let handle = zmq_ctx_new() else { throw ZMQError("zmq_ctx_new") }
    self.handle = handle
  }

  /// Makes every blocking call on this context's sockets return ETERM.
  func shutdown() { zmq_ctx_shutdown(handle) }

  /// Waits for every socket to close (and lingering messages to go), then frees the context.
  func terminate() {
    while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
  }
}

/// One libzmq socket.
final class ZMQSocket: @unchecked Sendable {
  // @unchecked: used by one owner thread at a time (see the file comment).
  let handle: UnsafeMutableRawPointer
  private var isClosed = false

  init(_ context: ZMQContext, type: Int32, lingerMilliseconds: Int32 = 1000) throws(ZMQError) {
    guard let handle = zmq_socket(context.handle, type) else { throw ZMQError("zmq_socket") }
    self.handle = handle
    try setOption(ZMQ_LINGER, lingerMilliseconds)
  }

  func setOption(_ option: Int32, _ value: Int32) throws(ZMQError) {
    var v = value
    guard zmq_setsockopt(handle, option, &v, MemoryLayout<Int32>.size) == 0 else {
      throw ZMQError("zmq_setsockopt(\(option))")
    }
  }

  func setOption(_ option: Int32, bytes: [UInt8]) throws(ZMQError) {
    let rc = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
    guard rc == 0 else { throw ZMQError("zmq_setsockopt(\(option))") }
  }

  /// Binds to `endpoint` and returns the endpoint actually bound (a `*` port resolved).
  @discardableResult
  func bind(_ endpoint: String) throws(ZMQError) -> String {
    guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError("bind \(endpoint)") }
    var buffer = [CChar](repeating: 0, count: 512)
    var size = buffer.count
    guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
      throw ZMQError("zmq_getsockopt(ZMQ_LAST_ENDPOINT)")
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  func connect(_ endpoint: String) throws(ZMQError) {
    guard zmq_connect(handle, endpoint) == 0 else { throw ZMQError("connect \(endpoint)") }
  }

  /// Sends `frames` as one multipart message.
  func send(_ frames: [Data], dontWait: Bool = false) throws(ZMQError) {
    for (i, frame) in frames.enumerated() {
      var flags: Int32 = i + 1 < frames.count ? ZMQ_SNDMORE : 0
      if dontWait { flags |= ZMQ_DONTWAIT }
      let rc = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
      guard rc >= 0 else { throw ZMQError("zmq_send") }
    }
  }

  /// Receives one multipart message; with `dontWait`, nil when none is waiting.
  func receive(dontWait: Bool = false) throws(ZMQError) -> [Data]? {
    var frames: [Data] = []
    var more = true
    while more {
      var message = zmq_msg_t()
      zmq_msg_init(&message)
      defer { zmq_msg_close(&message) }
      // Only the first frame may be missing: a multipart message arrives whole.
      let flags: Int32 = dontWait && frames.isEmpty ? ZMQ_DONTWAIT : 0
      if zmq_msg_recv(&message, handle, flags) < 0 {
        let code = zmq_errno()
        if code == EAGAIN && frames.isEmpty { return nil }
        if code == EINTR { continue }
        throw ZMQError("zmq_msg_recv", code: code)
      }
      frames.append(Data(bytes: zmq_msg_data(&message), count: zmq_msg_size(&message)))
      more = zmq_msg_more(&message) != 0
    }
    return frames
  }

  /// Waits up to `timeoutMilliseconds` (-1: forever) until a message can be received.
  func waitReadable(timeoutMilliseconds: Int) throws(ZMQError) -> Bool {
    var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
    while true {
      let rc = zmq_poll(&item, 1, timeoutMilliseconds)
      if rc >= 0 { return rc > 0 }
      let code = zmq_errno()
      if code != EINTR { throw ZMQError("zmq_poll", code: code) }
    }
  }

  func close() {
    guard !isClosed else { return }
    isClosed = true
    zmq_close(handle)
  }
}

/// Polls several sockets at once; returns which are readable.
func zmqPoll(_ sockets: [ZMQSocket], timeoutMilliseconds: Int) throws(ZMQError) -> [Bool] {
  var items = sockets.map {
    zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
  }
  while true {
    let rc = zmq_poll(&items, Int32(items.count), timeoutMilliseconds)
    if rc >= 0 { return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 } }
    let code = zmq_errno()
    if code != EINTR { throw ZMQError("zmq_poll", code: code) }
  }
}
