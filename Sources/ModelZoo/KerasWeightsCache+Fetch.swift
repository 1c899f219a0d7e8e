// Downloading a missing weight file into Glimpse's cache: to `<name>.part`, md5 checked, then
// renamed, so the cache only ever holds complete files with Keras' checksum.
import Foundation

extension KerasWeightsCache {
  /// Returns the file's location, downloading it into Glimpse's cache when no cache has it.
  ///
  /// The download goes to `<file>.part` and is renamed only once its md5 equals `spec.md5`;
  /// on any failure the partial file is deleted.
  /// - Parameters:
  ///   - spec: the file; ``KerasWeightFileSpec/expecting(md5:byteCount:)`` changes its md5.
  ///   - progress: called with `(received, total)` bytes a few times a second and once at the
  ///     end (`total` is nil while the size is unknown).
  ///   - isCancelled: polled during the transfer; returning true stops it.
  /// - Throws: ``DownloadError`` naming the cause (unreachable says where to put the file).
  public func fetch(
    _ spec: KerasWeightFileSpec, progress: ((_ received: Int64, _ total: Int64?) -> Void)? = nil,
    isCancelled: (() -> Bool)? = nil
  ) throws(DownloadError) -> URL {
    if let found = locate(spec) { return found }
    return try download(spec, progress: progress, isCancelled: isCancelled)
  }

  /// ``fetch(_:progress:isCancelled:)`` with the process environment.
  public static func fetch(
    _ spec: KerasWeightFileSpec, progress: ((_ received: Int64, _ total: Int64?) -> Void)? = nil,
    isCancelled: (() -> Bool)? = nil
  ) throws(DownloadError) -> URL {
    try KerasWeightsCache().fetch(spec, progress: progress, isCancelled: isCancelled)
  }

  /// Downloads the file into Glimpse's cache even if a cache already has it.
  /// - Throws: ``DownloadError``.
  public func download(
    _ spec: KerasWeightFileSpec, progress: ((_ received: Int64, _ total: Int64?) -> Void)? = nil,
    isCancelled: (() -> Bool)? = nil, progressInterval: Double = 0.25
  ) throws(DownloadError) -> URL {
    let directory = glimpseDirectory
    let target = directory.appendingPathComponent(spec.fileName, isDirectory: false)
    // NB: one fixed partial name, so a download killed midway is overwritten by the next one
    // instead of leaving a new 550 MB leftover each time.
    let partial = directory.appendingPathComponent(spec.fileName + ".part", isDirectory: false)
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw .cannotWrite(path: directory.path, reason: Self.reason(error))
    }
    guard let file = fopen(partial.path, "wb") else {
      throw .cannotWrite(path: partial.path, reason: String(cString: strerror(errno)))
    }
    let url = downloadURL(for: spec)
    var transfer = HTTPDownload()
    transfer.progressInterval = progressInterval
    transfer.expectedByteCount = spec.byteCount
    var outcome: Result<TransferResult, TransferFailure>
    do {
      outcome = .success(
        try transfer.run(url: url, into: file, progress: progress, isCancelled: isCancelled))
    } catch {
      outcome = .failure(error)
    }
    // The last buffered bytes reach the disk at fclose, so its failure fails the download.
    if fclose(file) != 0, case .success = outcome {
      outcome = .failure(.writeFailed(String(cString: strerror(errno))))
    }
    let result: TransferResult
    switch outcome {
    case .success(let finished): result = finished
    case .failure(let failure):
      unlink(partial.path)
      throw describe(failure, url: url, spec: spec, partial: partial)
    }
    guard result.md5 == spec.md5 else {
      unlink(partial.path)
      throw .checksumMismatch(
        url: url, fileName: spec.fileName, expected: spec.md5, actual: result.md5)
    }
    guard rename(partial.path, target.path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(partial.path)
      throw .cannotWrite(path: target.path, reason: reason)
    }
    return target
  }

  /// The user-facing error for a transfer failure, with the file's destinations when offline.
  private func describe(
    _ failure: TransferFailure, url: String, spec: KerasWeightFileSpec, partial: URL
  ) -> DownloadError {
    switch failure {
    case .unreachable(let reason):
      return .unreachable(
        url: url, reason: reason, destinations: manualDestinations(for: spec),
        kerasURL: spec.kerasURL)
    case .httpStatus(let status): return .httpStatus(url: url, status: status)
    case .truncated(let expected, let received):
      return .truncated(url: url, expected: expected, received: received)
    case .cancelled: return .cancelled(url: url)
    case .writeFailed(let reason): return .cannotWrite(path: partial.path, reason: reason)
    case .other(let reason): return .transfer(url: url, reason: reason)
    }
  }

  /// A Foundation error's reason without its Objective-C decoration.
  private static func reason(_ error: any Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
      let posix = POSIXErrorCode(rawValue: Int32(underlying.code)),
      underlying.domain == NSPOSIXErrorDomain
    {
      return String(cString: strerror(posix.rawValue))
    }
    return nsError.localizedDescription
  }
}
