// Model-randomisation sanity check (Adebayo et al. 2018, arXiv:1810.03292): an explanation
// that depends on what the model learned must change when the top of the model is replaced
// by random weights. Here the classifier head (Gemm `predictions`: `_fc.weight`, `_fc.bias`)
// and the last conv block (`top_conv`: `_conv_head.weight`, `_conv_head.weight_bias`) are
// re-drawn, seeded, uniform with each tensor's own mean and standard deviation, and the
// Spearman rank correlation of the absolute maps (original vs randomised) is measured.
import Attribution
import Engine
import Network
import TestSupport
import XCTest

final class SanityCheckTests: XCTestCase {
  /// The constants re-drawn, and the node whose prepared operator must be rebuilt with them.
  static let randomised = ["_conv_head.weight", "_conv_head.weight_bias", "_fc.weight", "_fc.bias"]

  private static func explainer(_ network: Network) -> Explainer {
    Explainer(
      model: DifferentiableModel(network: network, inputName: "input", logitsName: "logits"))
  }

  /// The embedded model with the head and `top_conv` re-initialised from `seed`.
  ///
  /// `Conv` prepares its engine convolution from constant weights at import, so replacing the
  /// constants alone would leave `top_conv` computing with the trained weights: its node is
  /// rebuilt with the new tensors. Gemm reads its constants at run time.
  static func randomisedNetwork(seed: UInt64) throws -> Network {
    let original = GoldenFixtures.network
    var constants = original.constants
    var generator = SplitMix64(seed: seed)
    for name in randomised {
      let tensor = try XCTUnwrap(constants[name]?.floatTensor, name)
      let n = Double(tensor.count)
      let mean = tensor.storage.reduce(0.0) { $0 + Double($1) } / n
      let variance =
        tensor.storage.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
      // Uniform on [mean - a, mean + a] has standard deviation a / sqrt(3).
      let a = max(variance.squareRoot(), 1e-3) * 3.0.squareRoot()
      constants[name] = .float(generator.tensor(tensor.shape, in: (mean - a)...(mean + a)))
    }
    let nodes = try original.nodes.map { node -> Node in
      guard node.outputs == ["top_conv"] else { return node }
      let conv = try XCTUnwrap(node.op as? Conv, "top_conv is a Conv")
      XCTAssertEqual(
        node.inputs, ["block15_project_conv", "_conv_head.weight", "_conv_head.weight_bias"])
      let op = try Conv(
        group: conv.group, attributes: conv.attributes,
        weights: constants["_conv_head.weight"]!.floatTensor,
        bias: constants["_conv_head.weight_bias"]!.floatTensor)
      return Node(name: node.name, op: op, inputs: node.inputs, outputs: node.outputs)
    }
    return try Network(
      name: original.name + " (head randomised)", inputs: original.inputs,
      outputs: original.outputs, nodes: nodes, constants: constants)
  }

  /// The randomised network really computes with the new weights: the logits move far, and
  /// block 15's output (before `top_conv`) is untouched.
  func testRandomisedNetworkChangesTheHeadOnly() throws {
    let x = try GoldenFixtures.input("chelsea")
    let random = try Self.randomisedNetwork(seed: 7)
    let keep: Set<String> = ["block15_project_conv", "top_activation", "logits"]
    let before = try GoldenFixtures.network.forward(["input": .float(x)], keeping: keep)
    let after = try random.forward(["input": .float(x)], keeping: keep)
    let block = difference(
      after.tensor("block15_project_conv")!, before.tensor("block15_project_conv")!)
    XCTAssertEqual(block.maxAbs, 0, "block 15 is not randomised")
    let top = difference(after.tensor("top_activation")!, before.tensor("top_activation")!)
    XCTAssertGreaterThan(top.relativeL2, 0.5, "top_conv computes with the new weights: \(top)")
    let logits = difference(after.tensor("logits")!, before.tensor("logits")!)
    XCTAssertGreaterThan(logits.relativeL2, 0.5, "\(logits)")
  }

  /// Grad-CAM (top_activation and block 15's output) and saliency decorrelate: Spearman of
  /// the absolute maps below 0.5. IG, expected gradients and SmoothGrad are measured and printed.
  func testMapsChangeWhenTheHeadIsRandomised() throws {
    let x = try GoldenFixtures.input("chelsea")
    let trained = Self.explainer(GoldenFixtures.network)
    let random = Self.explainer(try Self.randomisedNetwork(seed: 7))
    let target = TargetSelection.index(285)
    for layer in ["top_activation", "block15_project_conv"] {
      let a = try trained.gradCAM(x, targets: target, layer: layer)[0].values.storage
      let b = try random.gradCAM(x, targets: target, layer: layer)[0].values.storage
      let rho = spearman(a.map(abs), b.map(abs))
      print("sanity: Grad-CAM \(layer) Spearman(|original|, |randomised|) = \(rho)")
      XCTAssertLessThan(rho, 0.5, "Grad-CAM at \(layer) survives randomising the head")
      XCTAssertGreaterThan(a.max()!, 0, "the trained map is not empty")
      XCTAssertGreaterThan(b.max()!, 0, "the randomised map is not empty")
    }
    let pixelMaps: [(String, (Explainer) throws -> Tensor)] = [
      ("saliency", { try $0.saliency(x, targets: target)[0].values }),
      ("ig (zero baseline, 32 steps)", {
        try $0.integratedGradients(x, targets: target, steps: 32)[0].values
      }),
      ("smoothgrad sg (16 samples, noise 0.15)", {
        try $0.smoothGrad(x, targets: target, samples: 16, seed: 3)[0].values
      }),
      ("expected gradients (32 samples)", {
        let background = Tensor(
          shape: [2, 3, 224, 224],
          storage: GoldenFixtures.syntheticInput().storage + gaussianBlurred(x, sigma: 8).storage)
        return try $0.expectedGradients(
          x, targets: target, background: background, samples: 32, seed: 1)[0].values
      }),
    ]
    for (name, method) in pixelMaps {
      let a = reduceChannels(try method(trained), .maxAbs).storage
      let b = reduceChannels(try method(random), .maxAbs).storage
      let rho = spearman(a, b)
      print("sanity: \(name) Spearman(max_c |original|, max_c |randomised|) = \(rho)")
      if name == "saliency" {
        XCTAssertLessThan(rho, 0.5, "saliency survives randomising the head")
      }
    }
  }

  /// The rank correlation itself: known values, ties, and invariance to monotone maps.
  func testSpearman() {
    XCTAssertEqual(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1, accuracy: 1e-12)
    XCTAssertEqual(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1, accuracy: 1e-12)
    XCTAssertEqual(spearman([1, 2, 3, 4, 5], [1, 4, 9, 16, 25]), 1, accuracy: 1e-12)
    // Average ranks for ties: x = [1, 2, 2, 3] -> [1, 2.5, 2.5, 4]; y ranks [1, 2, 3, 4].
    XCTAssertEqual(spearman([1, 2, 2, 3], [1, 2, 3, 4]), 0.9486832980505138, accuracy: 1e-12)
  }
}

/// Spearman's rank correlation: the Pearson correlation of the ranks, ties sharing their
/// average rank; 0 when either side is constant.
func spearman(_ a: [Float], _ b: [Float]) -> Double {
  precondition(a.count == b.count && a.count > 1, "two equally long samples")
  return pearson(averageRanks(a), averageRanks(b))
}

/// Ranks 1...n, ties given the mean of the ranks they span.
func averageRanks(_ values: [Float]) -> [Double] {
  let order = values.indices.sorted { values[$0] < values[$1] }
  var ranks = [Double](repeating: 0, count: values.count)
  var start = 0
  while start < order.count {
    var end = start
    while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
    let rank = Double(start + end) / 2 + 1
    for i in start...end { ranks[order[i]] = rank }
    start = end + 1
  }
  return ranks
}

/// Pearson's correlation in Double; 0 when either side has no variance.
func pearson(_ a: [Double], _ b: [Double]) -> Double {
  let n = Double(a.count)
  let ma = a.reduce(0, +) / n
  let mb = b.reduce(0, +) / n
  var sab = 0.0, saa = 0.0, sbb = 0.0
  for i in a.indices {
    sab += (a[i] - ma) * (b[i] - mb)
    saa += (a[i] - ma) * (a[i] - ma)
    sbb += (b[i] - mb) * (b[i] - mb)
  }
  return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : 0
}
