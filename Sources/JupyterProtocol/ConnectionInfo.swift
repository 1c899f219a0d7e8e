// The kernel connection file (jupyter_client docs, "Connection files").
public import Foundation

/// Where a kernel listens and how its messages are signed, as read from a connection file.
public struct ConnectionInfo: Sendable, Hashable, Codable {
  /// `tcp` or `ipc`.
  public var transport: String
  /// The address (tcp) or path prefix (ipc).
  public var ip: String
  /// The shell ROUTER port.
  public var shellPort: Int
  /// The IOPub PUB port.
  public var iopubPort: Int
  /// The stdin ROUTER port.
  public var stdinPort: Int
  /// The control ROUTER port.
  public var controlPort: Int
  /// The heartbeat REP port.
  public var hbPort: Int
  /// The HMAC key; empty disables signing.
  public var key: String
  /// Always `hmac-sha256` here.
  public var signatureScheme: String
  /// The kernel name, if the launcher wrote one.
  public var kernelName: String?

  enum CodingKeys: String, CodingKey {
    case transport, ip, key
    case shellPort = "shell_port"
    case iopubPort = "iopub_port"
    case stdinPort = "stdin_port"
    case controlPort = "control_port"
    case hbPort = "hb_port"
    case signatureScheme = "signature_scheme"
    case kernelName = "kernel_name"
  }

  /// A connection description; port 0 asks the transport to pick a free port.
  public init(
    transport: String = "tcp", ip: String = "127.0.0.1", shellPort: Int = 0, iopubPort: Int = 0,
    stdinPort: Int = 0, controlPort: Int = 0, hbPort: Int = 0, key: String = "",
    signatureScheme: String = "hmac-sha256", kernelName: String? = nil
  ) {
    self.transport = transport
    self.ip = ip
    self.shellPort = shellPort
    self.iopubPort = iopubPort
    self.stdinPort = stdinPort
    self.controlPort = controlPort
    self.hbPort = hbPort
    self.key = key
    self.signatureScheme = signatureScheme
    self.kernelName = kernelName
  }

  /// Parses and checks connection-file JSON.
  ///
  /// - Throws: `ConnectionFileError` naming a missing field, a transport other than tcp/ipc, or
  ///   a signature scheme other than hmac-sha256.
  public init(json: Data) throws(ConnectionFileError) {
    do {
      self = try JSONWire.decoder.decode(ConnectionInfo.self, from: json)
    } catch {
      throw ConnectionFileError.invalid(reason: Message.describeDecoding(error))
    }
    guard transport == "tcp" || transport == "ipc" else {
      throw ConnectionFileError.unsupportedTransport(transport)
    }
    guard signatureScheme == "hmac-sha256" else {
      throw ConnectionFileError.unsupportedSignatureScheme(signatureScheme)
    }
  }

  /// Reads a connection file from disk.
  public init(contentsOf path: String) throws(ConnectionFileError) {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw ConnectionFileError.unreadable(path: path, reason: error.localizedDescription)
    }
    try self.init(json: data)
  }

  /// The signer for this connection's key.
  public var signer: MessageSigner { MessageSigner(key: key) }

  /// The ZeroMQ endpoint for `port`: `tcp://ip:port`, or `ipc://ip-port` (port 0: `tcp://ip:*`).
  public func endpoint(port: Int) -> String {
    if transport == "ipc" { return "ipc://\(ip)-\(port)" }
    return "tcp://\(ip):\(port == 0 ? "*" : String(port))"
  }
}
