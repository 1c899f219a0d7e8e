// Glimpse's VGG16 and Xception against TensorFlow: the same seeded weights and input give the
// logits and Grad-CAM maps tf_keras computed (fixtures from
// Tests/Fixtures/generate/keras_reference.py, Seeded Keras weights v1, seed 1).
import Engine
import Foundation
import KerasImport
import Network
import TestSupport
import XCTest

final class KerasReferenceTests: XCTestCase {
  /// One reference file, as JSON objects.
  private func reference(_ name: String) throws -> [String: Any] {
    let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/reference/\(name).json")
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    return try XCTUnwrap(object as? [String: Any])
  }

  private func floats(_ value: Any?) -> [Float] {
    (value as? [Any] ?? []).map { Float(($0 as? NSNumber)?.doubleValue ?? .nan) }
  }

  /// The seeded weights, input and weighted-layer list agree with the reference bit for bit.
  private func checkSeeds(_ model: KerasArchitecture, _ weights: KerasWeights, _ ref: [String: Any]) {
    let layers = (ref["weighted_layers"] as? [[Any]] ?? []).map { $0[0] as? String ?? "" }
    XCTAssertEqual(model.weightedLayers.map(\.name), layers)
    for spot in ref["weights"] as? [[String: Any]] ?? [] {
      let name = spot["layer"] as? String ?? "", weight = spot["weight"] as? String ?? ""
      guard let layer = weights.layer(named: name), let j = layer.names.firstIndex(of: weight)
      else { XCTFail("no \(name)/\(weight)"); continue }
      let t = layer.tensors[j]
      XCTAssertEqual(Array(t.storage.prefix(4)), floats(spot["first"]), "\(name)/\(weight)")
      XCTAssertEqual(t.storage.last, floats([spot["last"] as Any])[0], "\(name)/\(weight)")
    }
    let input = ref["input"] as? [String: Any] ?? [:]
    let x = toChannelsLast(model.seededInput())  // NHWC, as the reference lists it
    XCTAssertEqual(Array(x.storage.prefix(6)), floats(input["first"]))
  }

  /// Logits and Grad-CAM maps (`relu(sum_k mean_ij(d logit / d A_k) A_k)`) at `layers`.
  private func gradCAM(
    _ network: Network, _ model: KerasArchitecture, layers: [String], target: Int
  ) throws -> (logits: Tensor, maps: [String: Tensor]) {
    let logitsName = "predictions/logits"
    let run = try network.forward(
      [model.inputName: .float(model.seededInput())], keeping: Set(layers + [logitsName]),
      gradientsFor: Set(layers))
    let logits = try XCTUnwrap(run.tensor(logitsName))
    var seed = Tensor(zeros: logits.shape)
    seed[0, target] = 1
    let gradients = try network.backward(run, seeds: [logitsName: seed])
    var maps: [String: Tensor] = [:]
    for layer in layers {
      let (a, g) = (try XCTUnwrap(run.tensor(layer)), try XCTUnwrap(gradients[layer]))
      let (c, plane) = (a.shape[1], a.shape[2] * a.shape[3])
      var map = [Float](repeating: 0, count: plane)
      for k in 0..<c {
        let alpha = g.storage[(k * plane)..<((k + 1) * plane)].reduce(0, +) / Float(plane)
        for p in 0..<plane { map[p] += alpha * a.storage[k * plane + p] }
      }
      maps[layer] = Tensor(shape: [a.shape[2], a.shape[3]], storage: map.map { max($0, 0) })
    }
    return (logits, maps)
  }

  /// Compares logits and maps with the reference; returns the maps' relative L2 errors.
  private func compare(
    _ name: String, _ model: KerasArchitecture, tolerances: [String: Double]
  ) throws {
    let ref = try reference(name)
    let weights = KerasWeights.seeded(for: model, seed: 1)
    checkSeeds(model, weights, ref)
    let network = try model.network(weights: weights)
    let cam = ref["gradcam"] as? [String: Any] ?? [:]
    let target = try XCTUnwrap(cam["class"] as? Int)
    let start = Date()
    let (logits, maps) = try gradCAM(
      network, model, layers: Array(tolerances.keys), target: target)
    let seconds = Date().timeIntervalSince(start)
    let logitError = difference(logits.storage, floats(ref["logits"]))
    print("\(name): logits \(logitError); forward + backward \(String(format: "%.2f", seconds)) s")
    XCTAssertLessThan(logitError.relativeL2, 1e-4, "logits")
    let top = logits.storage.indices.max { logits.storage[$0] < logits.storage[$1] }
    XCTAssertEqual(top, (ref["top5"] as? [Int])?.first)
    let layers = cam["layers"] as? [String: [String: Any]] ?? [:]
    for (layer, tolerance) in tolerances {
      let expected = floats(layers[layer]?["map"])
      let actual = try XCTUnwrap(maps[layer])
      let error = difference(actual.storage, expected)
      print("\(name): Grad-CAM at \(layer) \(error)")
      XCTAssertLessThan(error.relativeL2, tolerance, layer)
    }
  }

  func testVGG16MatchesTensorFlow() throws {
    try compare(
      "vgg16_seed1", try KerasApplications.vgg16(),
      tolerances: ["block5_conv3": 1e-3, "block4_conv3": 1e-2])
  }

  func testXceptionMatchesTensorFlow() throws {
    try compare(
      "xception_seed1", try KerasApplications.xception(),
      tolerances: ["block14_sepconv2_act": 1e-3, "block6_sepconv3_act": 1e-2, "block1_conv1_act": 1e-2])
  }

  func testVGG16WithoutTopMatchesTensorFlow() throws {
    let ref = try reference("vgg16_notop_seed1")
    let model = try KerasApplications.vgg16(includeTop: false)
    let weights = KerasWeights.seeded(for: model, seed: 1)
    checkSeeds(model, weights, ref)
    let run = try model.network(weights: weights).forward(
      [model.inputName: .float(model.seededInput())])
    let pool = try XCTUnwrap(run.tensor("block5_pool"))  // [1, 512, 7, 7]
    let expected = ref["block5_pool"] as? [String: Any] ?? [:]
    let sums = (0..<512).map { k in pool.storage[(k * 49)..<((k + 1) * 49)].reduce(0, +) }
    let error = difference(sums, floats(expected["channel_sums"]))
    print("vgg16 notop: block5_pool channel sums \(error)")
    XCTAssertLessThan(error.relativeL2, 1e-4)
    let first = toChannelsLast(pool).storage.prefix(8)
    XCTAssertEqual(difference(Array(first), floats(expected["first"])).relativeL2, 0, accuracy: 1e-4)
  }
}
