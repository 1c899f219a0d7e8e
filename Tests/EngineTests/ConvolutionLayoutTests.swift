import Engine
import TestSupport
import XCTest

/// Channels-last tensors and fused activations against the NCHW reference convolution.
final class ConvolutionLayoutTests: XCTestCase {
  func testChannelsLastMovesEachElementToItsNHWCIndex() {
    var rng = SplitMix64(seed: 21)
    let x = rng.tensor([2, 3, 5, 7])
    let y = toChannelsLast(x)
    XCTAssertEqual(y.shape, [2, 5, 7, 3])
    for n in 0..<2 {
      for c in 0..<3 {
        for h in 0..<5 {
          for w in 0..<7 { XCTAssertEqual(y[n, h, w, c], x[n, c, h, w]) }
        }
      }
    }
    XCTAssertEqual(toChannelsFirst(y), x)
    // Planes larger than one 32x32 tile, with ragged edges.
    let big = rng.tensor([1, 45, 9, 11])
    XCTAssertEqual(toChannelsFirst(toChannelsLast(big)), big)
    XCTAssertEqual(toChannelsLast(big)[0, 8, 10, 44], big[0, 44, 8, 10])
  }

  func testLayoutShapesConvert() {
    XCTAssertEqual(ImageLayout.nhwc.physicalShape([2, 3, 5, 7]), [2, 5, 7, 3])
    XCTAssertEqual(ImageLayout.nhwc.logicalShape([2, 5, 7, 3]), [2, 3, 5, 7])
    XCTAssertEqual(ImageLayout.nchw.physicalShape([2, 3, 5, 7]), [2, 3, 5, 7])
  }

  /// Every backend, both layouts on each side, and each activation: the same numbers as the
  /// reference convolution followed by the activation on NCHW tensors.
  func testEveryLayoutAndActivationMatchesTheReference() {
    var rng = SplitMix64(seed: 22)
    let activations: [ConvolutionActivation] = [
      .none, .relu, .clip(low: 0, high: 6), .clip(low: -.infinity, high: 0.25),
      .clip(low: -0.5, high: 0.5),
    ]
    for c in ConvolutionTests.cases {
      let conv = Convolution(
        weights: rng.tensor(c.weights), bias: c.bias ? rng.tensor([c.weights[0]]) : nil,
        groups: c.groups, window: c.window)
      let x = rng.tensor(c.input, in: -3...3)
      let plain = conv.forward(x, backend: .reference)
      for activation in activations {
        let expected = activated(plain, activation)
        for backend in [nil] + ConvolutionBackend.allCases.map(Optional.some) {
          for layout in [ImageLayout.nchw, .nhwc] {
            for outputLayout in [ImageLayout.nchw, .nhwc] {
              let input = layout == .nhwc ? toChannelsLast(x) : x
              let y = conv.forward(
                input, layout: layout, outputLayout: outputLayout, activation: activation,
                backend: backend)
              let label = "\(c.label) \(backend.map(\.rawValue) ?? "default") \(layout)->\(outputLayout) \(activation)"
              XCTAssertEqual(y.shape, outputLayout.physicalShape(plain.shape), label)
              let nchw = outputLayout == .nhwc ? toChannelsFirst(y) : y
              let d = difference(nchw, expected)
              XCTAssertLessThan(d.maxAbs, 1e-4, "\(label): \(d)")
            }
          }
        }
      }
      // oneDNN really ran channels-last with the activation fused (no silent fallback).
      let impl = conv.dnnlImplementation(
        input: c.input, pass: .forward, blocked: true, layout: .nhwc, outputLayout: .nhwc,
        activation: .clip(low: 0, high: 6))
      XCTAssertFalse(impl.contains("none"), "\(c.label): \(impl)")
    }
  }

  /// The activations themselves on values around their bounds.
  func testActivationsAtTheirBounds() {
    let conv = Convolution(
      weights: Tensor(shape: [1, 1, 1, 1], storage: [1]), bias: nil, groups: 1,
      window: Window2D(kernelHeight: 1, kernelWidth: 1))
    let values: [Float] = [-7, -0.5, 0, 0.5, 5.999, 6, 6.5, 100]
    let x = Tensor(shape: [1, 1, 1, values.count], storage: values)
    for backend in ConvolutionBackend.allCases {
      XCTAssertEqual(
        conv.forward(x, activation: .clip(low: 0, high: 6), backend: backend).storage,
        [0, 0, 0, 0.5, 5.999, 6, 6, 6], "\(backend)")
      XCTAssertEqual(
        conv.forward(x, activation: .relu, backend: backend).storage,
        [0, 0, 0, 0.5, 5.999, 6, 6.5, 100], "\(backend)")
    }
  }

  private func activated(_ y: Tensor, _ activation: ConvolutionActivation) -> Tensor {
    switch activation {
    case .none: return y
    case .relu: return apply(.relu, y)
    case .clip(let low, let high): return clip(y, low: low, high: high)
    }
  }
}
