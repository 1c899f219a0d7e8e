// Seeded Keras weights v1 against values recomputed here, step by step, from Engine's
// SplitMix64; and the generator's speed on VGG16's 138 M parameters.
import Engine
import Foundation
import KerasImport
import XCTest

final class SeededWeightsTests: XCTestCase {
  /// Element `i` of weight `j` of weighted layer `l`, recomputed from the v1 definition.
  private func expected(seed: UInt64, layer l: UInt64, weight j: UInt64, element i: Int) -> Float {
    var keyStream = SplitMix64(seed: (seed << 32) | (l << 4) | j)
    // The stream's (i+1)-th output: i steps skipped by advancing the Weyl state directly.
    var stream = SplitMix64(seed: keyStream.next() &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
    let r = stream.next()
    let u = Float(r >> 40) / 16_777_216
    return 2 * u - 1
  }

  func testSkippingAheadMatchesStepping() {
    var keyStream = SplitMix64(seed: (9 << 32) | (2 << 4) | 1)
    var stream = SplitMix64(seed: keyStream.next())
    for i in 0..<5 {
      let u = Float(stream.next() >> 40) / 16_777_216
      XCTAssertEqual(expected(seed: 9, layer: 2, weight: 1, element: i), 2 * u - 1)
    }
  }

  private func tensor(_ w: KerasWeights, _ layer: String, _ weight: String) throws -> Tensor {
    let l = try XCTUnwrap(w.layer(named: layer), layer)
    return l.tensors[try XCTUnwrap(l.names.firstIndex(of: weight), weight)]
  }

  func testXceptionValuesFollowTheDefinition() throws {
    let model = try KerasApplications.xception()
    let w = KerasWeights.seeded(for: model, seed: 7)
    XCTAssertEqual(w.layers.map(\.layer), model.weightedLayers.map(\.name))
    // (Keras layer index among weighted layers, name, weight index, weight, scale, offset)
    let cases: [(UInt64, String, UInt64, String, Float, Float)] = [
      (0, "block1_conv1", 0, "kernel", Float((6.0 / 27).squareRoot()), 0),
      (1, "block1_conv1_bn", 0, "gamma", 0.1, 1),
      (1, "block1_conv1_bn", 1, "beta", 0.1, 0),
      (3, "block1_conv2_bn", 2, "moving_mean", 0.1, 0),
      (3, "block1_conv2_bn", 3, "moving_variance", 0.25, 1.25),
      (4, "block2_sepconv1", 0, "depthwise_kernel", Float((6.0 / 9).squareRoot()), 0),
      (4, "block2_sepconv1", 1, "pointwise_kernel", Float((6.0 / 64).squareRoot()), 0),
      // The first shortcut comes after block2_sepconv2_bn in Keras' order.
      (8, "conv2d", 0, "kernel", Float((6.0 / 64).squareRoot()), 0),
      (80, "predictions", 0, "kernel", Float((6.0 / 2048).squareRoot()), 0),
      (80, "predictions", 1, "bias", 0.05, 0),
    ]
    for (l, layer, j, weight, scale, offset) in cases {
      let t = try tensor(w, layer, weight)
      for i in [0, 1, 2, t.count / 2, t.count - 1] {
        let scaled = scale * expected(seed: 7, layer: l, weight: j, element: i)
        XCTAssertEqual(t.storage[i], offset + scaled, "\(layer)/\(weight)[\(i)]")
      }
    }
    XCTAssertTrue(try tensor(w, "block5_sepconv1_bn", "moving_variance").storage.allSatisfy { $0 >= 1 })
  }

  func testNotopNumbersItsLayersLikeTheFullModel() throws {
    let top = KerasWeights.seeded(for: try KerasApplications.xception(), seed: 3)
    let notop = KerasWeights.seeded(
      for: try KerasApplications.xception(includeTop: false, inputSize: (71, 71)), seed: 3)
    XCTAssertEqual(notop.layers.count, top.layers.count - 1)
    for (a, b) in zip(notop.layers, top.layers) {
      XCTAssertEqual(a.layer, b.layer)
      XCTAssertEqual(a.tensors, b.tensors, a.layer)
    }
    let other = KerasWeights.seeded(
      for: try KerasApplications.xception(includeTop: false, inputSize: (71, 71)), seed: 4)
    XCTAssertNotEqual(other.layers[0].tensors, notop.layers[0].tensors)
  }

  func testSeededInputIsNHWCDrawsInNCHW() throws {
    let vgg = try KerasApplications.vgg16(includeTop: false, inputSize: (40, 32))
    let x = vgg.seededInput()
    XCTAssertEqual(x.shape, [1, 3, 40, 32])
    var stream = SplitMix64(seed: 20_261_128)
    for i in 0..<9 {
      let u = Float(stream.next() >> 40) / 16_777_216
      // NHWC element i is pixel i / 3, channel i % 3.
      XCTAssertEqual(x[0, i % 3, 0, i / 3], 120 * (2 * u - 1), "element \(i)")
    }
    let xception = try KerasApplications.xception(includeTop: false, inputSize: (72, 71))
    let y = xception.seededInput()
    XCTAssertEqual(y.shape, [1, 3, 72, 71])
    XCTAssertEqual(y[0, 0, 0, 0] * 120, x[0, 0, 0, 0])
    XCTAssertTrue(y.storage.allSatisfy { $0 >= -1 && $0 < 1 })
  }

  func testVGG16SeededWeightsAreQuickToMake() throws {
    let model = try KerasApplications.vgg16()
    let start = Date()
    let w = KerasWeights.seeded(for: model, seed: 1)
    let seconds = Date().timeIntervalSince(start)
    let count = w.layers.reduce(0) { $0 + $1.tensors.reduce(0) { $0 + $1.count } }
    XCTAssertEqual(count, 138_357_544)
    XCTAssertEqual(count, model.parameterCount)
    print("seeded VGG16 weights: \(count) values in \(String(format: "%.3f", seconds)) s")
    let fc1 = try tensor(w, "fc1", "kernel")
    let last = fc1.count - 1
    XCTAssertEqual(
      fc1.storage[last],
      Float((6.0 / 25088).squareRoot()) * expected(seed: 1, layer: 13, weight: 0, element: last))
  }
}
