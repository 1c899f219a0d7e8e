// A tiny HTTP/1.1 server on 127.0.0.1 for the download tests: POSIX sockets, one background
// thread, one connection at a time, `Connection: close` after every response.
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Serves canned responses chosen by the first path component (`/ok/...`, `/short/...`).
final class LocalHTTPServer: @unchecked Sendable {
  /// What the server answers on a route.
  enum Response: Sendable {
    /// 200 with the bytes and a correct Content-Length, sent in `chunk`-byte pieces with
    /// `pause` seconds between them (to make a download last long enough to see progress).
    case body([UInt8], chunk: Int = 1 << 16, pause: Double = 0)
    /// 200 promising `promised` bytes in Content-Length, then sending `bytes` and closing.
    case truncated(promised: Int, bytes: [UInt8])
    /// An error status with a short text body.
    case status(Int)
    /// A 302 redirect to a path on this server.
    case redirect(String)
  }

  let port: UInt16
  private let listener: Int32
  private let routes: [String: Response]
  private let lock = NSLock()
  private var requested: [String] = []
  private let finished = DispatchSemaphore(value: 0)

  /// Starts serving `routes` (keyed by first path component) on an ephemeral port.
  init(routes: [String: Response]) throws {
    self.routes = routes
    listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    let bound = Self.bindLoopback(listener)
    guard let bound, listen(listener, 16) == 0 else {
      close(listener)
      throw POSIXError(.init(rawValue: errno) ?? .EIO)
    }
    port = bound
    let thread = Thread { [self] in serve() }
    thread.start()
  }

  /// `http://127.0.0.1:<port>`.
  var baseURL: String { "http://127.0.0.1:\(port)" }

  /// The request paths received so far, in order.
  var requestedPaths: [String] { lock.withLock { requested } }

  /// Stops accepting and waits for the serving thread to end.
  func stop() {
    // NB: on Linux, close() does not wake a thread blocked in accept(); shutdown() does.
    shutdown(listener, Int32(SHUT_RDWR))
    finished.wait()
    close(listener)
  }

  /// A loopback port nothing listens on (bound then closed), for connection-refused tests.
  static func closedPort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    return bindLoopback(fd) ?? 9
  }

  /// Binds `fd` to 127.0.0.1 on a port the kernel picks, returning that port.
  private static func bindLoopback(_ fd: Int32) -> UInt16? {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
        bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
      }
    }
    return ok ? UInt16(bigEndian: address.sin_port) : nil
  }

  private func serve() {
    defer { finished.signal() }
    while true {
      let connection = accept(listener, nil, nil)
      if connection < 0 {
        if errno == EINTR { continue }
        return
      }
      handle(connection)
      close(connection)
    }
  }

  private func handle(_ connection: Int32) {
    guard let path = readRequestPath(connection) else { return }
    lock.withLock { requested.append(path) }
    let route = path.split(separator: "/").first.map(String.init) ?? ""
    switch routes[route] ?? .status(404) {
    case .body(let bytes, let chunk, let pause):
      send(connection, header(200, length: bytes.count))
      var offset = 0
      while offset < bytes.count {
        if pause > 0 && offset > 0 { usleep(useconds_t(pause * 1e6)) }
        let end = min(offset + chunk, bytes.count)
        guard send(connection, Array(bytes[offset..<end])) else { return }
        offset = end
      }
    case .truncated(let promised, let bytes):
      send(connection, header(200, length: promised))
      send(connection, bytes)
    case .status(let code):
      let body = Array("status \(code)\n".utf8)
      send(connection, header(code, length: body.count))
      send(connection, body)
    case .redirect(let location):
      send(connection, header(302, length: 0, extra: "Location: \(location)\r\n"))
    }
  }

  private func header(_ status: Int, length: Int, extra: String = "") -> [UInt8] {
    let reason = [200: "OK", 302: "Found", 404: "Not Found"][status] ?? "Error"
    let text =
      "HTTP/1.1 \(status) \(reason)\r\nContent-Length: \(length)\r\n"
      + "Content-Type: application/octet-stream\r\nConnection: close\r\n\(extra)\r\n"
    return Array(text.utf8)
  }

  /// Sends all bytes; false when the client went away (no SIGPIPE).
  @discardableResult
  private func send(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
    var sent = 0
    while sent < bytes.count {
      let n = bytes[sent...].withUnsafeBytes {
        Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      if n <= 0 { return false }
      sent += n
    }
    return true
  }

  /// Reads the request head and returns the path of its request line.
  private func readRequestPath(_ connection: Int32) -> String? {
    var head: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while head.count < 65536 {
      let n = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
      if n <= 0 { return nil }
      head += buffer[0..<n]
      if let text = String(bytes: head, encoding: .utf8), text.contains("\r\n\r\n") {
        let words = text.split(separator: "\r\n").first?.split(separator: " ") ?? []
        return words.count >= 2 ? String(words[1]) : nil
      }
    }
    return nil
  }
}
