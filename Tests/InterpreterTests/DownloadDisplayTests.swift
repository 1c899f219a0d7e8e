@testable import Interpreter
import XCTest

/// The weights download's progress: one display, updated in place, throttled, closed once.
final class DownloadDisplayTests: XCTestCase {
  private func texts(_ items: [OutputItem]) -> [(update: Bool, id: String?, text: String)] {
    items.compactMap { item in
      switch item {
      case .display(let bundle, let id): (false, id, bundle.plainText ?? "")
      case .updateDisplay(let bundle, let id): (true, id, bundle.plainText ?? "")
      default: nil
      }
    }
  }

  func testOneDisplayUpdatedInPlaceThenMarkedDone() {
    let sink = RecordingSink()
    let display = DownloadDisplay(sink: sink, interval: 0)
    display.update("f.h5", 0, 2_000_000)
    display.update("f.h5", 1_000_000, 2_000_000)
    display.update("f.h5", 2_000_000, 2_000_000)
    display.finish()
    let shown = texts(sink.all)
    XCTAssertEqual(shown.map(\.update), [false, true, true, true])
    XCTAssertEqual(Set(shown.map(\.id)).count, 1, "every update targets the one display")
    XCTAssertTrue(shown[0].text.hasPrefix("downloading f.h5"), shown[0].text)
    XCTAssertTrue(shown[1].text.contains("50%"), shown[1].text)
    XCTAssertTrue(shown[3].text.hasSuffix(" done"), shown[3].text)
  }

  func testThrottledButTheLastReportAlwaysShows() {
    let sink = RecordingSink()
    let display = DownloadDisplay(sink: sink, interval: 3600)
    for received in stride(from: Int64(0), through: 1000, by: 100) {
      display.update("f.h5", received, 1000)
    }
    display.abandon()
    let shown = texts(sink.all)
    XCTAssertEqual(shown.count, 3, "the first, the complete one, then the failure")
    XCTAssertTrue(shown[1].text.contains("100%"), shown[1].text)
    XCTAssertTrue(shown[2].text.hasSuffix(" failed"), shown[2].text)
  }

  func testNothingShownWhenNothingWasDownloaded() {
    let sink = RecordingSink()
    let display = DownloadDisplay(sink: sink, interval: 0)
    display.finish()
    display.abandon()
    XCTAssertTrue(sink.all.isEmpty)
  }
}
