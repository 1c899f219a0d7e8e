// Times decode + resize + preprocess of a large JPEG. Runs only when GLIMPSE_LARGE_JPEG names one
// (make it with `make_image_corpus.py --large PATH`: 4000x3000, not committed).
import Attribution
import Foundation
import Imaging
import XCTest

final class PreprocessingTimingTests: XCTestCase {
  func testLargeJPEGToModelInput() throws {
    guard let path = ProcessInfo.processInfo.environment["GLIMPSE_LARGE_JPEG"] else {
      throw XCTSkip("set GLIMPSE_LARGE_JPEG to a large JPEG to time it")
    }
    func milliseconds(_ start: ContinuousClock.Instant) -> Double {
      let d = ContinuousClock.now - start
      return Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
    }
    var runs: [(decode: Double, resize: Double, preprocess: Double)] = []
    for _ in 0..<5 {
      var start = ContinuousClock.now
      let image = try Image(contentsOfFile: path)
      let decode = milliseconds(start)
      start = ContinuousClock.now
      let resized = image.resized(width: 224, height: 224)
      let resize = milliseconds(start)
      start = ContinuousClock.now
      let x = Preprocessing.lite.tensor(from: resized)
      let preprocess = milliseconds(start)
      XCTAssertEqual(x.shape, [1, 3, 224, 224])
      XCTAssertGreaterThan(image.width * image.height, 10_000_000)
      runs.append((decode, resize, preprocess))
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    let d = median(runs.map(\.decode))
    let r = median(runs.map(\.resize))
    let p = median(runs.map(\.preprocess))
    print(
      String(
        format:
          "large JPEG: decode %.1f ms, resize %.2f ms, preprocess %.2f ms, total %.1f ms"
          + " (median of 5)",
        d, r, p, d + r + p))
  }
}
