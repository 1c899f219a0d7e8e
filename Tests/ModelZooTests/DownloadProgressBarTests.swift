import ModelZoo
import XCTest

final class DownloadProgressBarTests: XCTestCase {
  let bar = DownloadProgressBar(label: "vgg16_weights_tf_dim_ordering_tf_kernels.h5")

  func testMidwayLineShowsPercentBarSizesAndRate() {
    let line = bar.line(received: 232_100_000, total: 553_467_096, elapsed: 232.1 / 38.2)
    XCTAssertEqual(
      line,
      "vgg16_weights_tf_dim_ordering_tf_kernels.h5  42% [########..........] "
        + "232.1/553.5 MB 38.2 MB/s")
  }

  func testHundredPercentAndFullBarOnlyWhenComplete() {
    let almost = bar.line(received: 999_999, total: 1_000_000, elapsed: nil)
    XCTAssertTrue(almost.hasSuffix(" 99% [#################.] 1.0/1.0 MB"), almost)
    let done = bar.line(received: 1_000_000, total: 1_000_000, elapsed: nil)
    XCTAssertTrue(done.hasSuffix(" 100% [##################] 1.0/1.0 MB"), done)
  }

  func testStartAndSmallSizes() {
    let start = DownloadProgressBar(label: "f.h5", width: 4)
      .line(received: 0, total: 900, elapsed: 0)
    XCTAssertEqual(start, "f.h5   0% [....] 0/900 B")
    let kilo = DownloadProgressBar(label: "f.h5", width: 4)
      .line(received: 1_500, total: 3_000, elapsed: 2)
    XCTAssertEqual(kilo, "f.h5  50% [##..] 1.5/3.0 kB 750 B/s")
  }

  func testUnknownTotalShowsBytesAndRateWithoutBar() {
    let line = bar.line(received: 2_500_000_000, total: nil, elapsed: 10)
    XCTAssertEqual(line, "vgg16_weights_tf_dim_ordering_tf_kernels.h5 2.5 GB 250.0 MB/s")
  }

  func testFirstUpdateHasNoRateYet() {
    var timed = DownloadProgressBar(label: "x", width: 2)
    XCTAssertEqual(timed.update(received: 0, total: 10), "x   0% [..] 0/10 B")
  }
}
