// The explanation methods on the embedded model against the float64 goldens, with the
// tolerances of Fixtures/golden/README.md ("Tolerance hints").
import Attribution
import Engine
import Network
import TestSupport
import XCTest

final class GoldenMethodsTests: XCTestCase {
  private var explainer: Explainer {
    Explainer(
      model: DifferentiableModel(
        network: GoldenFixtures.network, inputName: "input", logitsName: "logits"))
  }

  /// `[[Double]]` rows of a JSON map, flattened.
  private func flat(_ any: Any?) -> [Double] { (any as! [[Double]]).flatMap { $0 } }

  /// Grad-CAM for 285, 281 and the top-1 at both golden layers: raw maps per cell within
  /// t (1e-2 + max), alpha within the README's rule, normalised maps when max >= 1e-2, same peak.
  func testGradCAMMatchesTheGoldens() throws {
    for name in ["chelsea", "synthetic"] {
      let golden = try GoldenFixtures.json(name)
      let results = (golden["gradcam"] as! [String: Any])["results"] as! [[String: Any]]
      let input = try GoldenFixtures.input(name)
      for (layer, camTolerance, alphaTolerance, normalisedTolerance) in [
        ("top_activation", 1e-3, 1e-5, 1e-3), ("block10_add", 1e-2, 1e-2, 1e-2),
      ] {
        let expected = results.filter { $0["layer"] as! String == layer }
        let classes = expected.map { $0["class_index"] as! Int }
        let maps = try explainer.gradCAM(
          input, targets: TargetSelection(.indices(classes)), layer: layer)
        let top1 = try explainer.gradCAM(input, targets: .top(1), layer: layer)[0]
        XCTAssertEqual(
          top1.target?.classIndex, classes[2], "\(name): the third golden entry is the top-1")
        for (map, reference) in zip(maps, expected) {
          let label = "\(name) \(layer) class \(reference["class_index"]!)"
          let raw = flat(reference["cam_raw"])
          let rawMax = reference["cam_raw_max"] as! Double
          let camLimit = camTolerance * (1e-2 + rawMax)
          let diff = difference(map.values.storage, raw.map(Float.init))
          XCTAssertLessThanOrEqual(diff.maxAbs, camLimit, "\(label): \(diff)")
          print("\(label): cam max|diff| / (1e-2 + max) = \(diff.maxAbs / (1e-2 + rawMax))")
          let alpha = reference["alpha"] as! [Double]
          let alphaLimit = alphaTolerance * alpha.map(abs).max()!
          XCTAssertLessThanOrEqual(
            difference(map.channelWeights!, alpha.map(Float.init)).maxAbs, alphaLimit, label)
          if rawMax >= 1e-2 {
            let normalised = minMaxNormalised(map.values.storage)
            let diffN = difference(normalised, flat(reference["cam_normalised"]).map(Float.init))
            XCTAssertLessThanOrEqual(
              diffN.maxAbs, normalisedTolerance, "\(label) normalised: \(diffN)")
          }
          let goldenPeak = reference["peak"] as! [String: Int]
          let ours = peak(of: map.values)
          let sorted = raw.sorted(by: >)
          if sorted[0] - sorted[1] > camLimit {
            XCTAssertEqual(
              [ours.row, ours.column], [goldenPeak["row"]!, goldenPeak["col"]!], label)
          }
          XCTAssertEqual(map.score!, reference["logit"] as! Double, accuracy: 1e-3, label)
        }
      }
    }
  }

  /// At top_activation only a 7x7 mean and the dense layer follow: alpha = W_fc[c, :] / 49.
  func testGradCAMAlphaIsTheDenseWeightOver49() throws {
    let weights = try XCTUnwrap(GoldenFixtures.network.constants["_fc.weight"]?.floatTensor)
    XCTAssertEqual(weights.shape, [1000, 1280])
    let maps = try explainer.gradCAM(
      try GoldenFixtures.input("chelsea"), targets: TargetSelection(.indices([285, 281, 0])),
      layer: "top_activation")
    for map in maps {
      let c = map.target!.classIndex
      let expected = (0..<1280).map { weights.storage[c * 1280 + $0] / 49 }
      let limit = 1e-5 * Double(expected.map(abs).max()!)
      XCTAssertLessThanOrEqual(
        difference(map.channelWeights!, expected).maxAbs, limit, "class \(c)")
      XCTAssertTrue(map.values.storage.allSatisfy { $0 >= 0 })
    }
  }

  /// IG for 285 on chelsea, zero baseline, 32 right-Riemann steps: the map within relative L2
  /// 2e-2 and cosine 0.9995, its sum within 1e-3 abs_sum, and the +3.5% completeness gap of
  /// the 32-step rule reproduced (not removed).
  func testIntegratedGradientsMatchTheGoldens() throws {
    let golden = try GoldenFixtures.json("chelsea")
    let reference = golden["integrated_gradients"] as! [String: Any]
    let completeness = reference["completeness"] as! [String: Double]
    let absSum = (reference["summary"] as! [String: Any])["abs_sum"] as! Double
    let expected = try GoldenFixtures.tensor("efficientnet-lite0-chelsea.ig-285.f32")
    let map = try explainer.integratedGradients(
      try GoldenFixtures.input("chelsea"), targets: .index(285), baseline: .value(0), steps: 32)[0]
    let diff = difference(map.values.reshaped([1, 3, 224, 224]), expected)
    XCTAssertLessThanOrEqual(diff.relativeL2, 2e-2, "\(diff)")
    XCTAssertGreaterThanOrEqual(diff.cosine, 0.9995, "\(diff)")
    print(
      "IG chelsea 285: \(diff); completeness \(String(describing: map.completeness)); cost \(map.cost)"
    )
    let ours = try XCTUnwrap(map.completeness)
    XCTAssertEqual(ours.attributionSum, completeness["ig_sum"]!, accuracy: 1e-3 * absSum)
    XCTAssertEqual(
      ours.scoreDifference, completeness["logit_x_minus_logit_baseline"]!, accuracy: 2e-3)
    XCTAssertEqual(ours.relativeGap, completeness["relative_gap"]!, accuracy: 2e-3, "the +3.5% gap")
    XCTAssertEqual(map.cost.imagesEvaluated, 2 + 32)
    XCTAssertEqual(map.cost.backwardPasses, map.cost.forwardPasses - 2)
  }

  /// Occlusion, window 32, stride 32, value 0: probability drops within 1e-4 (chelsea) and
  /// logit drops within 1e-3 (synthetic, where p_285 is tiny).
  func testOcclusionMatchesTheGoldens() throws {
    for (name, kind, key, tolerance) in [
      ("chelsea", ScoreKind.probability, "score_prob_drop", 1e-4),
      ("synthetic", .logit, "logit_drop", 1e-3),
    ] {
      let reference = try GoldenFixtures.json(name)["occlusion"] as! [String: Any]
      let map = try explainer.occlusion(
        try GoldenFixtures.input(name), targets: .index(285, score: kind), patch: (32, 32),
        stride: (32, 32),
        baseline: .value(0))[0]
      XCTAssertEqual(map.values.shape, [7, 7])
      let diff = difference(map.values.storage, flat(reference[key]).map(Float.init))
      XCTAssertLessThanOrEqual(diff.maxAbs, tolerance, "\(name) \(key): \(diff)")
      print("occlusion \(name) \(key): \(diff); cost \(map.cost)")
      XCTAssertEqual(map.cost.imagesEvaluated, 50)
    }
  }

  /// Expected gradients at two layers of the real graph (the network's tail from the layer
  /// on): ranked top-2 outputs, completeness within three Monte-Carlo standard errors.
  func testExpectedGradientsAtLayersAreCompleteWithinThreeStandardErrors() throws {
    let x = try GoldenFixtures.input("chelsea")
    let background = Tensor(
      shape: [2, 3, 224, 224],
      storage: GoldenFixtures.syntheticInput().storage + gaussianBlurred(x, sigma: 8).storage)
    let ranked = try GoldenFixtures.json("chelsea")["softmax_top5"] as! [[String: Any]]
    let top2 = ranked.prefix(2).map { $0["index"] as! Int }
    for (layer, shape) in [("top_activation", [1280, 7, 7]), ("block10_add", [112, 14, 14])] {
      let maps = try explainer.expectedGradients(
        x, targets: .top(2), background: background, layer: layer, samples: 32, seed: 1)
      XCTAssertEqual(maps.map { $0.target!.classIndex }, top2, "ranked outputs")
      for map in maps {
        XCTAssertEqual(map.values.shape, shape)
        let c = try XCTUnwrap(map.completeness)
        print("shap \(layer) \(map.target!): \(c), cost \(map.cost)")
        XCTAssertLessThanOrEqual(abs(c.gap), 3 * c.standardError! + 1e-3, "\(layer) \(map.target!)")
      }
    }
  }
}
