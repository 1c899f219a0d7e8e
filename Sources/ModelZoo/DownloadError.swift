// Why fetching a Keras weight file failed, one line each, naming what to do about it.

/// Failures fetching a Keras weight file; each renders as one line naming the cause and a fix.
public enum DownloadError: Error, CustomStringConvertible, Equatable {
  /// The server could not be reached (no network, DNS, refused, timed out); says where to
  /// put the file by hand: `destinations` are full paths, `kerasURL` where to fetch it.
  case unreachable(url: String, reason: String, destinations: [String], kerasURL: String)
  /// The server answered with an HTTP error status (404, 403, 500, ...).
  case httpStatus(url: String, status: Int)
  /// The connection ended before the promised Content-Length arrived (`expected` -1: unknown).
  case truncated(url: String, expected: Int64, received: Int64)
  /// The bytes arrived but their md5 is not the one Keras declares for the file.
  case checksumMismatch(url: String, fileName: String, expected: String, actual: String)
  /// A cache folder or file could not be created or written.
  case cannotWrite(path: String, reason: String)
  /// The caller's cancellation check asked to stop.
  case cancelled(url: String)
  /// Any other transfer failure (TLS, redirect loop, stalled transfer), with libcurl's reason.
  case transfer(url: String, reason: String)

  public var description: String {
    switch self {
    case .unreachable(let url, let reason, let destinations, let kerasURL):
      let places = destinations.joined(separator: " or ")
      // The URL once when it is Keras' own (the usual case); both when a mirror was tried.
      let fetch = url == kerasURL ? "download it" : "download \(kerasURL)"
      return "cannot reach \(url) (\(reason)); without network, \(fetch) on another machine "
        + "and put it at \(places)"
    case .httpStatus(let url, let status):
      return "downloading \(url) failed: the server answered HTTP \(status)"
    case .truncated(let url, let expected, let received):
      // A negative `expected` means the server sent no Content-Length (a chunked body cut off).
      let amount = expected >= 0 ? "\(received) of \(expected) bytes" : "\(received) bytes"
      return "downloading \(url) stopped early: received \(amount); nothing was cached, try again"
    case .checksumMismatch(let url, let fileName, let expected, let actual):
      return "the file downloaded from \(url) is not Keras' \(fileName): md5 \(actual), "
        + "expected \(expected); nothing was cached"
    case .cannotWrite(let path, let reason):
      return "cannot write the weights cache at \(path): \(reason); "
        + "set GLIMPSE_CACHE to a writable folder"
    case .cancelled(let url):
      return "downloading \(url) was cancelled; nothing was cached"
    case .transfer(let url, let reason):
      return "downloading \(url) failed: \(reason)"
    }
  }
}
