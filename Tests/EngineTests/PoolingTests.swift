import Engine
import TestSupport
import XCTest

/// Pooling and LRN values against hand-computed numbers and the definitions.
final class PoolingTests: XCTestCase {
  /// 0 1 2 3 4 / 5 ... / 20 ... 24 in a 5x5 plane.
  let ramp = Tensor(shape: [1, 1, 5, 5], storage: (0..<25).map(Float.init))

  func testMaxPoolCeilModeKeepsThePartialWindow() {
    let floor = PoolingGeometry(input: ramp.shape, window: Window2D(kernelHeight: 2, kernelWidth: 2, strides: (2, 2)), ceilMode: false)
    let ceil = PoolingGeometry(input: ramp.shape, window: Window2D(kernelHeight: 2, kernelWidth: 2, strides: (2, 2)), ceilMode: true)
    XCTAssertEqual(floor.outputShape, [1, 1, 2, 2])
    XCTAssertEqual(ceil.outputShape, [1, 1, 3, 3])
    let (y, indices) = Pooling.maxPool(ramp, geometry: ceil)
    XCTAssertEqual(y.storage, [6, 8, 9, 16, 18, 19, 21, 23, 24])
    XCTAssertEqual(indices, [6, 8, 9, 16, 18, 19, 21, 23, 24])
  }

  func testCeilModeDropsAWindowStartingInThePadding() {
    // 4 wide, pad 1 each side, kernel 2, stride 2: ceil gives 4 windows but the last would
    // start at padded position 6 = inside the end padding, so 3 remain (as ONNX and PyTorch).
    let g = PoolingGeometry(
      input: [1, 1, 1, 4], window: Window2D(kernelHeight: 1, kernelWidth: 2, strides: (1, 2), pads: (0, 1, 0, 1)),
      ceilMode: true)
    XCTAssertEqual(g.outWidth, 3)
  }

  func testAveragePoolDivisors() {
    let window = Window2D(kernelHeight: 3, kernelWidth: 3, pads: (1, 1, 1, 1))
    let g = PoolingGeometry(input: ramp.shape, window: window, ceilMode: false)
    let excluding = Pooling.averagePool(ramp, geometry: g, countIncludePad: false)
    let including = Pooling.averagePool(ramp, geometry: g, countIncludePad: true)
    // Corner (0, 0) sees 0, 1, 5, 6: mean 3 over 4 taps, or 12 / 9 with the padding counted.
    XCTAssertEqual(excluding[0, 0, 0, 0], 3)
    XCTAssertEqual(including[0, 0, 0, 0], 12 / 9, accuracy: 1e-6)
    XCTAssertEqual(excluding[0, 0, 2, 2], 12)  // interior: the centre value of a ramp
  }

  func testGlobalPoolsKeepRank() {
    let x = Tensor(shape: [1, 2, 2, 2], storage: [1, 2, 3, 4, -1, -5, -2, -3])
    XCTAssertEqual(Pooling.global(x, max: false).storage, [2.5, -2.75])
    XCTAssertEqual(Pooling.global(x, max: true).storage, [4, -1])
    XCTAssertEqual(Pooling.global(x, max: true).shape, [1, 2, 1, 1])
  }

  func testLRNMatchesTheFormula() {
    var rng = SplitMix64(seed: 5)
    let x = rng.tensor([1, 5, 1, 2])
    let p = LocalResponseNorm.Parameters(size: 4, alpha: 0.5, beta: 0.75, bias: 2)
    let y = LocalResponseNorm.forward(x, p)
    for c in 0..<5 {
      for w in 0..<2 {
        // Window c-1 ... c+2 for size 4 (floor((4-1)/2) before, ceil after).
        var sum = 0.0
        for k in max(0, c - 1)...min(4, c + 2) { sum += Double(x[0, k, 0, w] * x[0, k, 0, w]) }
        let expected = Double(x[0, c, 0, w]) / pow(2 + 0.5 / 4 * sum, 0.75)
        XCTAssertEqual(Double(y[0, c, 0, w]), expected, accuracy: 1e-6)
      }
    }
  }
}

/// Channels-last max pooling against the NCHW loop, on awkward windows.
final class ChannelsLastPoolingTests: XCTestCase {
  func testChannelsLastMaxPoolMatchesNCHW() {
    var rng = SplitMix64(seed: 41)
    let windows: [(Window2D, Bool)] = [
      (Window2D(kernelHeight: 2, kernelWidth: 2, strides: (2, 2)), false),
      (Window2D(kernelHeight: 3, kernelWidth: 3, strides: (2, 2), pads: (1, 1, 1, 1)), true),
      (Window2D(kernelHeight: 3, kernelWidth: 2, strides: (1, 2), dilations: (2, 1), pads: (2, 0, 1, 1)), false),
      (Window2D(kernelHeight: 2, kernelWidth: 3, strides: (3, 1), autoPad: .sameUpper), false),
    ]
    for (window, ceilMode) in windows {
      for channels in [1, 5, 19] {
        var x = rng.tensor([2, channels, 9, 8])
        // Ties and a NaN: the first maximum wins, as in the NCHW loop.
        x.storage[3] = x.storage[4]
        x.storage[10] = .nan
        let g = PoolingGeometry(input: x.shape, window: window, ceilMode: ceilMode)
        XCTAssertNil(g.problem)
        let expected = Pooling.maxPool(x, geometry: g).values
        let y = Pooling.maxPoolChannelsLast(toChannelsLast(x), geometry: g)
        XCTAssertEqual(y.shape, [2, g.outHeight, g.outWidth, channels])
        let back = toChannelsFirst(y)
        for i in 0..<expected.count {
          let (a, b) = (back.storage[i], expected.storage[i])
          XCTAssertTrue(a == b || (a.isNaN && b.isNaN), "\(window) C=\(channels) at \(i): \(a) vs \(b)")
        }
      }
    }
  }
}
