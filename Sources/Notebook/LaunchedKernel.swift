// Starting a kernel process the way jupyter_client does: free ports, a random key, a
// connection file, `{connection_file}` in the command line replaced by its path.
import Foundation
import JupyterProtocol

/// A kernel process this replayer started, and the connection file it was given.
final class LaunchedKernel {
  let connection: ConnectionInfo
  let connectionFile: String
  let process: Process

  /// Writes a connection file and starts `command` (resolved through `PATH`).
  ///
  /// - Throws: `NotebookError.kernel` when ports, the file or the process cannot be had.
  init(command: [String]) throws {
    guard !command.isEmpty else { throw NotebookError.kernel(reason: "empty kernel command") }
    let ports = try Self.freePorts(5)
    connection = ConnectionInfo(
      transport: "tcp", ip: "127.0.0.1", shellPort: ports[0], iopubPort: ports[1],
      stdinPort: ports[2], controlPort: ports[3], hbPort: ports[4],
      key: UUID().uuidString.lowercased(), kernelName: "glimpse")
    connectionFile =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("kernel-\(UUID().uuidString.lowercased()).json").path
    do {
      try JSONWire.encoder.encode(connection).write(to: URL(fileURLWithPath: connectionFile))
    } catch {
      throw NotebookError.kernel(reason: "cannot write \(connectionFile): \(error)")
    }
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = command.map {
      $0.replacingOccurrences(of: "{connection_file}", with: connectionFile)
    }
    do {
      try process.run()
    } catch {
      try? FileManager.default.removeItem(atPath: connectionFile)
      throw NotebookError.kernel(reason: "cannot start \(command[0]): \(error)")
    }
  }

  /// The exit status once the process has ended, nil while it runs.
  var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

  /// Sends `signal` to the process if it still runs.
  func signal(_ signal: Int32) {
    if process.isRunning { kill(process.processIdentifier, signal) }
  }

  /// Waits up to `grace` for the process to end, then SIGTERM, then SIGKILL; removes the file.
  func stop(grace: Duration) {
    defer { try? FileManager.default.removeItem(atPath: connectionFile) }
    for sig in [nil, SIGTERM, SIGKILL] as [Int32?] {
      if let sig { signal(sig) }
      let deadline = ContinuousClock.now + (sig == nil ? grace : .seconds(2))
      while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
      if !process.isRunning { return }
    }
  }

  /// `count` distinct TCP ports on 127.0.0.1 that were free a moment ago (sockets bound to port 0
  /// all at once, so the OS hands out distinct ones, then closed for the kernel to take).
  static func freePorts(_ count: Int) throws -> [Int] {
    var sockets: [Int32] = []
    defer { for fd in sockets { close(fd) } }
    var ports: [Int] = []
    for _ in 0..<count {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      guard fd >= 0 else { throw NotebookError.kernel(reason: "cannot open a socket") }
      sockets.append(fd)
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = 0
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
          bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
        }
      }
      guard bound else { throw NotebookError.kernel(reason: "cannot bind a free port") }
      ports.append(Int(UInt16(bigEndian: address.sin_port)))
    }
    return ports
  }
}
