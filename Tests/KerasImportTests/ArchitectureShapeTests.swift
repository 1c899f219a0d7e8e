// Forward passes of the Keras architectures: every named tensor has the shape Keras gives the
// layer, on default and small non-square inputs.
import Engine
import KerasImport
import Network
import XCTest

final class ArchitectureShapeTests: XCTestCase {
  /// Runs `model` with seeded weights on its seeded input, keeping every layer's output.
  private func outputs(_ model: KerasArchitecture) throws -> Evaluation {
    let network = try model.network(weights: .seeded(for: model, seed: 3))
    return try network.forward(
      [model.inputName: .float(model.seededInput())], keeping: Set(model.layers.map(\.name)))
  }

  /// Every layer's tensor has the architecture's shape, and holds finite numbers.
  private func checkEveryLayer(_ model: KerasArchitecture, _ run: Evaluation) {
    for layer in model.layers {
      guard let tensor = run.tensor(layer.name) else {
        XCTFail("no tensor \(layer.name)")
        continue
      }
      XCTAssertEqual(tensor.shape, model.networkShape(of: layer.name), layer.name)
      XCTAssertTrue(tensor.storage.allSatisfy(\.isFinite), "\(layer.name) is finite")
    }
  }

  func testXceptionAt299HasKerasShapes() throws {
    let model = try KerasApplications.xception()
    let run = try outputs(model)
    checkEveryLayer(model, run)
    // Keras' output shapes (tf_keras Xception, NHWC), here NCHW.
    XCTAssertEqual(run.tensor("block1_conv1_act")?.shape, [1, 32, 149, 149])
    XCTAssertEqual(run.tensor("block1_conv2_act")?.shape, [1, 64, 147, 147])
    XCTAssertEqual(run.tensor("block2_pool")?.shape, [1, 128, 74, 74])
    XCTAssertEqual(run.tensor("add_2")?.shape, [1, 728, 19, 19])
    XCTAssertEqual(run.tensor("block13_pool")?.shape, [1, 1024, 10, 10])
    XCTAssertEqual(run.tensor("block14_sepconv2_act")?.shape, [1, 2048, 10, 10])
    XCTAssertEqual(run.tensor("avg_pool")?.shape, [1, 2048])
    let probabilities = try XCTUnwrap(run.tensor("predictions"))
    XCTAssertEqual(probabilities.shape, [1, 1000])
    XCTAssertEqual(probabilities.storage.reduce(0, +), 1, accuracy: 1e-4)
  }

  func testXceptionWithoutTopOnSmallNonSquareInput() throws {
    let model = try KerasApplications.xception(includeTop: false, inputSize: (71, 90))
    XCTAssertEqual(model.outputName, "block14_sepconv2_act")
    let run = try outputs(model)
    checkEveryLayer(model, run)
    // tf_keras Xception(include_top=False, input_shape=(71, 90, 3)).
    let keras: [String: [Int]] = [
      "block1_conv1": [35, 44, 32], "block1_conv2": [33, 42, 64], "block2_pool": [17, 21, 128],
      "block3_pool": [9, 11, 256], "block4_pool": [5, 6, 728], "block13_pool": [3, 3, 1024],
      "block14_sepconv2_act": [3, 3, 2048],
    ]
    for (name, shape) in keras {
      XCTAssertEqual(run.tensor(name)?.shape, [1, shape[2], shape[0], shape[1]], name)
    }
    XCTAssertNil(run.tensor("predictions"))
  }

  func testVGG16WithoutTopOnSmallNonSquareInput() throws {
    let model = try KerasApplications.vgg16(includeTop: false, inputSize: (33, 50))
    XCTAssertEqual(model.outputName, "block5_pool")
    let run = try outputs(model)
    checkEveryLayer(model, run)
    // tf_keras VGG16(include_top=False, input_shape=(33, 50, 3)): "valid" pools floor.
    let keras: [String: [Int]] = [
      "block1_pool": [16, 25, 64], "block2_pool": [8, 12, 128], "block3_pool": [4, 6, 256],
      "block4_pool": [2, 3, 512], "block5_pool": [1, 1, 512],
    ]
    for (name, shape) in keras {
      XCTAssertEqual(run.tensor(name)?.shape, [1, shape[2], shape[0], shape[1]], name)
    }
    XCTAssertEqual(run.tensor("block5_conv3")?.shape, [1, 512, 2, 3])
  }

  func testInputSizesKerasRefuses() {
    XCTAssertThrowsError(try KerasApplications.vgg16(includeTop: false, inputSize: (31, 64))) {
      XCTAssertEqual(
        $0 as? KerasModelError,
        .inputTooSmall(model: "vgg16", height: 31, width: 64, minimum: 32))
    }
    XCTAssertThrowsError(try KerasApplications.xception(includeTop: false, inputSize: (80, 70)))
    XCTAssertThrowsError(try KerasApplications.vgg16(inputSize: (200, 200))) {
      XCTAssertEqual(
        $0 as? KerasModelError,
        .topNeedsDefaultSize(model: "vgg16", height: 200, width: 200, required: 224))
      XCTAssertTrue("\($0)".contains("include_top=no"), "\($0)")
    }
    XCTAssertNoThrow(try KerasApplications.vgg16(inputSize: (224, 224)))
    XCTAssertNoThrow(try KerasApplications.vgg16(includeTop: false, inputSize: (32, 32)))
    XCTAssertNoThrow(try KerasApplications.xception(includeTop: false, inputSize: (71, 71)))
  }

  func testInternalTensorsAreSuffixedAndTheInputIsNCHW() throws {
    let model = try KerasApplications.xception(includeTop: false, inputSize: (71, 71))
    let network = try model.network(weights: .seeded(for: model, seed: 1))
    XCTAssertEqual(network.inputs.first?.name, "input_1")
    XCTAssertEqual(network.inputs.first?.shape, [nil, 3, 71, 71])
    XCTAssertTrue(network.isValueName("block2_sepconv1/depthwise"))
    XCTAssertEqual(network.parameterCount, model.parameterCount)
    let vgg = try KerasApplications.vgg16(includeTop: false, inputSize: (32, 32))
    let names = try vgg.network(weights: .seeded(for: vgg, seed: 1)).intermediateNames
    XCTAssertEqual(names.prefix(3), ["block1_conv1/BiasAdd", "block1_conv1", "block1_conv2/BiasAdd"])
  }
}
