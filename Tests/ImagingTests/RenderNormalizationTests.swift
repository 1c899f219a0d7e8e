import Imaging
import XCTest

final class RenderNormalizationTests: XCTestCase {
  func testPercentileInterpolatesLikeNumpy() {
    // numpy.percentile([4, 1, 3, 2], q) for q = 0, 50, 90, 100: 1, 2.5, 3.7, 4.
    XCTAssertEqual(percentile([4, 1, 3, 2], 0), 1)
    XCTAssertEqual(percentile([4, 1, 3, 2], 50), 2.5)
    XCTAssertEqual(percentile([4, 1, 3, 2], 90), 3.7, accuracy: 1e-6)
    XCTAssertEqual(percentile([4, 1, 3, 2], 100), 4)
    XCTAssertEqual(percentile([7], 99), 7)
  }

  func testMinMaxSpreadsOverZeroToOne() {
    let map = ScalarMap(width: 2, height: 2, values: [2, 4, 6, 10])
    XCTAssertEqual(map.normalized(.minMax).values, [0, 0.25, 0.5, 1])
    XCTAssertEqual(MapScale.fitting([map], .minMax), MapScale(low: 2, high: 10))
  }

  func testMagnitudePercentileClipsTheTail() {
    // |v| sorted is 0...9 then the outlier 100; the 90th percentile is entry 9 of 10: 9.
    let values: [Float] = [0, -1, 2, -3, 4, -5, 6, -7, 8, -9, 100]
    let map = ScalarMap(width: 11, height: 1, values: values)
    let scale = MapScale.fitting([map], .magnitudePercentile(90))
    XCTAssertEqual(scale, MapScale(low: 0, high: 9, usesMagnitude: true))
    let positions = map.normalized(.magnitudePercentile(90)).values
    XCTAssertEqual(positions[5], 5.0 / 9, accuracy: 1e-6, "sign is dropped")
    XCTAssertEqual(positions[9], 1)
    XCTAssertEqual(positions[10], 1, "the outlier clips instead of washing the rest out")
  }

  func testSymmetricPutsZeroAtTheCentre() {
    let map = ScalarMap(width: 4, height: 1, values: [-2, 0, 1, 4])
    XCTAssertEqual(map.normalized(.symmetric(percentile: 100)).values, [0.25, 0.5, 0.625, 1])
    // The percentile of |v| = [0, 1, 2, 4] at 50 is 1.5: values past ±1.5 clip.
    let clipped = map.normalized(.symmetric(percentile: 50)).values
    XCTAssertEqual(clipped[0], 0)
    XCTAssertEqual(clipped[2], 0.5 + 0.5 / 1.5, accuracy: 1e-6)
    XCTAssertEqual(clipped[3], 1)
  }

  func testSharedScaleCoversAllMaps() {
    let a = ScalarMap(width: 1, height: 2, values: [0.5, -1])
    let b = ScalarMap(width: 2, height: 1, values: [3, 0])
    XCTAssertEqual(
      MapScale.fitting([a, b], .symmetric(percentile: 100)), MapScale(low: -3, high: 3))
    XCTAssertEqual(MapScale.fitting([a, b], .minMax), MapScale(low: -1, high: 3))
  }

  func testConstantMapsGiveNoNaN() {
    for value: Float in [0, 5, -2] {
      let map = ScalarMap(width: 3, height: 2, values: Array(repeating: value, count: 6))
      XCTAssertEqual(map.normalized(.minMax).values, Array(repeating: 0, count: 6), "\(value)")
      let magnitude = map.normalized(.magnitudePercentile(99)).values
      XCTAssertEqual(magnitude, Array(repeating: value == 0 ? 0 : 1, count: 6), "\(value)")
      let symmetric = map.normalized(.symmetric(percentile: 99.9)).values
      let expected: Float = value == 0 ? 0.5 : value > 0 ? 1 : 0
      XCTAssertEqual(symmetric, Array(repeating: expected, count: 6), "\(value)")
    }
  }

  func testNaNAndInfinityAreTamed() {
    let map = ScalarMap(width: 4, height: 1, values: [.nan, -1, 1, .infinity])
    XCTAssertEqual(MapScale.fitting([map], .minMax), MapScale(low: -1, high: 1))
    let positions = map.normalized(.symmetric(percentile: 100)).values
    XCTAssertEqual(positions, [0.5, 0, 1, 1], "NaN is drawn as zero, infinity clips")
    XCTAssertEqual(map.normalized(.minMax).values[0], 0.5)
  }
}
