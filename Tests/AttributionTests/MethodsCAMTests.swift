// Layer maps on tiny networks: Grad-CAM against CAM, the variants' identities on a
// global-average-pool head, non-negativity, fusion, Eigen-CAM, the activation grid, Score-CAM.
import Attribution
import Engine
import Network
import TestSupport
import XCTest

final class MethodsCAMTests: XCTestCase {
  private func gapSetup(seed: UInt64 = 1) throws -> (Explainer, Tensor, Tensor) {
    let (model, head) = try TinyNetworks.gapClassifier(
      channels: 2, features: 5, classes: 4, seed: seed)
    var rng = SplitMix64(seed: seed + 100)
    return (Explainer(model: model), rng.tensor([1, 2, 6, 9], in: -1...1), head)
  }

  /// On conv -> GAP -> dense, Grad-CAM's alpha is W[c, :] / (h w) and the map is
  /// max(0, CAM) / (h w) with CAM = sum_k W[c, k] A[k] (Zhou et al. 2016).
  func testGradCAMEqualsCAMOnAGlobalAveragePoolHead() throws {
    let (explainer, x, head) = try gapSetup()
    let features = try explainer.model.network.forward(["x": .float(x)], keeping: ["features"])
      .tensor("features")!
    let (k, plane) = (5, 54)
    for c in 0..<4 {
      let map = try explainer.gradCAM(x, targets: .index(c), layer: "features")[0]
      XCTAssertEqual(map.values.shape, [6, 9])
      for ch in 0..<k {
        XCTAssertEqual(map.channelWeights![ch], head[c, ch] / Float(plane), accuracy: 1e-6)
      }
      for i in 0..<plane {
        let cam = (0..<k).reduce(Float(0)) { $0 + head[c, $1] * features.storage[$1 * plane + i] }
        XCTAssertEqual(map.values.storage[i], max(0, cam) / Float(plane), accuracy: 1e-5)
      }
      XCTAssertEqual(map.cost.forwardPasses, 1)
      XCTAssertEqual(map.cost.backwardPasses, 1)
      XCTAssertEqual(map.layer, "features")
      XCTAssertEqual(map.target, Target(classIndex: c))
    }
  }

  /// With spatially constant gradients, HiResCAM and XGrad-CAM coincide with Grad-CAM, and
  /// Grad-CAM++'s weight has the closed form h w g / (2 + g sum A) for g > 0 (0 otherwise).
  func testVariantsReduceToGradCAMWhereTheirPapersSay() throws {
    let (explainer, x, head) = try gapSetup(seed: 2)
    let features = try explainer.model.network.forward(["x": .float(x)], keeping: ["features"])
      .tensor("features")!
    for c in 0..<4 {
      let grad = try explainer.gradCAM(x, targets: .index(c), layer: "features")[0].values
      let hires = try explainer.gradCAM(
        x, targets: .index(c), layer: "features", variant: .hiResCAM)[0].values
      let xgrad = try explainer.gradCAM(
        x, targets: .index(c), layer: "features", variant: .xGradCAM)[0].values
      XCTAssertLessThan(difference(hires, grad).maxAbs, 1e-6)
      XCTAssertLessThan(difference(xgrad, grad).maxAbs, 1e-4)
      let plusPlus = try explainer.gradCAM(
        x, targets: .index(c), layer: "features", variant: .gradCAMPlusPlus)[0]
      for k in 0..<5 {
        let g = Double(head[c, k]) / 54
        let sumA = features.storage[(k * 54)..<((k + 1) * 54)].reduce(0.0) { $0 + Double($1) }
        let expected = g > 0 ? 54 * g / (2 + g * sumA) : 0
        XCTAssertEqual(
          Double(plusPlus.channelWeights![k]), expected, accuracy: 1e-6 * max(1, abs(expected)))
      }
    }
  }

  /// LayerCAM equals HiResCAM when every gradient is positive and is 0 when all are negative.
  func testLayerCAMKeepsPositiveGradientsOnly() {
    var rng = SplitMix64(seed: 5)
    let a = rng.tensor([1, 3, 4, 5], in: 0...2)
    let positive = rng.tensor([1, 3, 4, 5], in: 0.1...1)
    let layer = classActivationMap(a, positive, .layerCAM).0
    let hires = classActivationMap(a, positive, .hiResCAM).0
    XCTAssertEqual(layer, hires)
    var negative = positive
    negative.storage = negative.storage.map { -$0 }
    XCTAssertTrue(classActivationMap(a, negative, .layerCAM).0.storage.allSatisfy { $0 == 0 })
  }

  /// Property: every paper CAM variant is non-negative, for random inputs and classes
  /// (tf-explain's convention has no final ReLU, by design).
  func testCAMMapsAreNonNegative() throws {
    for seed in UInt64(0)..<6 {
      let (explainer, x, _) = try gapSetup(seed: seed)
      for variant in CAMVariant.allCases where variant != .tfExplain {
        let maps = try explainer.gradCAM(x, targets: .top(4), layer: "pre", variant: variant)
        XCTAssertEqual(maps.count, 4)
        XCTAssertEqual(maps[0].cost.backwardPasses, 4, "one forward pass serves all targets")
        for map in maps {
          XCTAssertTrue(map.values.storage.allSatisfy { $0 >= 0 }, "\(variant) seed \(seed)")
        }
      }
    }
  }

  /// tf-explain's map: guided gradients (G where A > 0 and G > 0), spatial mean, signed sum.
  func testTFExplainConventionMatchesItsFormula() {
    var rng = SplitMix64(seed: 11)
    let a = rng.tensor([1, 3, 2, 2], in: -1...1)
    let g = rng.tensor([1, 3, 2, 2], in: -1...1)
    let (map, weights) = classActivationMap(a, g, .tfExplain)
    var expectedWeights = [Double](repeating: 0, count: 3)
    for c in 0..<3 {
      for i in 0..<4 where a.storage[c * 4 + i] > 0 && g.storage[c * 4 + i] > 0 {
        expectedWeights[c] += Double(g.storage[c * 4 + i]) / 4
      }
    }
    for c in 0..<3 { XCTAssertEqual(Double(weights![c]), expectedWeights[c], accuracy: 1e-6) }
    for i in 0..<4 {
      let expected = (0..<3).reduce(0.0) { $0 + expectedWeights[$1] * Double(a.storage[$1 * 4 + i]) }
      XCTAssertEqual(Double(map.storage[i]), expected, accuracy: 1e-6)
    }
    XCTAssertTrue(map.storage.contains { $0 < 0 }, "no ReLU: this seed gives a negative cell")
  }

  func testGradCAMAndHiResCAMPeakInsideTheRectangle() throws {
    let explainer = Explainer(model: try TinyNetworks.rectangleModel())
    let x = TinyNetworks.rectangleInput()
    for variant in [CAMVariant.gradCAM, .hiResCAM, .layerCAM, .gradCAMPlusPlus] {
      let map = try explainer.gradCAM(x, targets: .index(0), layer: "features", variant: variant)[0]
      XCTAssertEqual(map.values.shape, [12, 20], "rows stay rows, columns stay columns")
      let top = peak(of: map.values)
      XCTAssertTrue(
        TinyNetworks.insideRectangle(2 * top.row, 2 * top.column), "\(variant) peak \(top)")
    }
  }

  func testFusedCAMAveragesNormalisedMapsOnTheLargestGrid() throws {
    let explainer = Explainer(model: try TinyNetworks.rectangleModel())
    let x = TinyNetworks.rectangleInput()
    let single = try explainer.gradCAM(x, targets: .index(0), layer: "features")[0]
    let same = try explainer.fusedCAM(x, targets: .index(0), layers: ["features", "features"])[0]
    XCTAssertLessThan(
      difference(same.values.storage, minMaxNormalised(single.values.storage)).maxAbs, 1e-6)
    let fused = try explainer.fusedCAM(x, targets: .index(0), layers: ["features", "act"])[0]
    XCTAssertEqual(fused.values.shape, [24, 40])
    XCTAssertEqual(fused.layer, "features,act")
    XCTAssertEqual(fused.cost.forwardPasses, 1)
    let act = try explainer.gradCAM(x, targets: .index(0), layer: "act")[0]
    let up = resizeBilinear(
      minMaxNormalised(single.values.storage), height: 12, width: 20, toHeight: 24, width: 40)
    let expected = zip(up, minMaxNormalised(act.values.storage)).map { ($0 + $1) / 2 }
    XCTAssertLessThan(difference(fused.values.storage, expected).maxAbs, 1e-6)
  }

  func testBadLayersAreReported() throws {
    let (explainer, x, _) = try gapSetup()
    XCTAssertThrowsError(try explainer.gradCAM(x, targets: .index(0), layer: "nope")) {
      XCTAssertEqual($0 as? AttributionError, .badLayer("nope", "no such value in the network"))
    }
    XCTAssertThrowsError(try explainer.gradCAM(x, targets: .index(0), layer: "pooled")) {
      XCTAssertEqual(
        $0 as? AttributionError, .badLayer("pooled", "must be 4-D [N, K, h, w], has shape [1, 5]"))
    }
    XCTAssertThrowsError(try explainer.gradCAM(x, targets: .index(7), layer: "features")) {
      XCTAssertEqual($0 as? AttributionError, .classOutOfRange(7, classes: 4))
    }
    XCTAssertThrowsError(
      try explainer.gradCAM(Tensor(zeros: [2, 2, 6, 9]), targets: .index(0), layer: "features"))
  }

  /// Channels that are multiples of one spatial pattern P (plus a constant each): Eigen-CAM
  /// recovers P up to scale, with the sign that follows the activations.
  func testEigenCAMRecoversTheDominantPatternWithAFixedSign() {
    var rng = SplitMix64(seed: 9)
    let pattern = rng.tensor([12], in: -1...1).storage
    let scales: [Float] = [2, 1, 0.5, 3]
    let offsets: [Float] = [1, -2, 0.3, 0]
    let a = scales.indices.flatMap { k in pattern.map { scales[k] * $0 + offsets[k] } }
    for flip: Float in [1, -1] {
      let activations = a.map { $0 * flip }
      let projection = firstPrincipalProjection(activations, channels: 4, positions: 12)
      let centred = pattern.map { Double($0 - pattern.reduce(0, +) / 12) }
      let dot = zip(projection, centred).reduce(0) { $0 + $1.0 * $1.1 }
      let norms = (projection.reduce(0) { $0 + $1 * $1 } * centred.reduce(0) { $0 + $1 * $1 })
        .squareRoot()
      XCTAssertEqual(
        dot / norms, Double(flip), accuracy: 1e-9, "sign follows the summed activations")
      // Scale: |projection| = |P - mean P| * ||scales||.
      let expectedNorm = (centred.reduce(0) { $0 + $1 * $1 } * 14.25).squareRoot()
      XCTAssertEqual(
        projection.reduce(0) { $0 + $1 * $1 }.squareRoot(), expectedNorm,
        accuracy: 1e-6 * expectedNorm)
    }
  }

  func testEigenCAMAndActivationGridOnANetwork() throws {
    let explainer = Explainer(model: try TinyNetworks.rectangleModel())
    let x = TinyNetworks.rectangleInput()
    let eigen = try explainer.eigenCAM(x, layer: "features")
    XCTAssertEqual(eigen.values.shape, [12, 20])
    XCTAssertNil(eigen.target)
    let grid = try explainer.activationGrid(x, layer: "act", normaliseEach: true)
    // Channel 1 has the brighter bump, so the larger mean: it comes first.
    XCTAssertEqual(grid.channels, [1, 0])
    XCTAssertEqual(grid.values.shape, [2, 24, 40])
    XCTAssertEqual(grid.values.storage.max(), 1)
    XCTAssertGreaterThan(grid.channelWeights![0], grid.channelWeights![1])
    let raw = try explainer.activationGrid(x, layer: "act", count: 1, order: .index)
    XCTAssertEqual(raw.channels, [0])
    let act = try explainer.model.network.forward(["x": .float(x)], keeping: ["act"]).tensor("act")!
    XCTAssertEqual(raw.values.storage, Array(act.storage[0..<960]))
  }

  /// Score-CAM weights are score(x * mask_k) - score(0) in probability, batched or not.
  func testScoreCAMWeightsAreProbabilityIncreases() throws {
    let model = try TinyNetworks.rectangleModel()
    let x = TinyNetworks.rectangleInput()
    let maps = try Explainer(model: model).scoreCAM(x, targets: .index(0), layer: "features")
    let one = try Explainer(model: model, batching: BatchPolicy(fixedSize: 1)).scoreCAM(
      x, targets: .index(0), layer: "features")
    XCTAssertEqual(maps[0].values, one[0].values)
    XCTAssertEqual(maps[0].target?.score, .probability)
    let features = try model.network.forward(["x": .float(x)], keeping: ["features"]).tensor(
      "features")!
    let floor = Target(classIndex: 0, score: .probability).value(
      logits: try model.logits(Tensor(zeros: x.shape)).storage[...])
    for k in 0..<2 {
      let mask = minMaxNormalised(
        resizeBilinear(
          Array(features.storage[(k * 240)..<((k + 1) * 240)]), height: 12, width: 20, toHeight: 24,
          width: 40))
      var masked = x
      for c in 0..<2 { for j in 0..<960 { masked.storage[c * 960 + j] *= mask[j] } }
      let p = Target(classIndex: 0, score: .probability).value(
        logits: try model.logits(masked).storage[...])
      XCTAssertEqual(Double(maps[0].channelWeights![k]), p - floor, accuracy: 1e-6)
    }
    XCTAssertEqual(
      maps[0].cost.forwardPasses, 3, "first pass, zero input, two channels in one batch")
    XCTAssertEqual(one[0].cost.forwardPasses, 4)
    XCTAssertEqual(maps[0].cost.imagesEvaluated, 4)
    XCTAssertTrue(maps[0].values.storage.allSatisfy { $0 >= 0 })
  }
}
