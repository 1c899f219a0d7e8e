// `glimpse bench --keras`: Keras' VGG16 and Xception, beside TensorFlow and onnxruntime.
import ArgumentParser
import Attribution
import Engine
import Foundation
import ModelZoo
import Network

extension BenchCommand {
  /// The Keras models with seeded weights (seed 1): forward pass and Grad-CAM of the top class,
  /// each beside its peers from scripts/bench/keras_peer.py when a peer Python is given.
  func benchKeras(assets: BundledAssets, table: BenchTable) throws {
    let peers = try kerasPeers()
    if let versions = peers?["versions"] {
      let text = versions.map { "\($0.key) \($0.value)" }.sorted().joined(separator: ", ")
      table.note("keras peers (scripts/bench/keras_peer.py, seeded weights as Glimpse's): \(text)")
    }
    for (name, layer) in [("vgg16", "block5_conv3"), ("xception", "block14_sepconv2_act")] {
      var options = ModelCatalog.LoadOptions()
      options.weights = .random(seed: 1)
      let start = Date()
      let classifier = try ModelCatalog.load(name, options: options, assets: assets)
      let seconds = Date().timeIntervalSince(start)
      let (h, w) = classifier.inputSize
      table.note(
        "\(name): built with seeded weights (\(classifier.network.parameterCount) parameters) in "
          + String(format: "%.2f s", seconds))
      var generator = SplitMix64(seed: 20_261_128)
      let x = generator.tensor([1, 3, h, w])
      let label = "\(name) \(w)x\(h)"
      let peer = peers?[name]
      let forward = try median(repetitions) { _ = try classifier.logits(x) }
      table.add(label, "forward vs onnxruntime", forward, peer?["ort forward"] as? Double)
      table.add(label, "forward vs TensorFlow", forward, peer?["tf forward"] as? Double)
      let explainer = Explainer(
        model: DifferentiableModel(
          network: classifier.network, inputName: classifier.inputName,
          logitsName: classifier.logitsName))
      let top = try classifier.logits(x).storage.enumerated().max { $0.element < $1.element }!.offset
      let cam = try median(repetitions) {
        _ = try explainer.gradCAM(x, targets: .index(top), layer: layer)
      }
      table.add(label, "Grad-CAM at \(layer) vs TensorFlow", cam, peer?["tf gradcam"] as? Double)
    }
  }

  /// The peers' medians by model and case, or nil without a peer Python.
  private func kerasPeers() throws -> [String: [String: Any]]? {
    guard let kerasPeerPython else { return nil }
    let data = try runPeer(
      kerasPeerPython,
      ["scripts/bench/keras_peer.py", "--threads", "\(threads)", "--repetitions", "\(repetitions)"],
      what: "the Keras peer script (scripts/bench/keras_peer.py)")
    guard let json = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
      throw ValidationError("the Keras peer script printed no JSON")
    }
    return json
  }
}
