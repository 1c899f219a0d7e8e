import ModelZoo
import XCTest

final class DownloadErrorTests: XCTestCase {
  /// Every error is one line naming the facts a user needs.
  func testEachErrorIsOneLineWithItsFacts() {
    let url = "http://mirror/vgg16/f.h5"
    let cases: [(DownloadError, [String])] = [
      (
        .unreachable(
          url: url, reason: "Could not resolve host: mirror", destinations: ["/a/f.h5", "/b/f.h5"],
          kerasURL: "https://keras/f.h5"),
        [url, "Could not resolve host", "/a/f.h5 or /b/f.h5", "download https://keras/f.h5"]
      ),
      (.httpStatus(url: url, status: 403), [url, "HTTP 403"]),
      (.truncated(url: url, expected: 100, received: 40), [url, "40 of 100 bytes"]),
      (.truncated(url: url, expected: -1, received: 40), [url, "received 40 bytes;"]),
      (
        .checksumMismatch(url: url, fileName: "f.h5", expected: "aa", actual: "bb"),
        [url, "f.h5", "md5 bb", "expected aa"]
      ),
      (
        .cannotWrite(path: "/ro/cache", reason: "Read-only file system"),
        ["/ro/cache", "Read-only"]
      ),
      (.cancelled(url: url), [url, "cancelled"]),
      (.transfer(url: url, reason: "SSL certificate problem"), [url, "SSL certificate problem"]),
    ]
    // Keras' own address is named once.
    let direct = DownloadError.unreachable(
      url: "https://keras/f.h5", reason: "Could not resolve host: keras", destinations: ["/a/f.h5"],
      kerasURL: "https://keras/f.h5"
    ).description
    XCTAssertEqual(direct.components(separatedBy: "https://keras/f.h5").count, 2, direct)
    XCTAssertTrue(direct.contains("download it on another machine and put it at /a/f.h5"), direct)
    for (error, facts) in cases {
      let text = error.description
      XCTAssertFalse(text.contains("\n"), text)
      for fact in facts { XCTAssertTrue(text.contains(fact), "'\(fact)' missing from: \(text)") }
    }
  }
}
