// Tiny hand-computed cases of the Keras semantics the architectures rely on: TF "same"
// padding with stride 2 (asymmetric), max-pool pads that never win, batch-norm epsilon 1e-3,
// Flatten in NHWC order, separable convolutions as depthwise then pointwise.
import Engine
import Network
import XCTest

@testable import KerasImport

final class ArchitectureSemanticsTests: XCTestCase {
  /// A one-off model over a `height x width x 3` input, bound to `weights` (layer name ->
  /// tensors in Keras order), run on `input` given NHWC.
  private func run(
    _ layers: [KerasLayer], size: (Int, Int), weights: [String: [Tensor]], input: [Float],
    options: ExecutionOptions = .standard
  ) throws -> [String: Tensor] {
    let model = try KerasArchitecture(
      name: "tiny", inputSize: size, includeTop: false, layers: layers, topLayerNames: [],
      minimumSize: 1)
    let file = KerasWeights(
      layers: model.weightedLayers.map {
        KerasLayerWeights(layer: $0.name, names: $0.weightNames, tensors: weights[$0.name]!)
      }, source: "test")
    let network = try model.network(weights: file)
    let x = toChannelsFirst(Tensor(shape: [1, size.0, size.1, 3], storage: input))
    let names = Set(layers.map(\.name))
    let result = try network.forward(["input_1": .float(x)], keeping: names, options: options)
    return result.values.compactMapValues(\.floatTensor)
  }

  /// NHWC 4x4x3 input whose channel 0 is `f(row * 4 + column)` and channels 1, 2 are 100.
  private func image(_ f: (Float) -> Float) -> [Float] {
    (0..<16).flatMap { [f(Float($0)), 100, 100] }
  }

  /// Keras kernel `[k, k, 3, 1]` summing channel 0 over the window.
  private func sumChannel0(_ k: Int) -> Tensor {
    Tensor(shape: [k, k, 3, 1], storage: (0..<(k * k * 3)).map { $0 % 3 == 0 ? 1 : 0 })
  }

  func testSamePaddingWithStride2PadsOnlyAfter() throws {
    // n = 4, k = 3, s = 2: out 2, total pad (2 - 1) * 2 + 3 - 4 = 1, all of it after.
    let conv = KerasLayer(
      "conv", .conv2D(filters: 1, kernel: 3, stride: 2, padding: .same, bias: false, relu: false),
      inputs: ["input_1"])
    let y = try run([conv], size: (4, 4), weights: ["conv": [sumChannel0(3)]], input: image { $0 })
    // Windows start at rows/columns 0 and 2: {0,1,2}x{0,1,2}, {0,1,2}x{2,3}, ...
    XCTAssertEqual(y["conv"]?.shape, [1, 1, 2, 2])
    XCTAssertEqual(y["conv"]?.storage, [45, 39, 66, 50])
  }

  func testSameMaxPoolPadsNeverWinInEitherLayout() throws {
    // An identity 1x1 convolution first, so the pool also runs on channels-last input.
    let identity = Tensor(
      shape: [1, 1, 3, 3], storage: (0..<9).map { $0 / 3 == $0 % 3 ? 1 : 0 })
    let layers = [
      KerasLayer(
        "conv", .conv2D(filters: 3, kernel: 1, stride: 1, padding: .same, bias: false, relu: false),
        inputs: ["input_1"]),
      KerasLayer("pool", .maxPool(size: 3, stride: 2, padding: .same), inputs: ["conv"]),
    ]
    let input = image { -1 - $0 }  // all negative: a zero pad would win every border window
    for options in [ExecutionOptions(), ExecutionOptions(fusesActivations: false, keepsChannelsLast: false)] {
      let y = try run(layers, size: (4, 4), weights: ["conv": [identity]], input: input, options: options)
      let pool = try XCTUnwrap(y["pool"])
      XCTAssertEqual(pool.shape, [1, 3, 2, 2])
      XCTAssertEqual(Array(pool.storage.prefix(4)), [-1, -3, -9, -11], "\(options)")
    }
  }

  func testBatchNormUsesKerasEpsilonAndFlattenKeepsNHWCOrder() throws {
    let layers = [
      KerasLayer("bn", .batchNormalization, inputs: ["input_1"]),
      KerasLayer("flatten", .flatten, inputs: ["bn"]),
      KerasLayer("dense", .dense(units: 1, softmax: false), inputs: ["flatten"]),
    ]
    let (gamma, beta, mean, variance): ([Float], [Float], [Float], [Float]) =
      ([2, 1, 1], [0.5, 0, 0], [1, 0, 0], [0.003, 1, 1])
    // Picks Keras' flat index (h = 1, w = 0, c = 2) = (1 * 2 + 0) * 3 + 2 = 8.
    let kernel = Tensor(shape: [12, 1], storage: (0..<12).map { $0 == 8 ? 1 : 0 })
    let input: [Float] = (0..<12).map { Float($0) }  // NHWC 2x2x3
    let y = try run(
      layers, size: (2, 2),
      weights: [
        "bn": [gamma, beta, mean, variance].map { Tensor(shape: [3], storage: $0) },
        "dense": [kernel, Tensor(shape: [1], storage: [0.25])],
      ], input: input)
    // Channel 0 at (0, 0) is 0: (0 - 1) / sqrt(0.003 + 0.001) * 2 + 0.5 = -31.12 (epsilon
    // 1e-5 would give -35.95).
    XCTAssertEqual(try XCTUnwrap(y["bn"])[0, 0, 0, 0], -31.122_78, accuracy: 1e-3)
    XCTAssertEqual(y["flatten"]?.shape, [1, 12])
    // Element 8 of the NHWC input is channel 2 (gamma 1, beta 0, mean 0, var 1).
    let expected = Float(8) / Float(1.001).squareRoot() + 0.25
    XCTAssertEqual(try XCTUnwrap(y["dense"])[0, 0], expected, accuracy: 1e-5)
  }

  func testSeparableConvIsDepthwiseThenPointwise() throws {
    let layer = KerasLayer(
      "sep", .separableConv2D(filters: 1, kernel: 3, padding: .same), inputs: ["input_1"])
    // Depthwise: channel 0 sums its 3x3 window, channels 1 and 2 are scaled by 0 and 1 at the
    // centre tap; pointwise adds channel 0 and 0.5 x channel 2.
    var depthwise = [Float](repeating: 0, count: 27)  // [3, 3, 3, 1]
    for tap in 0..<9 { depthwise[tap * 3] = 1 }
    depthwise[4 * 3 + 2] = 1
    let pointwise = Tensor(shape: [1, 1, 3, 1], storage: [1, 0, 0.5])
    let y = try run(
      [layer], size: (4, 4),
      weights: ["sep": [Tensor(shape: [3, 3, 3, 1], storage: depthwise), pointwise]],
      input: image { $0 })
    // Output (0, 0): window rows/columns {-1, 0, 1} of channel 0 = 0+1+4+5 = 10, plus 50.
    XCTAssertEqual(try XCTUnwrap(y["sep"])[0, 0, 0, 0], 60)
    // Output (1, 1): 0+1+2+4+5+6+8+9+10 = 45, plus 50.
    XCTAssertEqual(try XCTUnwrap(y["sep"])[0, 0, 1, 1], 95)
  }
}
