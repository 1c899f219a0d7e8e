// A tf2onnx export of the seeded Xception loads through ModelImport, resolves Keras layer
// names and matches Keras. The committed file is the export without its weights; the recipe
// (both from Tests/Fixtures/generate/tf2onnx_export.py) says how tf2onnx made each removed
// initializer from a Keras weight, and the test rebuilds them from the seeded Keras weights.
import Engine
import Foundation
import KerasImport
import ModelImport
import Network
import TestSupport
import XCTest

final class TF2ONNXExportTests: XCTestCase {
  private let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

  private func json(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: fixtures.appendingPathComponent(path))
    return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  private func floats(_ value: Any?) -> [Float] {
    (value as? [Any] ?? []).map { Float(($0 as? NSNumber)?.doubleValue ?? .nan) }
  }

  /// The initializer an entry of the recipe describes, made from the Keras weights.
  private func rebuild(_ entry: [String: Any], _ weights: KerasWeights) throws -> Tensor {
    let layer = try XCTUnwrap(weights.layer(named: entry["layer"] as? String ?? ""))
    func weight(_ l: KerasLayerWeights, _ name: String) throws -> Tensor {
      try XCTUnwrap(l.names.firstIndex(of: name).map { l.tensors[$0] }, "\(l.layer)/\(name)")
    }
    let shape = try XCTUnwrap(entry["onnx_shape"] as? [Int])
    switch entry["transform"] as? String {
    case "identity":
      return try weight(layer, entry["weight"] as? String ?? "").reshaped(shape)
    case "transpose":
      let perm = try XCTUnwrap(entry["perm"] as? [Int])
      return transposed(try weight(layer, entry["weight"] as? String ?? ""), perm).reshaped(shape)
    case "bn_fold_weights", "bn_fold_bias":
      let bn = try XCTUnwrap(weights.layer(named: entry["bn_layer"] as? String ?? ""))
      let epsilon = Float(try XCTUnwrap(entry["epsilon"] as? Double))
      let (gamma, beta) = (try weight(bn, "gamma").storage, try weight(bn, "beta").storage)
      let mean = try weight(bn, "moving_mean").storage
      let variance = try weight(bn, "moving_variance").storage
      // tf2onnx's folding, in float32: s = gamma / sqrt(var + eps).
      let s = gamma.indices.map { gamma[$0] / (variance[$0] + epsilon).squareRoot() }
      if entry["transform"] as? String == "bn_fold_bias" {
        let bias = try (entry["weight"] as? String).map { try weight(layer, $0).storage }
        return Tensor(shape: shape, storage: s.indices.map { o in
          let centred = (bias?[o] ?? 0) - mean[o]
          let product = centred * s[o]
          return product + beta[o]
        })
      }
      let kernel = try weight(layer, entry["weight"] as? String ?? "")  // [kh, kw, in, out]
      let out = kernel.shape[3]
      let folded = Tensor(shape: kernel.shape, storage: kernel.storage.enumerated().map {
        $1 * s[$0 % out]
      })
      return transposed(folded, [3, 2, 0, 1]).reshaped(shape)  // [out, in, kh, kw]
    default:
      throw XCTSkip("unknown transform \(entry["transform"] ?? "none")")
    }
  }

  /// The stripped export with every initializer rebuilt, as a Glimpse network, and the recipe.
  private func loadExport() throws -> (Network, [String: Any]) {
    let recipe = try json("tf2onnx/xception_seed1_recipe.json")
    let file = try ONNXFile.open(
      fixtures.appendingPathComponent("tf2onnx/xception_seed1_stripped.onnx").path)
    var model = try file.parseModel()
    XCTAssertEqual(model.producerName, "tf2onnx")
    let weights = KerasWeights.seeded(for: try KerasApplications.xception(), seed: 1)
    let entries = try XCTUnwrap(recipe["initializers"] as? [[String: Any]])
    XCTAssertEqual(entries.count, 218)
    for entry in entries {
      let name = entry["initializer"] as? String ?? ""
      XCTAssertFalse(model.graph.initializers.contains { $0.name == name }, name)
      let tensor = try rebuild(entry, weights)
      // Bit for bit: the first values, and the sum to float64 rounding.
      XCTAssertEqual(Array(tensor.storage.prefix(4)), floats(entry["first"]), name)
      let sum = tensor.storage.reduce(0.0) { $0 + Double($1) }
      let expected = try XCTUnwrap(entry["sum"] as? Double)
      let scale = try XCTUnwrap(entry["sum_abs"] as? Double)
      XCTAssertEqual(sum, expected, accuracy: 1e-9 * scale, name)
      model.graph.initializers.append(ONNXTensor(
        name: name, dataType: ONNXDataType.float.rawValue, dims: tensor.shape.map(Int64.init),
        payload: .floats(tensor.storage)))
    }
    let importer = ONNXImporter(tensorValue: { try file.value(of: $0) })
    return (try importer.makeNetwork(model, name: "xception_tf2onnx"), recipe)
  }

  func testSeededXceptionExportMatchesKeras() throws {
    let (export, recipe) = try loadExport()
    XCTAssertEqual(export.inputs.first?.shape, [nil, 299, 299, 3])
    let network = try NHWCInput.channelsFirst(export)
    XCTAssertEqual(network.inputs, [TensorSpec(name: "input_1", shape: [nil, 3, 299, 299])])

    let aliases = KerasLayerNames.aliases(in: network)
    let layer = try XCTUnwrap(aliases["block14_sepconv2_act"])
    XCTAssertEqual(layer, "xception/block14_sepconv2_act/Relu:0")
    XCTAssertEqual(aliases["predictions"], "predictions")
    let logitsName = try XCTUnwrap(recipe["logits_tensor"] as? String)

    let reference = try json("reference/xception_seed1.json")
    let cam = try XCTUnwrap(reference["gradcam"] as? [String: Any])
    let target = try XCTUnwrap(cam["class"] as? Int)
    let input = try KerasApplications.xception().seededInput()  // [1, 3, 299, 299]
    let start = Date()
    let run = try network.forward(
      ["input_1": .float(input)], keeping: [logitsName, layer], gradientsFor: [layer, "input_1"])
    let logits = try XCTUnwrap(run.tensor(logitsName))
    var seed = Tensor(zeros: logits.shape)
    seed[0, target] = 1
    let gradients = try network.backward(run, seeds: [logitsName: seed])
    let seconds = Date().timeIntervalSince(start)

    let expected = floats(reference["logits"])
    let error = difference(logits.storage, expected)
    let maxLogit = expected.map { Double(abs($0)) }.max() ?? 1
    print("tf2onnx Xception: logits \(error), max|diff| / max|logit| \(error.maxAbs / maxLogit); "
      + "forward + backward \(String(format: "%.2f", seconds)) s")
    XCTAssertLessThan(error.relativeL2, 1e-4)
    XCTAssertLessThan(error.maxAbs / maxLogit, 1e-4)
    let probabilities = try XCTUnwrap(run.tensor("predictions"))
    let top = probabilities.storage.indices.max { probabilities[0, $0] < probabilities[0, $1] }
    XCTAssertEqual(top, target)

    // Grad-CAM through the Keras name, on the export's NCHW activation [1, 2048, 10, 10].
    let a = try XCTUnwrap(run.tensor(layer)), g = try XCTUnwrap(gradients[layer])
    XCTAssertEqual(a.shape, [1, 2048, 10, 10])
    let plane = 100
    var map = [Float](repeating: 0, count: plane)
    for k in 0..<2048 {
      let alpha = g.storage[(k * plane)..<((k + 1) * plane)].reduce(0, +) / Float(plane)
      for p in 0..<plane { map[p] += alpha * a.storage[k * plane + p] }
    }
    let layers = try XCTUnwrap(cam["layers"] as? [String: [String: Any]])
    let expectedMap = floats(layers["block14_sepconv2_act"]?["map"])
    let mapError = difference(map.map { max($0, 0) }, expectedMap)
    print("tf2onnx Xception: Grad-CAM at block14_sepconv2_act \(mapError)")
    XCTAssertLessThan(mapError.relativeL2, 1e-3)

    // The gradient reaches the NCHW input through the added Transpose.
    let inputGradient = try XCTUnwrap(gradients["input_1"])
    XCTAssertEqual(inputGradient.shape, [1, 3, 299, 299])
    XCTAssertGreaterThan(inputGradient.storage.reduce(0) { $0 + abs($1) }, 0)
  }
}
