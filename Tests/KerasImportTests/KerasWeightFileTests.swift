// KerasWeightFile.read on the tiny model saved in every layout by
// Tests/Fixtures/generate/make_keras_h5_fixtures.py.
import Engine
import KerasImport
import XCTest

/// The generator's tiny model: weighted layers in model order, weight names and Keras shapes.
enum TinyModel {
  static let layers: [(name: String, weights: [(name: String, shape: [Int])])] = [
    ("block1_conv1", [("kernel", [3, 3, 3, 4]), ("bias", [4])]),
    (
      "block1_conv1_bn",
      [("gamma", [4]), ("beta", [4]), ("moving_mean", [4]), ("moving_variance", [4])]
    ),
    ("block2_sepconv1", [("depthwise_kernel", [3, 3, 4, 1]), ("pointwise_kernel", [1, 1, 4, 5])]),
    ("block2_residual", [("kernel", [1, 1, 4, 5])]),
    ("predictions", [("kernel", [5, 3]), ("bias", [3])]),
  ]

  /// The generator's values of weight `weight` of weighted layer `layer` (exact in float32).
  static func values(layer: Int, weight: Int, count: Int) -> [Float] {
    (0..<count).map { i in Float((i * 7 + weight * 31 + layer * 101) % 257 - 128) / 64 }
  }

  /// Asserts that `weights` holds exactly the tiny model's layers `names`, in that order.
  static func check(
    _ weights: KerasWeights, layers names: [String], file: StaticString = #filePath,
    line: UInt = #line
  ) {
    XCTAssertEqual(weights.layers.map(\.layer), names, file: file, line: line)
    for layer in weights.layers {
      guard let index = layers.firstIndex(where: { $0.name == layer.layer }) else {
        XCTFail("unexpected layer \(layer.layer)", file: file, line: line)
        continue
      }
      let expected = layers[index].weights
      XCTAssertEqual(layer.names, expected.map(\.name), layer.layer, file: file, line: line)
      XCTAssertEqual(
        layer.tensors.map(\.shape), expected.map(\.shape), layer.layer, file: file, line: line)
      for (j, tensor) in layer.tensors.enumerated() {
        let values = TinyModel.values(layer: index, weight: j, count: tensor.count)
        XCTAssertEqual(tensor.storage, values, "\(layer.layer) #\(j)", file: file, line: line)
      }
    }
  }
}

final class KerasWeightFileTests: XCTestCase {
  private let modelOrder = TinyModel.layers.map(\.name)

  func testLegacyWeightsFile() throws {
    let weights = try KerasWeightFile.read(path: H5Fixture.path("tiny_legacy.h5"))
    TinyModel.check(weights, layers: modelOrder)
    XCTAssertEqual(weights.source, H5Fixture.path("tiny_legacy.h5"))
  }

  func testFullModelFileReadsModelWeights() throws {
    let weights = try KerasWeightFile.read(path: H5Fixture.path("tiny_model.h5"))
    TinyModel.check(weights, layers: modelOrder)
  }

  func testKeras3WeightsFileOrdersByClassThenCounter() throws {
    let weights = try KerasWeightFile.read(path: H5Fixture.path("tiny.weights.h5"))
    // Groups batch_normalization, conv2d, conv2d_1, dense, separable_conv2d (see the reader).
    TinyModel.check(
      weights,
      layers: ["block1_conv1_bn", "block1_conv1", "block2_residual", "predictions",
        "block2_sepconv1"])
  }

  func testAllThreeLayoutsHoldTheSameWeights() throws {
    let files = ["tiny_legacy.h5", "tiny_model.h5", "tiny.weights.h5"]
    let all = try files.map { try KerasWeightFile.read(path: H5Fixture.path($0)) }
    for name in modelOrder {
      let layers = all.compactMap { $0.layer(named: name) }
      XCTAssertEqual(layers.count, 3, name)
      for layer in layers.dropFirst() {
        XCTAssertEqual(layer.names, layers[0].names, name)
        XCTAssertEqual(layer.tensors, layers[0].tensors, name)
      }
    }
  }

  func testKeras1LayoutOfTheImageNetFiles() throws {
    // Fixed-length byte-string attributes and `<layer>_W_1:0` datasets, as in
    // vgg16_weights_tf_dim_ordering_tf_kernels.h5.
    let weights = try KerasWeightFile.read(path: H5Fixture.path("tiny_keras1.h5"))
    TinyModel.check(weights, layers: ["block1_conv1", "block1_conv1_bn", "predictions"])
  }

  func testAttributesSplitIntoNumberedChunks() throws {
    let weights = try KerasWeightFile.read(path: H5Fixture.path("tiny_split.h5"))
    TinyModel.check(weights, layers: ["block1_conv1", "predictions"])
  }

  func testReadingClosesEveryHandle() throws {
    let before = HDF5Count.now
    for name in ["tiny_legacy.h5", "tiny_model.h5", "tiny.weights.h5", "tiny_lzf.h5", "plain.h5"] {
      _ = try? KerasWeightFile.read(path: H5Fixture.path(name))
      XCTAssertEqual(HDF5Count.now, before, name)
    }
  }

  func testWeightNamesLoseLayerPrefixAndSuffix() {
    let cases = [
      ("block1_conv1/kernel:0", "block1_conv1", "kernel"),
      ("model/block1_conv1_bn/moving_mean:0", "block1_conv1_bn", "moving_mean"),
      ("block1_conv1_W_1:0", "block1_conv1", "kernel"),
      ("block1_conv1_b_1:0", "block1_conv1", "bias"),
      ("bn_running_std_1:0", "bn", "moving_variance"),
      ("dense/kernel", "dense", "kernel"),
      ("odd:name", "x", "odd:name"),
    ]
    for (weightName, layer, expected) in cases {
      XCTAssertEqual(KerasWeightFile.shortName(weightName, layer: layer), expected, weightName)
    }
  }

  func testKeras3PositionalNamesByClassAndCount() {
    func names(_ group: String, _ count: Int) -> [String] {
      KerasWeightFile.keras3WeightNames(layerClass: KerasWeightFile.keras3Key(group).layerClass,
        count: count)
    }
    XCTAssertEqual(names("conv2d_12", 1), ["kernel"])
    XCTAssertEqual(names("separable_conv2d_3", 3), ["depthwise_kernel", "pointwise_kernel", "bias"])
    XCTAssertEqual(names("depthwise_conv2d", 2), ["kernel", "bias"])
    XCTAssertEqual(names("batch_normalization_1", 3), ["0", "1", "2"], "gamma or beta missing")
    XCTAssertEqual(names("embedding", 1), ["0"])
    XCTAssertEqual(KerasWeightFile.keras3Key("conv2d_10").counter, 10)
    XCTAssertEqual(KerasWeightFile.keras3Key("conv2d").counter, 0)
  }

  func testKeras3GroupsSortByClassThenNumericCounter() {
    let groups = ["conv2d_10", "dense", "conv2d_2", "batch_normalization_1", "conv2d",
      "batch_normalization"]
    XCTAssertEqual(
      groups.sorted { KerasWeightFile.keras3Key($0) < KerasWeightFile.keras3Key($1) },
      ["batch_normalization", "batch_normalization_1", "conv2d", "conv2d_2", "conv2d_10",
        "dense"])
  }
}

/// Open HDF5 objects in the process, through the wrapper's package-level counter.
enum HDF5Count {
  static var now: Int { HDF5.openObjectCount }
}
