// Downloads against a local HTTP server (LocalHTTPServer) through the URL override.
import Engine
import Foundation
import XCTest

@testable import ModelZoo

final class DownloadTests: XCTestCase {
  /// 300 kB of seeded bytes, the "weight file" the server serves.
  static let payload: [UInt8] = {
    var generator = SplitMix64(seed: 8)
    return (0..<300_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
  }()
  static let payloadMD5 = MD5Digest.hex(of: payload)
  static let corrupt: [UInt8] = {
    var bytes = payload
    bytes[123_456] ^= 1
    return bytes
  }()

  var temp: TemporaryFolder!
  var server: LocalHTTPServer!
  /// VGG16's file name and path, expecting the payload's md5.
  let spec = KerasWeightFileSpec.vgg16.expecting(md5: payloadMD5)

  override func setUpWithError() throws {
    temp = try TemporaryFolder()
    server = try LocalHTTPServer(routes: [
      "ok": .body(Self.payload),
      "slow": .body(Self.payload, chunk: 25_000, pause: 0.1),
      "short": .truncated(promised: Self.payload.count, bytes: Array(Self.payload[0..<40_000])),
      "corrupt": .body(Self.corrupt),
      "missing": .status(404),
      "moved": .redirect("/ok/vgg16/" + KerasWeightFileSpec.vgg16.fileName),
    ])
  }

  override func tearDown() {
    server.stop()
    temp.remove()
  }

  /// A cache in the temporary folder downloading from `route` on the test server.
  func cache(route: String, base: String? = nil) -> KerasWeightsCache {
    KerasWeightsCache(environment: [
      "HOME": temp.path("home"), "KERAS_HOME": temp.path("keras"),
      "GLIMPSE_CACHE": temp.path("glimpse"),
      "GLIMPSE_KERAS_WEIGHTS_URL": (base ?? server.baseURL) + "/" + route,
    ])
  }

  func testDownloadsChecksAndCachesWithThrottledProgress() throws {
    var reports: [(received: Int64, total: Int64?, at: ContinuousClock.Instant)] = []
    let cache = cache(route: "slow")
    let url = try cache.fetch(spec) { reports.append(($0, $1, .now)) }
    XCTAssertEqual(url.path, temp.path("glimpse/" + spec.fileName))
    XCTAssertEqual(try Data(contentsOf: url), Data(Self.payload))
    XCTAssertEqual(temp.contents(of: "glimpse"), [spec.fileName])
    XCTAssertEqual(server.requestedPaths, ["/slow/vgg16/" + spec.fileName])
    // 12 chunks 0.1 s apart: several reports, but at most one per 0.25 s plus the final one.
    XCTAssertGreaterThanOrEqual(reports.count, 3)
    XCTAssertEqual(reports.last?.received, Int64(Self.payload.count))
    XCTAssertEqual(reports.last?.total, Int64(Self.payload.count))
    for (earlier, later) in zip(reports, reports.dropFirst()) {
      XCTAssertLessThanOrEqual(earlier.received, later.received)
      if let total = later.total { XCTAssertEqual(total, Int64(Self.payload.count)) }
    }
    for (earlier, later) in zip(reports.dropLast(), reports.dropLast().dropFirst()) {
      XCTAssertGreaterThanOrEqual(earlier.at.duration(to: later.at), .milliseconds(240))
    }
    // A second fetch finds the file and does not download again.
    XCTAssertEqual(try cache.fetch(spec).path, url.path)
    XCTAssertEqual(server.requestedPaths.count, 1)
  }

  func testFollowsRedirects() throws {
    let url = try cache(route: "moved").fetch(spec)
    XCTAssertEqual(try Data(contentsOf: url), Data(Self.payload))
  }

  func testTruncatedDownloadIsRejectedAndNotCached() {
    let cache = cache(route: "short")
    XCTAssertThrowsError(try cache.fetch(spec)) { error in
      XCTAssertEqual(
        error as? DownloadError,
        .truncated(
          url: cache.downloadURL(for: spec), expected: Int64(Self.payload.count),
          received: 40_000))
    }
    XCTAssertEqual(temp.contents(of: "glimpse"), [])
    XCTAssertNil(cache.locate(spec))
  }

  func testChecksumMismatchIsRejectedAndNotCached() {
    let cache = cache(route: "corrupt")
    XCTAssertThrowsError(try cache.fetch(spec)) { error in
      XCTAssertEqual(
        error as? DownloadError,
        .checksumMismatch(
          url: cache.downloadURL(for: spec), fileName: spec.fileName, expected: Self.payloadMD5,
          actual: MD5Digest.hex(of: Self.corrupt)))
    }
    XCTAssertNotEqual(MD5Digest.hex(of: Self.corrupt), Self.payloadMD5)
    XCTAssertEqual(temp.contents(of: "glimpse"), [])
  }

  func testHTTPErrorStatusFails() {
    let cache = cache(route: "missing")
    XCTAssertThrowsError(try cache.fetch(spec)) { error in
      XCTAssertEqual(
        error as? DownloadError, .httpStatus(url: cache.downloadURL(for: spec), status: 404))
      XCTAssertTrue("\(error)".contains("HTTP 404"), "\(error)")
    }
    XCTAssertEqual(temp.contents(of: "glimpse"), [])
  }

  /// No server: the error names the URL, both destinations in full and Keras' URL, in one line.
  func testConnectionRefusedSaysWhichFileToPutWhere() {
    let closed = "http://127.0.0.1:\(LocalHTTPServer.closedPort())"
    let cache = cache(route: "ok", base: closed)
    XCTAssertThrowsError(try cache.fetch(spec)) { error in
      guard case .unreachable(let url, _, let destinations, let kerasURL)? = error as? DownloadError
      else { return XCTFail("expected unreachable, got \(error)") }
      XCTAssertEqual(url, closed + "/ok/vgg16/" + spec.fileName)
      XCTAssertEqual(
        destinations,
        [temp.path("keras/models/" + spec.fileName), temp.path("glimpse/" + spec.fileName)])
      XCTAssertEqual(kerasURL, KerasWeightFileSpec.vgg16.kerasURL)
      let message = "\(error)"
      for part in [url, kerasURL] + destinations {
        XCTAssertTrue(message.contains(part), "\(part) missing from: \(message)")
      }
      XCTAssertFalse(message.contains("\n"))
    }
    XCTAssertEqual(temp.contents(of: "glimpse"), [])
  }

  func testCancellationStopsAndLeavesNothing() {
    var reports = 0
    let cache = cache(route: "slow")
    XCTAssertThrowsError(
      try cache.fetch(spec, progress: { _, _ in reports += 1 }, isCancelled: { reports > 0 })
    ) { error in
      XCTAssertEqual(error as? DownloadError, .cancelled(url: cache.downloadURL(for: spec)))
    }
    XCTAssertEqual(temp.contents(of: "glimpse"), [])
  }

  func testUnwritableCacheIsReported() throws {
    try temp.write([0], at: "file")
    var environment = cache(route: "ok").environment
    environment["GLIMPSE_CACHE"] = temp.path("file/cache")
    XCTAssertThrowsError(try KerasWeightsCache(environment: environment).fetch(spec)) { error in
      guard case .cannotWrite(let path, _)? = error as? DownloadError
      else { return XCTFail("expected cannotWrite, got \(error)") }
      XCTAssertEqual(path, temp.path("file/cache"))
    }
    XCTAssertEqual(server.requestedPaths, [])
  }
}
