import Imaging
import XCTest

final class RenderUpsampleTests: XCTestCase {
  func testMatchesOpenCVLinearResize() {
    for case_ in RenderReference.shared.upsample {
      let map = ScalarMap(width: case_.width, height: case_.height, values: case_.input)
      let out = map.upsampled(width: case_.out_width, height: case_.out_height)
      XCTAssertEqual(out.width, case_.out_width)
      XCTAssertEqual(out.height, case_.out_height)
      let worst = zip(out.values, case_.output).map { abs($0 - $1) }.max()!
      XCTAssertLessThan(
        worst, 1e-5, "\(case_.width)x\(case_.height) -> \(case_.out_width)x\(case_.out_height)")
    }
  }

  func testHalfPixelCentresByHand() {
    // Source centres sit at output 0.5 and 2.5 of 4: (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25.
    let row = ScalarMap(width: 2, height: 1, values: [0, 1]).upsampled(width: 4, height: 1)
    XCTAssertEqual(row.values, [0, 0.25, 0.75, 1])
    let column = ScalarMap(width: 1, height: 2, values: [0, 8]).upsampled(width: 1, height: 4)
    XCTAssertEqual(column.values, [0, 2, 6, 8])
  }

  func testNonSquareMapKeepsItsAxes() {
    // A 3x2 map whose only non-zero cell is column 2, row 0 (top right).
    let map = ScalarMap(width: 3, height: 2, values: [0, 0, 1, 0, 0, 0])
    let big = map.upsampled(width: 30, height: 20)
    let hottest = big.values.indices.max { big.values[$0] < big.values[$1] }!
    XCTAssertGreaterThanOrEqual(hottest % 30, 25, "hot column on the right")
    XCTAssertLessThan(hottest / 30, 5, "hot row at the top")
    XCTAssertEqual(big[29, 0], 1)
    XCTAssertEqual(big[0, 19], 0)
  }
}
