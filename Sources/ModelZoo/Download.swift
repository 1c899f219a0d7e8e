// One HTTP(S) download with libcurl into a file, hashing the bytes (md5) as they arrive so a
// 550 MB weight file is not read twice. libcurl: https://curl.se/libcurl/c/libcurl-easy.html
import CCurl
import Foundation

/// Why a transfer failed, before the cache adds which file and where it belongs.
enum TransferFailure: Error, Equatable {
  case unreachable(String)
  case httpStatus(Int)
  case truncated(expected: Int64, received: Int64)
  case cancelled
  case writeFailed(String)
  case other(String)
}

/// A finished transfer: how many bytes arrived and their md5.
struct TransferResult {
  var byteCount: Int64
  var md5: String
}

/// Downloads one URL into an open file with libcurl (blocking, on the calling thread).
struct HTTPDownload {
  /// Seconds to wait for the TCP (and TLS) connection before calling the server unreachable.
  var connectTimeout = 10
  /// Shortest time between two progress reports, in seconds (the final report always comes).
  var progressInterval = 0.25
  /// Size to report when the server sends no Content-Length.
  var expectedByteCount: Int64?

  // NB: curl_global_init is not thread-safe; a static let runs once, guarded by Swift.
  private static let globalInit: CURLcode = glimpse_curl_global_init_default()

  /// Fetches `url` into `file`, reporting `(received, total)` and polling `isCancelled`.
  /// - Throws: ``TransferFailure`` naming what went wrong.
  func run(
    url: String, into file: UnsafeMutablePointer<FILE>,
    progress: ((Int64, Int64?) -> Void)?, isCancelled: (() -> Bool)?
  ) throws(TransferFailure) -> TransferResult {
    guard Self.globalInit == CURLE_OK else { throw .other("libcurl failed to initialise") }
    guard let handle = curl_easy_init() else { throw .other("libcurl failed to start a transfer") }
    defer { curl_easy_cleanup(handle) }
    let state = TransferState(
      file: file, progress: progress, isCancelled: isCancelled, interval: progressInterval,
      fallbackTotal: expectedByteCount)
    var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    let code = errorBuffer.withUnsafeMutableBufferPointer { buffer in
      withExtendedLifetime(state) {
        configure(handle, url: url, state: state, errorBuffer: buffer.baseAddress!)
        let code = curl_easy_perform(handle)
        // The buffer is only valid inside this closure; libcurl must not keep it.
        _ = glimpse_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil)
        return code
      }
    }
    let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    var contentLength: curl_off_t = -1
    _ = glimpse_curl_getinfo_off_t(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &contentLength)
    var status = 0
    _ = glimpse_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
    try Self.check(
      code, reason: reason, status: status, state: state, contentLength: Int64(contentLength))
    state.report(final: true)
    return TransferResult(byteCount: state.received, md5: state.digest.finish())
  }

  /// Sets the transfer's options: fail on HTTP errors, follow redirects, time out connecting.
  private func configure(
    _ handle: UnsafeMutableRawPointer, url: String, state: TransferState,
    errorBuffer: UnsafeMutablePointer<CChar>
  ) {
    let context = Unmanaged.passUnretained(state).toOpaque()
    _ = glimpse_curl_setopt_string(handle, CURLOPT_URL, url)
    _ = glimpse_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
    _ = glimpse_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
    _ = glimpse_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
    _ = glimpse_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
    _ = glimpse_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 10)
    _ = glimpse_curl_setopt_long(handle, CURLOPT_FAILONERROR, 1)
    _ = glimpse_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, connectTimeout)
    // A transfer slower than 1 kB/s for a minute has stalled; fail rather than hang forever.
    _ = glimpse_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1024)
    _ = glimpse_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, 60)
    // No signals: libcurl's DNS timeout would otherwise use SIGALRM, unsafe with threads.
    _ = glimpse_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
    _ = glimpse_curl_setopt_string(handle, CURLOPT_USERAGENT, "glimpse")
    _ = glimpse_curl_setopt_write_function(
      handle,
      { bytes, size, count, context in
        Unmanaged<TransferState>.fromOpaque(context!).takeUnretainedValue()
          .write(bytes, count: size * count)
      })
    _ = glimpse_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
    _ = glimpse_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
    _ = glimpse_curl_setopt_xferinfo_function(
      handle,
      { context, total, _, _, _ in
        Unmanaged<TransferState>.fromOpaque(context!).takeUnretainedValue().tick(total: total)
      })
    _ = glimpse_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
  }

  /// Maps libcurl's result to a failure; a complete transfer has as many bytes as promised.
  private static func check(
    _ code: CURLcode, reason: String, status: Int, state: TransferState, contentLength: Int64
  ) throws(TransferFailure) {
    switch code {
    case CURLE_OK:
      if contentLength >= 0 && contentLength != state.received {
        throw .truncated(expected: contentLength, received: state.received)
      }
    case CURLE_HTTP_RETURNED_ERROR: throw .httpStatus(status)
    case CURLE_PARTIAL_FILE:
      throw .truncated(expected: contentLength, received: state.received)
    case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
      throw .unreachable(reason)
    case CURLE_OPERATION_TIMEDOUT where state.received == 0: throw .unreachable(reason)
    case CURLE_ABORTED_BY_CALLBACK where state.cancelled: throw .cancelled
    case CURLE_WRITE_ERROR: throw .writeFailed(state.writeError ?? reason)
    default: throw .other(reason)
    }
  }
}

/// What the libcurl callbacks share: the file, the running digest, the progress throttle.
private final class TransferState {
  let file: UnsafeMutablePointer<FILE>
  let digest = MD5Digest()
  let progress: ((Int64, Int64?) -> Void)?
  let isCancelled: (() -> Bool)?
  let interval: Duration
  let fallbackTotal: Int64?
  var received: Int64 = 0
  var total: Int64?
  var lastReport: ContinuousClock.Instant?
  var cancelled = false
  var writeError: String?

  init(
    file: UnsafeMutablePointer<FILE>, progress: ((Int64, Int64?) -> Void)?,
    isCancelled: (() -> Bool)?, interval: Double, fallbackTotal: Int64?
  ) {
    self.file = file
    self.progress = progress
    self.isCancelled = isCancelled
    self.interval = .seconds(interval)
    self.fallbackTotal = fallbackTotal
  }

  /// libcurl's write callback: appends to the file and the digest; a short write aborts.
  func write(_ bytes: UnsafeMutablePointer<CChar>?, count: Int) -> Int {
    guard let bytes, count > 0 else { return 0 }
    let written = fwrite(bytes, 1, count, file)
    guard written == count else {
      writeError = String(cString: strerror(errno))
      return 0
    }
    digest.update(bytes, count: count)
    received += Int64(count)
    return count
  }

  /// libcurl's progress callback: reports at most once per interval, returns 1 to cancel.
  func tick(total: curl_off_t) -> Int32 {
    if total > 0 { self.total = Int64(total) }
    report(final: false)
    if isCancelled?() == true {
      cancelled = true
      return 1
    }
    return 0
  }

  /// Calls the progress closure unless the last call was less than `interval` ago.
  func report(final: Bool) {
    guard let progress else { return }
    let now = ContinuousClock.now
    if !final, let lastReport, lastReport.duration(to: now) < interval { return }
    lastReport = now
    progress(received, final ? (total ?? received) : (total ?? fallbackTotal))
  }
}
