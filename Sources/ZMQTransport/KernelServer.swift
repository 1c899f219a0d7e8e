// The one entry point a `glimpse kernel` executable calls: read the connection file, bind,
// serve until shutdown.
import Dispatch
import Foundation
public import JupyterKernel
public import JupyterProtocol
public import Logging

/// A kernel listening on ZeroMQ: transport, state machine and language wired together.
public final class KernelServer: Sendable {
  /// The endpoints actually bound (ports 0 resolved), for tests and launchers.
  public let connection: ConnectionInfo
  /// The socket layer.
  public let transport: ZMQKernelTransport
  /// The protocol state machine.
  public let kernel: Kernel

  /// Binds the sockets for `connection` and prepares to serve `language`.
  ///
  /// - Throws: `ZMQError` when an endpoint cannot be bound.
  public init(
    connection: ConnectionInfo, language: some KernelLanguage,
    logger: Logger = Logger(label: "glimpse.kernel") { StreamLogHandler.standardError(label: $0) }
  ) throws {
    transport = try ZMQKernelTransport(connection: connection, logger: logger)
    self.connection = transport.connection
    kernel = Kernel(language: language, transport: transport, logger: logger)
  }

  /// Serves until a shutdown_request (or the transport closes), then closes the sockets.
  public func serve() {
    kernel.run()
    transport.close()
  }

  /// Reads `connectionFile`, serves `language` on its endpoints until shutdown, then returns.
  ///
  /// SIGINT (how jupyter_client interrupts a kernel whose spec has no `interrupt_mode`) is
  /// turned into an interrupt of the running cell instead of ending the process.
  ///
  /// - Throws: `ConnectionFileError` for an unreadable or invalid file, `ZMQError` when a port
  ///   cannot be bound.
  public static func run(connectionFile: String, language: some KernelLanguage) throws {
    let info = try ConnectionInfo(contentsOf: connectionFile)
    let server = try KernelServer(connection: info, language: language)
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { _ = server.kernel.interruptRunningCell() }
    source.resume()
    server.serve()
    source.cancel()
  }
}
