import Attribution
import Engine
import Foundation
import ModelZoo
import XCTest

final class ModelCatalogTests: XCTestCase {
  func testDefaultModelIsInTheCatalog() {
    XCTAssertTrue(ModelCatalog.entries.contains { $0.name == ModelCatalog.defaultModelName })
    XCTAssertEqual(ModelCatalog.entry(named: "VGG16")?.preprocessing.name, "caffe")
    XCTAssertEqual(ModelCatalog.entry(named: "xception")?.preprocessing.name, "tf")
  }

  func testSeededVGG16IsMarkedUntrainedAndHasKerasGeometry() throws {
    var options = ModelCatalog.LoadOptions()
    options.weights = .random(seed: 1)
    let classifier = try ModelCatalog.load("vgg16", options: options)
    XCTAssertEqual(classifier.randomWeightsSeed, 1)
    XCTAssertTrue(classifier.hasClassifierHead)
    XCTAssertEqual(classifier.inputSize.height, 224)
    XCTAssertEqual(classifier.labels.count, 1000)
    XCTAssertEqual(classifier.logitsName, "predictions/logits")
    XCTAssertEqual(classifier.preprocessing.name, "caffe")
  }

  func testHeadlessXceptionTakesAnotherSize() throws {
    var options = ModelCatalog.LoadOptions()
    options.weights = .random(seed: 2)
    options.includeTop = false
    options.inputSize = 160
    let classifier = try ModelCatalog.load("xception", options: options)
    XCTAssertFalse(classifier.hasClassifierHead)
    XCTAssertEqual(classifier.inputSize.width, 160)
    XCTAssertEqual(classifier.preprocessing.name, "tf")
  }

  /// `load weights=random` on the embedded model: the same shapes, different, seeded logits.
  func testRandomWeightsForTheBundledONNXModelAreSeeded() throws {
    let trained = try ModelCatalog.load(nil, options: ModelCatalog.LoadOptions())
    func randomized(_ seed: UInt64) throws -> Classifier {
      var options = ModelCatalog.LoadOptions()
      options.weights = .random(seed: seed)
      return try ModelCatalog.load(nil, options: options)
    }
    let first = try randomized(1)
    XCTAssertEqual(first.randomWeightsSeed, 1)
    XCTAssertNil(trained.randomWeightsSeed)
    XCTAssertEqual(first.network.parameterCount, trained.network.parameterCount)
    var generator = SplitMix64(seed: 7)
    let x = generator.tensor([1, 3, 224, 224])
    let a = try first.logits(x).storage
    let again = try randomized(1).logits(x).storage
    let other = try randomized(2).logits(x).storage
    let reference = try trained.logits(x).storage
    XCTAssertEqual(a, again, "a seed reproduces the model")
    XCTAssertNotEqual(a, other)
    XCTAssertNotEqual(a, reference)
    XCTAssertTrue(a.allSatisfy(\.isFinite))
  }

  func testWeightsFileIsRefusedForAnONNXModel() {
    var options = ModelCatalog.LoadOptions()
    options.weights = .file("weights.h5")
    XCTAssertThrowsError(try ModelCatalog.load(nil, options: options)) { error in
      guard case ModelZooError.unsupportedWeights(let model, let why) = error else {
        return XCTFail("unexpected \(error)")
      }
      XCTAssertEqual(model, "efficientnet-lite0")
      XCTAssertTrue(why.contains("vgg16"), why)
    }
  }

  /// No file in either cache and an unreachable mirror: the error says where to put the file.
  func testMissingKerasFileWithoutNetworkSaysWhereToPutIt() throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent(
      "glimpse-catalog-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: home) }
    var options = ModelCatalog.LoadOptions()
    options.environment = [
      "KERAS_HOME": home.appendingPathComponent("keras").path,
      "GLIMPSE_CACHE": home.appendingPathComponent("glimpse").path,
      // Port 9 (discard) on loopback: nothing listens there, the connection is refused.
      "GLIMPSE_KERAS_WEIGHTS_URL": "http://127.0.0.1:9/",
    ]
    XCTAssertThrowsError(try ModelCatalog.load("xception", options: options)) { error in
      let text = String(describing: error)
      XCTAssertTrue(text.contains("xception_weights_tf_dim_ordering_tf_kernels.h5"), text)
      XCTAssertTrue(text.contains(home.appendingPathComponent("keras").path), text)
    }
    XCTAssertFalse(
      FileManager.default.fileExists(
        atPath: home.appendingPathComponent("glimpse/xception_weights_tf_dim_ordering_tf_kernels.h5")
          .path))
  }
}
