// Occlusion and RISE on tiny networks, and the window placement rule.
import Attribution
import Engine
import Network
import TestSupport
import XCTest

final class MethodsPerturbationTests: XCTestCase {
  private let x = TinyNetworks.rectangleInput()

  func testWindowOriginsCoverTheImageWithTheLastWindowFlush() {
    XCTAssertEqual(windowOrigins(size: 224, patch: 32, stride: 32), [0, 32, 64, 96, 128, 160, 192])
    XCTAssertEqual(windowOrigins(size: 10, patch: 4, stride: 3), [0, 3, 6])
    XCTAssertEqual(windowOrigins(size: 11, patch: 4, stride: 3), [0, 3, 6, 7])
    XCTAssertEqual(
      windowOrigins(size: 5, patch: 8, stride: 2), [0], "a patch larger than the image is clamped")
  }

  func testOcclusionPeaksInsideTheRectangleOnANonSquareImage() throws {
    let explainer = Explainer(model: try TinyNetworks.rectangleModel())
    let map = try explainer.occlusion(x, targets: .index(0), patch: (4, 4), stride: (4, 4))[0]
    XCTAssertEqual(map.values.shape, [6, 10])
    XCTAssertEqual(map.patches?.rowOrigins, [0, 4, 8, 12, 16, 20])
    let top = peak(of: map.values)
    let (row, column) = (
      map.patches!.rowOrigins[top.row] + 2, map.patches!.columnOrigins[top.column] + 2
    )
    XCTAssertTrue(TinyNetworks.insideRectangle(row, column), "window centre (\(row), \(column))")
    // Windows that miss the rectangle and its 1-pixel halo leave class 0 unchanged.
    XCTAssertEqual(map.values[0, 0], 0, accuracy: 1e-6)
    XCTAssertEqual(map.cost.imagesEvaluated, 61)
  }

  /// One window covering the whole image: the drop is score(x) - score(baseline), for each
  /// score kind and baseline.
  func testOcclusionWithAWholeImagePatchIsTheScoreDrop() throws {
    let explainer = Explainer(model: try TinyNetworks.rectangleModel())
    for kind in ScoreKind.allCases {
      for baseline in [Baseline.value(0), .value(0.3), .channelMean, .blurred(sigma: 2)] {
        let map = try explainer.occlusion(
          x, targets: .index(1, score: kind), patch: (24, 40), stride: (5, 5), baseline: baseline)[
            0]
        XCTAssertEqual(map.values.shape, [1, 1])
        let target = Target(classIndex: 1, score: kind)
        let drop =
          target.value(logits: try explainer.model.logits(x).storage[...])
          - target.value(
            logits: try explainer.model.logits(try baseline.tensor(for: x)).storage[...])
        XCTAssertEqual(Double(map.values.storage[0]), drop, accuracy: 1e-6, "\(kind) \(baseline)")
      }
    }
  }

  func testOcclusionDoesNotDependOnTheBatchSize() throws {
    let model = try TinyNetworks.rectangleModel()
    let a = try Explainer(model: model, batching: BatchPolicy(fixedSize: 1)).occlusion(
      x, targets: .top(2), patch: (6, 7), stride: (5, 6))
    let b = try Explainer(model: model, batching: BatchPolicy(fixedSize: 7)).occlusion(
      x, targets: .top(2), patch: (6, 7), stride: (5, 6))
    XCTAssertEqual(a.map(\.values), b.map(\.values))
    XCTAssertEqual(a[0].patches?.columnOrigins, [0, 6, 12, 18, 24, 30, 33])
    XCTAssertEqual(a[0].cost.forwardPasses, 1 + 35)
    XCTAssertEqual(b[0].cost.forwardPasses, 1 + 5)
  }

  func testRISEIsSeededBatchIndependentAndFindsTheRectangle() throws {
    let model = try TinyNetworks.rectangleModel()
    let a = try Explainer(model: model, batching: BatchPolicy(fixedSize: 16)).rise(
      x, targets: .index(0), masks: 150, gridSize: 5, seed: 7)[0]
    let b = try Explainer(model: model, batching: BatchPolicy(fixedSize: 7)).rise(
      x, targets: .index(0), masks: 150, gridSize: 5, seed: 7)[0]
    XCTAssertEqual(a.values, b.values)
    XCTAssertEqual(a.values.shape, [24, 40])
    XCTAssertEqual(a.seed, 7)
    let top = peak(of: a.values)
    XCTAssertTrue(TinyNetworks.insideRectangle(top.row, top.column), "RISE peak \(top)")
    let c = try Explainer(model: model).rise(
      x, targets: .index(0), masks: 150, gridSize: 5, seed: 8)[0]
    XCTAssertNotEqual(c.values, a.values)
  }

  /// With keep probability 1 every mask is all ones: the map is the score everywhere.
  func testRISEWithFullMasksIsTheScore() throws {
    let explainer = Explainer(model: try TinyNetworks.rectangleModel())
    let map = try explainer.rise(x, targets: .index(0), masks: 3, keepProbability: 1)[0]
    let score = Float(map.score!)
    XCTAssertTrue(map.values.storage.allSatisfy { abs($0 - score) < 1e-5 })
  }
}
