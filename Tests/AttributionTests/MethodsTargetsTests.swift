// Targets and their analytic seeds, the generator, batch sizing, map utilities and .npy export.
import Attribution
import Engine
import Foundation
import Network
import TestSupport
import XCTest

final class MethodsTargetsTests: XCTestCase {
  private let logits: [Float] = [1.5, -0.3, 2.2, 0.1, 2.2]

  func testSelectionsResolveAgainstTheLogits() throws {
    let row = logits[...]
    XCTAssertEqual(
      try TargetSelection.top(3).resolve(logits: row).map(\.classIndex), [2, 4, 0],
      "ties keep index order")
    XCTAssertEqual(
      try TargetSelection(.indices([3, 1]), score: .probability).resolve(logits: row),
      [Target(classIndex: 3, score: .probability), Target(classIndex: 1, score: .probability)])
    XCTAssertEqual(
      try TargetSelection(.contrast(1, versus: 2)).resolve(logits: row),
      [Target(classIndex: 1, versus: 2)])
    XCTAssertThrowsError(try TargetSelection.index(5).resolve(logits: row)) {
      XCTAssertEqual($0 as? AttributionError, .classOutOfRange(5, classes: 5))
    }
    XCTAssertThrowsError(try TargetSelection(.contrast(0, versus: -1)).resolve(logits: row))
    XCTAssertThrowsError(try TargetSelection.top(0).resolve(logits: row))
    XCTAssertEqual(
      Target(classIndex: 3, versus: 1, score: .probability).description, "3 vs 1 (probability)")
  }

  func testScoresOnEachScale() {
    let row = logits[...]
    let e = logits.map { exp(Double($0)) }
    let total = e.reduce(0, +)
    XCTAssertEqual(Target(classIndex: 2).value(logits: row), 2.2, accuracy: 1e-6)
    XCTAssertEqual(
      Target(classIndex: 2, score: .probability).value(logits: row), e[2] / total, accuracy: 1e-12)
    XCTAssertEqual(
      Target(classIndex: 2, score: .logProbability).value(logits: row), log(e[2] / total),
      accuracy: 1e-6)
    XCTAssertEqual(Target(classIndex: 0, versus: 3).value(logits: row), 1.4, accuracy: 1e-6)
  }

  /// The analytic seeds d score / d logits agree with central differences in Double.
  func testSeedsAreTheDerivativesOfTheScores() {
    for kind in ScoreKind.allCases {
      for target in [
        Target(classIndex: 1, score: kind), Target(classIndex: 4, versus: 0, score: kind),
      ] {
        let seed = target.seed(logits: logits[...])
        for j in logits.indices {
          var up = logits
          var down = logits
          up[j] += 1e-2
          down[j] -= 1e-2
          let numeric =
            (target.value(logits: up[...]) - target.value(logits: down[...]))
            / Double(up[j] - down[j])
          XCTAssertEqual(Double(seed[j]), numeric, accuracy: 1e-4, "\(target) logit \(j)")
        }
      }
    }
  }

  /// A contrast target's saliency is the difference of the two classes' saliencies; a
  /// probability target's is the chain rule through the softmax.
  func testContrastAndProbabilityTargetsThroughANetwork() throws {
    let explainer = Explainer(model: try TinyNetworks.rectangleModel())
    let x = TinyNetworks.rectangleInput()
    let both = try explainer.saliency(x, targets: TargetSelection(.indices([0, 1])))
    let contrast = try explainer.saliency(x, targets: TargetSelection(.contrast(0, versus: 1)))[0]
    let expected = zip(both[0].values.storage, both[1].values.storage).map { $0 - $1 }
    XCTAssertLessThan(difference(contrast.values.storage, expected).maxAbs, 1e-6)
    let probability = try explainer.saliency(x, targets: .index(0, score: .probability))[0]
    let p = Target(classIndex: 0, score: .probability).seed(
      logits: try explainer.model.logits(x).storage[...])
    let chain = zip(both[0].values.storage, both[1].values.storage).map { p[0] * $0 + p[1] * $1 }
    XCTAssertLessThan(difference(probability.values.storage, chain).maxAbs, 1e-6)
  }

  func testGeneratorIsSplitMix64() {
    // Reference values of SplitMix64 seeded with 0 (the published test vector).
    var generator = SplitMix64(seed: 0)
    XCTAssertEqual(generator.next(), 0xE220_A839_7B1D_CDAF)
    XCTAssertEqual(generator.next(), 0x6E78_9E6A_A1B9_65F4)
    var normals = SplitMix64(seed: 1)
    let draws = (0..<20_000).map { _ in normals.nextNormal() }
    let mean = draws.reduce(0, +) / 20_000
    let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 20_000
    XCTAssertEqual(mean, 0, accuracy: 0.03)
    XCTAssertEqual(variance, 1, accuracy: 0.05)
    var indices = SplitMix64(seed: 2)
    XCTAssertTrue((0..<1000).allSatisfy { _ in (0..<7).contains(indices.nextIndex(below: 7)) })
  }

  func testBatchSizeFollowsTheBudget() {
    let policy = BatchPolicy(budgetMB: 64, forwardFactor: 16, backwardFactor: 64, maxBatch: 32)
    let image = 3 * 224 * 224  // 602,112 bytes
    XCTAssertEqual(policy.size(itemElements: image, backward: false), 6)  // 64 MiB / 9.6 MB
    XCTAssertEqual(policy.size(itemElements: image, backward: true), 1)
    XCTAssertEqual(policy.size(itemElements: 10, backward: true), 32)
    XCTAssertEqual(BatchPolicy(fixedSize: 5).size(itemElements: image, backward: true), 5)
  }

  func testResizeUsesHalfPixelCentresAndKeepsOrientation() {
    // 2x3 -> 4x6: the first output pixel sits at source -0.25, clamped to 0.
    let plane: [Float] = [0, 1, 2, 10, 11, 12]
    let up = resizeBilinear(plane, height: 2, width: 3, toHeight: 4, width: 6)
    XCTAssertEqual(up[0], 0)
    XCTAssertEqual(up[1], 0.25, accuracy: 1e-6)  // column s = 0.25
    XCTAssertEqual(up[6], 2.5, accuracy: 1e-6)  // row s = 0.25
    XCTAssertEqual(up[23], 12)
    XCTAssertEqual(resizeBilinear(plane, height: 2, width: 3, toHeight: 2, width: 3), plane)
    XCTAssertEqual(minMaxNormalised([2, 4, 3]), [0, 1, 0.5])
    XCTAssertEqual(minMaxNormalised([2, 2]), [0, 0])
    let map = Tensor(shape: [2, 1, 2], storage: [1, -3, -2, 2])
    XCTAssertEqual(reduceChannels(map, .maxAbs).storage, [2, 3])
    XCTAssertEqual(reduceChannels(map, .sum).storage, [-1, -1])
    XCTAssertEqual(peak(of: Tensor(shape: [2, 3], storage: [0, 1, 5, 5, 2, 0])).column, 2)
  }

  func testNPYExportWritesVersion1WithShapeHeader() throws {
    let tensor = Tensor(shape: [2, 3], storage: [1, -2, 3.5, 0, 1e-3, -7])
    let data = [UInt8](tensor.npyData())
    XCTAssertEqual(Array(data[0..<8]), [0x93] + Array("NUMPY".utf8) + [1, 0])
    let headerLength = Int(data[8]) | Int(data[9]) << 8
    XCTAssertEqual((10 + headerLength) % 64, 0)
    let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
    XCTAssertTrue(
      header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header)
    XCTAssertEqual(header.last, "\n")
    XCTAssertEqual(data.count, 10 + headerLength + 24)
    let values = (0..<6).map { i in
      Float(
        bitPattern: (0..<4).reduce(UInt32(0)) {
          $0 | UInt32(data[10 + headerLength + 4 * i + $1]) << (8 * $1)
        })
    }
    XCTAssertEqual(values, tensor.storage)
    let one = String(
      decoding: Tensor(shape: [4], storage: [0, 0, 0, 0]).npyData()[10..<80], as: UTF8.self)
    XCTAssertTrue(one.contains("'shape': (4,)"), one)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "glimpse-map-\(UUID()).npy")
    try tensor.writeNPY(to: url)
    XCTAssertEqual(try Data(contentsOf: url), tensor.npyData())
    try? FileManager.default.removeItem(at: url)
  }
}
