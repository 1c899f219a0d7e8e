import Engine
import Network
import TestSupport
import XCTest

/// The embedded model against float64 references: logits, every layer, and the input gradient.
final class GoldenModelTests: XCTestCase {
  private let inputs = ["chelsea", "synthetic"]

  func testLogitsMatchTheGoldens() throws {
    let net = GoldenFixtures.network
    for name in inputs {
      let golden = try GoldenFixtures.json(name)
      let expected = (golden["logits"] as! [Double]).map(Float.init)
      let run = try net.forward(["input": .float(try GoldenFixtures.input(name))])
      let logits = try XCTUnwrap(run.tensor("logits"))
      XCTAssertEqual(logits.shape, [1, 1000])
      let diff = difference(logits.storage, expected)
      XCTAssertLessThan(diff.maxAbs, 1e-3, "\(name): \(diff)")
      let top5 = (golden["softmax_top5"] as! [[String: Any]]).map { $0["index"] as! Int }
      let ours = (0..<1000).sorted { logits.storage[$0] > logits.storage[$1] }.prefix(5)
      XCTAssertEqual(Array(ours), top5, name)
    }
  }

  /// Every intermediate tensor's checksums: finds the first layer that goes wrong.
  func testEveryLayerMatchesItsChecksums() throws {
    let net = GoldenFixtures.network
    let golden = try GoldenFixtures.json("chelsea")
    let layers = (golden["layer_checksums"] as! [String: Any])["tensors"] as! [[String: Any]]
    let names = Set(layers.map { $0["tensor"] as! String })
    let run = try net.forward(["input": .float(try GoldenFixtures.input("chelsea"))], keeping: names)
    for layer in layers {
      let name = layer["tensor"] as! String
      let t = try XCTUnwrap(run.tensor(name), name)
      XCTAssertEqual(t.shape, layer["shape"] as! [Int], name)
      let absMean = layer["abs_mean"] as! Double
      let sum = t.storage.reduce(0.0) { $0 + Double($1) }
      XCTAssertEqual(sum, layer["sum"] as! Double, accuracy: 1e-4 * absMean * Double(t.count), name)
      for (key, index) in [("first", 0), ("centre", t.count / 2), ("last", t.count - 1)] {
        let ref = layer[key] as! Double
        XCTAssertEqual(Double(t.storage[index]), ref, accuracy: 1e-3 * max(1, abs(ref)), "\(name) \(key)")
      }
    }
  }

  /// d logits[285] / d input: proves the backward pass end to end (golden README tolerances).
  func testSaliencyMatchesTheGoldens() throws {
    let net = GoldenFixtures.network
    for name in inputs {
      let run = try net.forward(["input": .float(try GoldenFixtures.input(name))], gradientsFor: ["input"])
      var seed = Tensor(zeros: [1, 1000])
      seed.storage[285] = 1
      let gradient = try XCTUnwrap(try net.backward(run, seeds: ["logits": seed])["input"])
      let expected = try GoldenFixtures.tensor("efficientnet-lite0-\(name).saliency-285.f32")
      let diff = difference(gradient, expected)
      XCTAssertLessThanOrEqual(diff.relativeL2, 5e-2, "\(name): \(diff)")
      XCTAssertGreaterThanOrEqual(diff.cosine, 0.9995, "\(name): \(diff)")
      let limit = 1e-3 * Double(expected.storage.map { abs($0) }.max()!)
      let close = zip(gradient.storage, expected.storage).filter { abs(Double($0) - Double($1)) <= limit }.count
      XCTAssertGreaterThanOrEqual(Double(close), 0.99 * Double(expected.count), name)
    }
  }

  /// A batch of two gives each item the logits it gets alone.
  func testBatchItemsAreIndependent() throws {
    let net = GoldenFixtures.network
    let a = try GoldenFixtures.input("chelsea"), b = GoldenFixtures.syntheticInput()
    let batch = Tensor(shape: [2, 3, 224, 224], storage: a.storage + b.storage)
    let together = try XCTUnwrap(try net.forward(["input": .float(batch)]).tensor("logits"))
    let alone = try XCTUnwrap(try net.forward(["input": .float(b)]).tensor("logits"))
    let diff = difference(Array(together.storage[1000...]), alone.storage)
    XCTAssertLessThan(diff.maxAbs, 1e-4, "\(diff)")
  }
}
