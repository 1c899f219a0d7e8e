// Typed failures of reading messages and connection files from the outside world.

/// Why a multipart message could not be read.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No `<IDS|MSG>` delimiter frame.
  case missingDelimiter
  /// Fewer than the five frames (signature and four JSON parts) after the delimiter.
  case tooFewFrames(Int)
  /// The HMAC signature does not match the message (or is missing while a key is set).
  case badSignature
  /// A JSON frame does not parse, or lacks a required field.
  case invalidJSON(frame: String, reason: String)

  /// A one-line description for logs.
  public var description: String {
    switch self {
    case .missingDelimiter: return "no <IDS|MSG> delimiter frame"
    case .tooFewFrames(let n): return "only \(n) frame(s) after <IDS|MSG>, need 5"
    case .badSignature: return "signature does not match"
    case .invalidJSON(let frame, let reason): return "invalid \(frame) frame: \(reason)"
    }
  }
}

/// Why a connection file could not be used.
public enum ConnectionFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be read.
  case unreadable(path: String, reason: String)
  /// The file is not the expected JSON (names the missing or mistyped field).
  case invalid(reason: String)
  /// A signature scheme other than `hmac-sha256`.
  case unsupportedSignatureScheme(String)
  /// A transport other than `tcp` or `ipc`.
  case unsupportedTransport(String)

  /// A one-line description for users.
  public var description: String {
    switch self {
    case .unreadable(let path, let reason): return "cannot read connection file \(path): \(reason)"
    case .invalid(let reason): return "invalid connection file: \(reason)"
    case .unsupportedSignatureScheme(let s):
      return "unsupported signature_scheme '\(s)' (only hmac-sha256)"
    case .unsupportedTransport(let t): return "unsupported transport '\(t)' (tcp or ipc)"
    }
  }
}
