import Engine
import TestSupport
import XCTest

/// Activations, softmax, batch norm and reductions against hand-computed values.
final class ActivationTests: XCTestCase {
  private let x = Tensor(shape: [5], storage: [-2, -0.5, 0, 0.5, 2])

  func testUnaryFunctions() {
    XCTAssertEqual(apply(.relu, x).storage, [0, 0, 0, 0.5, 2])
    XCTAssertEqual(apply(.leakyRelu(alpha: 0.1), x).storage, [-0.2, -0.05, 0, 0.5, 2])
    XCTAssertEqual(apply(.abs, x).storage, [2, 0.5, 0, 0.5, 2])
    XCTAssertEqual(apply(.neg, x).storage, [2, 0.5, -0, -0.5, -2])
    let s = apply(.sigmoid, Tensor(shape: [3], storage: [0, -200, 200]))
    XCTAssertEqual(s.storage, [0.5, 0, 1])  // no overflow at either end
    XCTAssertEqual(apply(.tanh, Tensor(scalar: 0.5)).storage[0], 0.46211716, accuracy: 1e-6)
    XCTAssertEqual(apply(.erf, Tensor(scalar: 1)).storage[0], 0.84270079, accuracy: 1e-6)
    XCTAssertEqual(apply(.sqrt, Tensor(scalar: 2.25)).storage, [1.5])
  }

  func testClipDerivativeIsZeroAtTheBounds() {
    let v = Tensor(shape: [5], storage: [-1, 0, 3, 6, 7])
    XCTAssertEqual(clip(v, low: 0, high: 6).storage, [0, 0, 3, 6, 6])
    let g = Tensor(repeating: 1, shape: [5])
    XCTAssertEqual(clipBackward(x: v, low: 0, high: 6, g: g).storage, [0, 0, 1, 0, 0])
    let (dLow, dHigh) = clipBoundsBackward(x: v, low: 0, high: 6, g: g)
    XCTAssertEqual(dLow, 1)
    XCTAssertEqual(dHigh, 1)
    XCTAssertTrue(clip(Tensor(scalar: .nan), low: 0, high: 1).storage[0].isNaN)
  }

  func testSoftmaxOldAndNewAxisSemantics() {
    let l2: Float = log(2)
    let l3: Float = log(3)
    let l6: Float = log(6)
    let t = Tensor(shape: [1, 2, 2], storage: [0, l3, l2, l6])
    // From opset 13: over axis 1 alone, per column.
    let perAxis = softmax(t, view: .axis(1, of: t.shape))
    XCTAssertEqual(perAxis.storage[0], 1.0 / 3, accuracy: 1e-6)
    XCTAssertEqual(perAxis.storage[2], 2.0 / 3, accuracy: 1e-6)
    XCTAssertEqual(perAxis.storage[1], 3.0 / 9, accuracy: 1e-6)
    // Before opset 13: everything from axis 1 is one row of four.
    let flat = softmax(t, view: .flattened(at: 1, of: t.shape))
    let expected: [Float] = [1.0 / 12, 3.0 / 12, 2.0 / 12, 6.0 / 12]
    for i in 0..<4 { XCTAssertEqual(flat.storage[i], expected[i], accuracy: 1e-6) }
    let logFlat = softmax(t, view: .flattened(at: 1, of: t.shape), log: true)
    XCTAssertEqual(logFlat.storage[3], -l2, accuracy: 1e-6)
  }

  func testBatchNormInference() {
    let x = Tensor(shape: [1, 2, 2], storage: [1, 3, 10, 20])
    let p = BatchNormParameters(
      scale: Tensor(shape: [2], storage: [2, 1]), bias: Tensor(shape: [2], storage: [0, 1]),
      mean: Tensor(shape: [2], storage: [1, 10]), variance: Tensor(shape: [2], storage: [4, 100]),
      epsilon: 0)
    XCTAssertEqual(batchNorm(x, p, channels: 2, inner: 2).storage, [0, 2, 1, 2])
    let g = batchNormBackward(
      x, p, channels: 2, inner: 2, g: Tensor(repeating: 1, shape: [1, 2, 2]), wantX: true)
    XCTAssertEqual(g.x?.storage, [1, 1, 0.1, 0.1])
    XCTAssertEqual(g.bias.storage, [2, 2])
  }

  func testReductions() {
    let t = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
    XCTAssertEqual(reduce(t, Reduction(axes: [1], keepDims: false, mean: false)).storage, [6, 15])
    let m = reduce(t, Reduction(axes: [0], keepDims: true, mean: true))
    XCTAssertEqual(m.shape, [1, 3])
    XCTAssertEqual(m.storage, [2.5, 3.5, 4.5])
    let all = reduce(t, Reduction(axes: [0, 1], keepDims: false, mean: true))
    XCTAssertEqual(all.shape, [])
    XCTAssertEqual(all.storage, [3.5])
    let back = reduceBackward(
      inputShape: [2, 3], Reduction(axes: [1], keepDims: false, mean: true),
      g: Tensor(shape: [2], storage: [3, 6]))
    XCTAssertEqual(back.storage, [1, 1, 1, 2, 2, 2])
  }
}
