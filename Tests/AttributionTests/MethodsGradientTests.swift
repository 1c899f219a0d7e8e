// Input-gradient maps on tiny networks: saliency, gradient x input, integrated gradients,
// SmoothGrad and expected gradients.
import Attribution
import Engine
import Network
import TestSupport
import XCTest

final class MethodsGradientTests: XCTestCase {
  private let x = TinyNetworks.rectangleInput()

  private func rectangleExplainer(batch: Int? = nil) throws -> Explainer {
    Explainer(model: try TinyNetworks.rectangleModel(), batching: BatchPolicy(fixedSize: batch))
  }

  /// The peak of a `[C, H, W]` map reduced by max |.| lies inside the rectangle.
  private func assertPeakInsideRectangle(
    _ map: AttributionMap, file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertEqual(map.values.shape, [2, 24, 40], file: file, line: line)
    let top = peak(of: reduceChannels(map.values, .maxAbs))
    XCTAssertTrue(
      TinyNetworks.insideRectangle(top.row, top.column), "\(map.method) peak \(top)", file: file,
      line: line)
  }

  func testPixelMethodsPeakInsideTheRectangle() throws {
    let explainer = try rectangleExplainer()
    assertPeakInsideRectangle(try explainer.saliency(x, targets: .index(0))[0])
    assertPeakInsideRectangle(try explainer.gradientTimesInput(x, targets: .index(0))[0])
    assertPeakInsideRectangle(
      try explainer.integratedGradients(x, targets: .index(0), steps: 16)[0])
    for aggregation in NoiseAggregation.allCases {
      assertPeakInsideRectangle(
        try explainer.smoothGrad(
          x, targets: .index(0), aggregation: aggregation, samples: 8, noise: 0.1)[0])
    }
    let shap = try explainer.expectedGradients(
      x, targets: .index(0), background: Tensor(zeros: [1, 2, 24, 40]), samples: 16)
    assertPeakInsideRectangle(shap[0])
  }

  func testSaliencyIsTheInputGradientAndGradientTimesInputMultiplies() throws {
    let explainer = try rectangleExplainer()
    let saliency = try explainer.saliency(x, targets: .index(0))[0]
    // Central differences at a few pixels near the bump (kinks are far: the bump is smooth).
    let model = explainer.model
    for (c, i, j) in [(0, 9, 27), (0, 7, 24), (1, 16, 8)] {
      var up = x
      var down = x
      up[0, c, i, j] += 1e-2
      down[0, c, i, j] -= 1e-2
      let numeric = (try model.logits(up).storage[0] - model.logits(down).storage[0]) / 2e-2
      XCTAssertEqual(saliency.values[c, i, j], numeric, accuracy: 1e-3)
    }
    let gxi = try explainer.gradientTimesInput(x, targets: .index(0))[0]
    for k in 0..<x.count {
      XCTAssertEqual(gxi.values.storage[k], saliency.values.storage[k] * x.storage[k])
    }
    XCTAssertEqual(saliency.cost.forwardPasses, 1)
  }

  func testSmoothGradWithoutNoiseAndOneSampleEqualsItsInnerMethod() throws {
    let explainer = try rectangleExplainer()
    let saliency = try explainer.saliency(x, targets: .top(2))
    let smooth = try explainer.smoothGrad(x, targets: .top(2), samples: 1, noise: 0, seed: 42)
    for t in 0..<2 { XCTAssertEqual(smooth[t].values, saliency[t].values) }
    XCTAssertEqual(smooth[0].seed, 42)
    let ig = try explainer.integratedGradients(
      x, targets: .index(1), baseline: .channelMean, steps: 5)[0]
    let smoothIG = try explainer.smoothGrad(
      x, targets: .index(1), of: .integratedGradients(baseline: .channelMean, steps: 5), samples: 1,
      noise: 0)[0]
    XCTAssertEqual(smoothIG.values, ig.values)
  }

  /// Noise is drawn per sample from the seed, so the batch size does not change the map;
  /// vargrad = sg2 - sg^2.
  func testSmoothGradIsReproducibleAcrossBatchSizesAndAggregationsAgree() throws {
    let one = try rectangleExplainer(batch: 1)
    let five = try rectangleExplainer(batch: 5)
    for aggregation in NoiseAggregation.allCases {
      let a = try one.smoothGrad(
        x, targets: .index(0), aggregation: aggregation, samples: 7, seed: 3)[0]
      let b = try five.smoothGrad(
        x, targets: .index(0), aggregation: aggregation, samples: 7, seed: 3)[0]
      XCTAssertEqual(a.values, b.values, "\(aggregation)")
      XCTAssertEqual(a.cost.backwardPasses, 7)
      XCTAssertEqual(b.cost.backwardPasses, 2)
    }
    let sg = try five.smoothGrad(x, targets: .index(0), samples: 7, seed: 3)[0].values.storage
    let sg2 = try five.smoothGrad(
      x, targets: .index(0), aggregation: .meanOfSquares, samples: 7, seed: 3)[0].values.storage
    let vg = try five.smoothGrad(
      x, targets: .index(0), aggregation: .variance, samples: 7, seed: 3)[0].values.storage
    for k in sg.indices { XCTAssertEqual(vg[k], max(0, sg2[k] - sg[k] * sg[k]), accuracy: 1e-6) }
    let other = try five.smoothGrad(x, targets: .index(0), samples: 7, seed: 4)[0].values.storage
    XCTAssertNotEqual(other, sg, "another seed draws other noise")
  }

  /// IG is (x - x0) times the mean of the gradients at x0 + (k/m)(x - x0), k = 1...m.
  func testIntegratedGradientsIsTheRightRiemannSum() throws {
    let explainer = try rectangleExplainer(batch: 3)
    let baseline = Tensor(repeating: 0.02, shape: x.shape)
    let steps = 4
    let ig = try explainer.integratedGradients(
      x, targets: .index(0), baseline: .tensor(baseline), steps: steps)[0]
    var expected = [Float](repeating: 0, count: x.count)
    for k in 1...steps {
      var point = baseline
      for j in 0..<x.count {
        point.storage[j] += Float(k) / Float(steps) * (x.storage[j] - baseline.storage[j])
      }
      let g = try explainer.saliency(point, targets: .index(0))[0].values.storage
      for j in 0..<x.count {
        expected[j] += g[j] * (x.storage[j] - baseline.storage[j]) / Float(steps)
      }
    }
    XCTAssertLessThan(difference(ig.values.storage, expected).maxAbs, 1e-6)
    XCTAssertEqual(ig.cost.forwardPasses, 2 + 2, "input, baseline, then 4 steps in batches of 3")
    XCTAssertEqual(ig.cost.imagesEvaluated, 2 + steps)
    let completeness = try XCTUnwrap(ig.completeness)
    XCTAssertEqual(
      completeness.attributionSum, ig.values.storage.reduce(0.0) { $0 + Double($1) }, accuracy: 1e-9
    )
    let f = { (t: Tensor) in Double(try explainer.model.logits(t).storage[0]) }
    XCTAssertEqual(completeness.scoreDifference, try f(x) - f(baseline), accuracy: 1e-5)
  }

  /// On a network without kinks (conv -> mean -> dense) the Riemann sum of a constant
  /// gradient is exact: IG is complete.
  func testIntegratedGradientsIsCompleteOnALinearNetwork() throws {
    var rng = SplitMix64(seed: 8)
    let network = try Network(
      name: "linear", inputs: [TensorSpec(name: "x", shape: nil)],
      outputs: [TensorSpec(name: "logits", shape: nil)],
      nodes: [
        Node(
          name: "conv", op: TinyConv(weights: rng.tensor([3, 2, 3, 3]), bias: [0.1, 0, 0]),
          inputs: ["x"], outputs: ["a"]),
        Node(name: "gap", op: TinyGlobalAveragePool(), inputs: ["a"], outputs: ["p"]),
        Node(
          name: "fc", op: TinyDense(weights: rng.tensor([2, 3]), bias: [0, 0]), inputs: ["p"],
          outputs: ["logits"]),
      ], constants: [:])
    let explainer = Explainer(
      model: DifferentiableModel(network: network, inputName: "x", logitsName: "logits"))
    let input = rng.tensor([1, 2, 5, 7])
    let ig = try explainer.integratedGradients(
      input, targets: .index(1), baseline: .blurred(sigma: 1), steps: 3)[0]
    let completeness = try XCTUnwrap(ig.completeness)
    XCTAssertEqual(completeness.gap, 0, accuracy: 1e-5 * max(1, abs(completeness.scoreDifference)))
    XCTAssertGreaterThan(abs(completeness.scoreDifference), 1e-3, "a non-trivial difference")
  }

  /// E[sum of expected gradients] = F(x) - mean_b F(b): the estimate lands within three
  /// Monte-Carlo standard errors, at the input and at a layer.
  func testExpectedGradientsCompletenessWithinThreeStandardErrors() throws {
    let explainer = try rectangleExplainer()
    var rng = SplitMix64(seed: 21)
    let background = rng.tensor([4, 2, 24, 40], in: 0...0.6)
    for layer in [nil, "features", "act"] as [String?] {
      let maps = try explainer.expectedGradients(
        x, targets: .top(2), background: background, layer: layer, samples: 64, seed: 5)
      XCTAssertEqual(maps.count, 2)
      XCTAssertEqual(
        maps.map { $0.target!.classIndex },
        try explainer.model.logits(x).storage[0] > explainer.model.logits(x).storage[1]
          ? [0, 1] : [1, 0])
      for map in maps {
        let c = try XCTUnwrap(map.completeness)
        let se = try XCTUnwrap(c.standardError)
        XCTAssertGreaterThan(se, 0)
        XCTAssertLessThanOrEqual(abs(c.gap), 3 * se, "layer \(layer ?? "input"): \(c)")
        XCTAssertEqual(
          c.attributionSum, map.values.storage.reduce(0.0) { $0 + Double($1) },
          accuracy: 1e-4 * max(1, abs(c.attributionSum)))
        XCTAssertEqual(map.seed, 5)
        XCTAssertEqual(map.layer, layer)
      }
      if layer == "features" { XCTAssertEqual(maps[0].values.shape, [2, 12, 20]) }
    }
    // With a single background equal to the input, every contribution is 0.
    let zero = try explainer.expectedGradients(x, targets: .index(0), background: x, samples: 4)[0]
    XCTAssertTrue(zero.values.storage.allSatisfy { $0 == 0 })
  }

  func testLayerMethodsNeedALayerThatCutsTheGraph() throws {
    let explainer = Explainer(model: try TinyNetworks.residualModel(seed: 2))
    var rng = SplitMix64(seed: 1)
    let input = rng.tensor([1, 1, 4, 5])
    let background = rng.tensor([2, 1, 4, 5])
    XCTAssertThrowsError(
      try explainer.expectedGradients(
        input, targets: .index(0), background: background, layer: "b", samples: 4)
    ) {
      XCTAssertEqual($0 as? AttributionError, .layerDoesNotSeparate(layer: "b", bypass: "a"))
    }
    let maps = try explainer.expectedGradients(
      input, targets: .index(0), background: background, layer: "c", samples: 400)
    let c = try XCTUnwrap(maps[0].completeness)
    // Linear after "c": every sample's sum is exactly F(x) - F(b) for its b.
    XCTAssertLessThanOrEqual(abs(c.gap), 3 * c.standardError! + 1e-5)
    XCTAssertThrowsError(
      try explainer.expectedGradients(
        input, targets: .index(0), background: Tensor(zeros: [2, 1, 4, 4]), samples: 4))
  }

  func testProgressIsReportedAndCancellationStopsBetweenBatches() throws {
    let explainer = try rectangleExplainer(batch: 2)
    var reports: [(Int, Int)] = []
    _ = try explainer.integratedGradients(
      x, targets: .index(0), steps: 5, control: RunControl(progress: { reports.append(($0, $1)) }))
    XCTAssertEqual(reports.map(\.0), [2, 4, 5])
    XCTAssertTrue(reports.allSatisfy { $0.1 == 5 })
    let token = Cancellation()
    var calls = 0
    let control = RunControl(
      progress: { _, _ in
        calls += 1
        token.cancel()
      }, cancellation: token)
    XCTAssertThrowsError(
      try explainer.smoothGrad(x, targets: .index(0), samples: 50, control: control)
    ) {
      XCTAssertEqual($0 as? NetworkError, .cancelled)
    }
    XCTAssertEqual(calls, 1, "stopped after the first batch")
  }
}
