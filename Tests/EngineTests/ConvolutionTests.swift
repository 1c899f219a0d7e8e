import Engine
import TestSupport
import XCTest

/// Every fast convolution backend against the plain-loop reference, forward and input gradient.
final class ConvolutionTests: XCTestCase {
  /// Odd shapes: 1x1, stride 2, asymmetric pads, groups, depthwise (with multiplier),
  /// dilation, non-square, SAME padding, a kernel as large as the padded input.
  static let cases: [(label: String, input: [Int], weights: [Int], groups: Int, window: Window2D, bias: Bool)] = [
    ("1x1", [2, 5, 7, 6], [4, 5, 1, 1], 1, Window2D(kernelHeight: 1, kernelWidth: 1), true),
    ("1x1 stride 2 padded", [1, 3, 7, 9], [5, 3, 1, 1], 1,
     Window2D(kernelHeight: 1, kernelWidth: 1, strides: (2, 2), pads: (1, 0, 0, 1)), false),
    ("3x3 pad 1", [2, 3, 9, 7], [4, 3, 3, 3], 1,
     Window2D(kernelHeight: 3, kernelWidth: 3, pads: (1, 1, 1, 1)), true),
    ("3x2 stride 2 asymmetric", [1, 4, 11, 8], [6, 4, 3, 2], 1,
     Window2D(kernelHeight: 3, kernelWidth: 2, strides: (2, 3), pads: (0, 1, 2, 0)), true),
    ("dilated", [1, 2, 10, 9], [3, 2, 3, 3], 1,
     Window2D(kernelHeight: 3, kernelWidth: 3, dilations: (2, 3), pads: (2, 1, 1, 3)), false),
    ("groups 2", [2, 6, 8, 5], [4, 3, 3, 3], 2,
     Window2D(kernelHeight: 3, kernelWidth: 3, strides: (1, 2), pads: (1, 1, 1, 1)), true),
    ("depthwise 3x3", [2, 5, 9, 8], [5, 1, 3, 3], 5,
     Window2D(kernelHeight: 3, kernelWidth: 3, pads: (1, 1, 1, 1)), true),
    ("depthwise 5x5 stride 2 asymmetric", [1, 4, 13, 10], [4, 1, 5, 5], 4,
     Window2D(kernelHeight: 5, kernelWidth: 5, strides: (2, 2), pads: (1, 2, 2, 1)), true),
    ("depthwise multiplier 2 dilated", [1, 3, 9, 9], [6, 1, 3, 3], 3,
     Window2D(kernelHeight: 3, kernelWidth: 3, dilations: (2, 2), pads: (2, 2, 2, 2)), false),
    ("same upper stride 2", [1, 3, 10, 7], [4, 3, 3, 3], 1,
     Window2D(kernelHeight: 3, kernelWidth: 3, strides: (2, 2), autoPad: .sameUpper), true),
    ("same lower 4x4", [1, 2, 7, 6], [3, 2, 4, 4], 1,
     Window2D(kernelHeight: 4, kernelWidth: 4, autoPad: .sameLower), false),
    ("valid kernel fills input", [1, 3, 5, 4], [2, 3, 5, 4], 1,
     Window2D(kernelHeight: 5, kernelWidth: 4, autoPad: .valid), true),
    ("1-D as H=1", [2, 3, 1, 17], [4, 3, 1, 5], 1,
     Window2D(kernelHeight: 1, kernelWidth: 5, strides: (1, 2), pads: (0, 2, 0, 1)), true),
    ("wide pad beyond kernel", [1, 2, 4, 5], [3, 2, 2, 2], 1,
     Window2D(kernelHeight: 2, kernelWidth: 2, strides: (3, 2), pads: (3, 2, 3, 2)), true),
  ]

  func testEveryBackendMatchesTheReference() {
    var rng = SplitMix64(seed: 11)
    for c in Self.cases {
      let conv = Convolution(
        weights: rng.tensor(c.weights), bias: c.bias ? rng.tensor([c.weights[0]]) : nil,
        groups: c.groups, window: c.window)
      let x = rng.tensor(c.input)
      let g = conv.geometry(input: c.input)
      XCTAssertNil(g.problem, c.label)
      let reference = conv.forward(x, backend: .reference)
      XCTAssertEqual(reference.shape, g.outputShape, c.label)
      let dy = rng.tensor(g.outputShape)
      let referenceGradient = conv.backwardData(dy, inputShape: c.input, backend: .reference)
      for backend in ConvolutionBackend.allCases where backend != .reference {
        let y = conv.forward(x, backend: backend)
        XCTAssertEqual(y.shape, reference.shape, "\(c.label) \(backend)")
        let fd = difference(y, reference)
        XCTAssertLessThan(fd.maxAbs, 1e-4, "\(c.label) \(backend) forward: \(fd)")
        let dx = conv.backwardData(dy, inputShape: c.input, backend: backend)
        let bd = difference(dx, referenceGradient)
        XCTAssertLessThan(bd.maxAbs, 1e-4, "\(c.label) \(backend) input gradient: \(bd)")
        if backend == .dnnl || backend == .dnnlBlocked {
          // oneDNN really ran (a refused shape would silently fall back to im2col).
          for pass in [ConvolutionPass.forward, .backwardData] {
            let impl = conv.dnnlImplementation(input: c.input, pass: pass, blocked: backend == .dnnlBlocked)
            XCTAssertFalse(impl.contains("none"), "\(c.label) \(backend) \(pass): \(impl)")
          }
        }
      }
    }
  }

  func testWeightGradientMatchesTheReference() {
    var rng = SplitMix64(seed: 12)
    for c in Self.cases {
      let conv = Convolution(weights: rng.tensor(c.weights), bias: nil, groups: c.groups, window: c.window)
      let x = rng.tensor(c.input)
      let dy = rng.tensor(conv.geometry(input: c.input).outputShape)
      let fast = conv.backwardWeights(dy, input: x)
      let slow = ReferenceConvolution.backwardWeights(dy, input: x, geometry: conv.geometry(input: c.input))
      XCTAssertLessThan(difference(fast.weights, slow.weights).maxAbs, 1e-4, c.label)
      XCTAssertLessThan(difference(fast.bias, slow.bias).maxAbs, 1e-4, c.label)
    }
  }

  /// The reference itself against a hand-computed 2x2 case, so the oracle is not trusted blindly.
  func testReferenceOnAHandComputedCase() {
    let x = Tensor(shape: [1, 1, 3, 3], storage: [1, 2, 3, 4, 5, 6, 7, 8, 9])
    let w = Tensor(shape: [1, 1, 2, 2], storage: [1, 0, 0, -1])
    let conv = Convolution(
      weights: w, bias: Tensor(shape: [1], storage: [10]), groups: 1,
      window: Window2D(kernelHeight: 2, kernelWidth: 2, strides: (2, 1), pads: (0, 0, 1, 0)))
    // Rows 0 and 2 (padded below): x[i,j] - x[i+1,j+1] + 10.
    let expected: [Float] = [1 - 5 + 10, 2 - 6 + 10, 7 + 10, 8 + 10]
    for backend in ConvolutionBackend.allCases {
      XCTAssertEqual(conv.forward(x, backend: backend).storage, expected, "\(backend)")
    }
  }

  func testSamePaddingKeepsCeilOfSizeOverStride() {
    for (size, stride, kernel) in [(7, 2, 3), (8, 2, 3), (5, 3, 4), (224, 2, 3)] {
      let g = ConvolutionGeometry(
        input: [1, 1, size, size], weights: [1, 1, kernel, kernel], groups: 1,
        window: Window2D(kernelHeight: kernel, kernelWidth: kernel, strides: (stride, stride), autoPad: .sameUpper))
      XCTAssertEqual(g.outHeight, (size + stride - 1) / stride)
      XCTAssertLessThanOrEqual(g.padTop, g.padBottom)
    }
  }

  func testProblemsAreReported() {
    let bad = ConvolutionGeometry(
      input: [1, 4, 5, 5], weights: [3, 2, 3, 3], groups: 2, window: Window2D(kernelHeight: 3, kernelWidth: 3))
    XCTAssertNotNil(bad.problem)  // 3 output channels over 2 groups
    let tooBig = ConvolutionGeometry(
      input: [1, 1, 2, 2], weights: [1, 1, 3, 3], groups: 1, window: Window2D(kernelHeight: 3, kernelWidth: 3))
    XCTAssertNotNil(tooBig.problem)
  }
}
