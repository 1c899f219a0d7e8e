// Binding weights to an architecture: auto-named layers by order, extra layers ignored, and
// one clear error for a notop file, a missing layer, a wrong shape or another model's file.
import Engine
import KerasImport
import Network
import XCTest

final class ArchitectureBindingTests: XCTestCase {
  private let vggNotop = try! KerasApplications.vgg16(includeTop: false, inputSize: (32, 32))
  private let xceptionNotop = try! KerasApplications.xception(
    includeTop: false, inputSize: (71, 71))

  /// The error `body` throws, as a `KerasModelError`.
  private func error(_ body: () throws -> Any) -> KerasModelError? {
    do {
      _ = try body()
      XCTFail("no error")
    } catch {
      return error as? KerasModelError
    }
    return nil
  }

  /// The model's output for its seeded input.
  private func output(_ model: KerasArchitecture, _ weights: KerasWeights) throws -> Tensor {
    let run = try model.network(weights: weights).forward(
      [model.inputName: .float(model.seededInput())])
    return try XCTUnwrap(run.tensor(model.outputName))
  }

  func testAutoNamedLayersBindByOrderWhateverTheirNumbers() throws {
    let weights = KerasWeights.seeded(for: xceptionNotop, seed: 5)
    // As a session that had built other models would save them: conv2d_4 ... conv2d_7,
    // batch_normalization_8 ..., listed alphabetically (as a Keras 3 file's groups are).
    var renamed = weights
    for i in renamed.layers.indices {
      let name = renamed.layers[i].layer
      if name.hasPrefix("conv2d") {
        renamed.layers[i].layer = "conv2d_\(4 + (Int(name.dropFirst(7)) ?? 0))"
      } else if name.hasPrefix("batch_normalization") {
        renamed.layers[i].layer = "batch_normalization_\(8 + (Int(name.dropFirst(20)) ?? 0))"
      }
    }
    renamed.layers.sort { $0.layer < $1.layer }
    XCTAssertEqual(try output(xceptionNotop, renamed), try output(xceptionNotop, weights))
    // Swapping two shortcut convolutions' numbers changes the model (shapes differ: error).
    var swapped = renamed
    let a = swapped.layers.firstIndex { $0.layer == "conv2d_4" }!
    let b = swapped.layers.firstIndex { $0.layer == "conv2d_5" }!
    (swapped.layers[a].layer, swapped.layers[b].layer) = ("conv2d_5", "conv2d_4")
    guard
      case .shapeMismatch(let layer, "kernel", [1, 1, 64, 128], [1, 1, 128, 256], _)? =
        error({ try self.xceptionNotop.network(weights: swapped) })
    else { return XCTFail("expected a shape mismatch") }
    XCTAssertEqual(layer, "conv2d_4", "named as the file names it")
    // A missing shortcut convolution is reported as such, not as the next one's shape.
    var missing = renamed
    missing.layers.removeAll { $0.layer == "conv2d_5" }
    XCTAssertEqual(
      error({ try self.xceptionNotop.network(weights: missing) }),
      .autoNamedCount(
        model: "xception", kind: "conv2d", expected: 4, found: ["conv2d_4", "conv2d_6", "conv2d_7"],
        source: renamed.source))
  }

  func testWeightsMatchByPositionWhenNamesAreNotKeras() throws {
    let weights = KerasWeights.seeded(for: vggNotop, seed: 2)
    var numbered = weights
    for i in numbered.layers.indices {
      numbered.layers[i].names = numbered.layers[i].names.indices.map { "vars/\($0)" }
    }
    XCTAssertEqual(try output(vggNotop, numbered), try output(vggNotop, weights))
  }

  func testExtraLayersAreIgnoredAndANotopFileSaysUseIncludeTopNo() throws {
    var weights = KerasWeights.seeded(for: vggNotop, seed: 2)
    let extra = KerasLayerWeights(
      layer: "fc1", names: ["kernel", "bias"],
      tensors: [Tensor(zeros: [2, 2]), Tensor(zeros: [2])])
    weights.layers.append(extra)
    XCTAssertNoThrow(try vggNotop.network(weights: weights))

    let notop = KerasWeights.seeded(for: vggNotop, seed: 2)
    let withTop = try KerasApplications.vgg16()
    let e = error { try withTop.network(weights: notop) }
    XCTAssertEqual(
      e,
      .weightsHaveNoTop(
        model: "vgg16", source: notop.source, missing: ["fc1", "fc2", "predictions"]))
    XCTAssertTrue("\(e!)".contains("include_top=no"), "\(e!)")
  }

  func testMissingLayerMissingWeightAndShapeMismatchNameTheCulprit() throws {
    var weights = KerasWeights.seeded(for: vggNotop, seed: 2)
    weights.layers.removeAll { $0.layer == "block3_conv2" }
    XCTAssertEqual(
      error { try self.vggNotop.network(weights: weights) },
      .missingLayer(model: "vgg16", layer: "block3_conv2", source: weights.source))

    weights = KerasWeights.seeded(for: vggNotop, seed: 2)
    let index = weights.layers.firstIndex { $0.layer == "block4_conv1" }!
    weights.layers[index].tensors[0] = Tensor(zeros: [3, 3, 512, 256])
    let e = error { try self.vggNotop.network(weights: weights) }
    XCTAssertEqual(
      e,
      .shapeMismatch(
        layer: "block4_conv1", weight: "kernel", expected: [3, 3, 256, 512],
        found: [3, 3, 512, 256],
        source: weights.source))
    XCTAssertEqual(
      "\(e!)",
      "layer 'block4_conv1' weight 'kernel' in \(weights.source) has shape [3, 3, 512, 256], "
        + "the model needs [3, 3, 256, 512]")

    weights = KerasWeights.seeded(for: vggNotop, seed: 2)
    weights.layers[0].names = ["kernel", "offset"]
    XCTAssertEqual(
      error { try self.vggNotop.network(weights: weights) },
      .missingWeight(
        layer: "block1_conv1", weight: "bias", found: ["kernel", "offset"], source: weights.source))
  }

  func testAnotherModelsWeightsAreRecognised() throws {
    let xception = KerasWeights.seeded(for: xceptionNotop, seed: 1)
    let e = error { try self.vggNotop.network(weights: xception) }
    guard case .wrongModel("vgg16", _, "xception", let first)? = e else {
      return XCTFail("\(String(describing: e))")
    }
    XCTAssertEqual(first.prefix(2), ["block1_conv1", "block1_conv1_bn"])
    XCTAssertTrue("\(e!)".contains("look like xception's"), "\(e!)")

    let vgg = KerasWeights.seeded(for: vggNotop, seed: 1)
    guard
      case .wrongModel("xception", _, "vgg16", _)? = error({
        try self.xceptionNotop.network(weights: vgg)
      })
    else { return XCTFail("VGG16 weights bound to Xception") }

    let resnet = KerasWeights(
      layers: ["conv1_conv", "conv1_bn", "conv2_block1_1_conv"].map {
        KerasLayerWeights(layer: $0, names: ["kernel"], tensors: [Tensor(zeros: [1])])
      }, source: "resnet.h5")
    XCTAssertEqual(
      error { try self.vggNotop.network(weights: resnet) },
      .wrongModel(
        model: "vgg16", source: "resnet.h5", looksLike: nil,
        firstLayers: ["conv1_conv", "conv1_bn", "conv2_block1_1_conv"]))
  }
}
