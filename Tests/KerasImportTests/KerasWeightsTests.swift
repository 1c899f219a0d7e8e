import Engine
import KerasImport
import XCTest

final class KerasWeightsTests: XCTestCase {
  func testLayerLookupByName() {
    let weights = KerasWeights(
      layers: [
        KerasLayerWeights(layer: "a", names: ["kernel"], tensors: [Tensor(shape: [1], storage: [1])]),
        KerasLayerWeights(layer: "b", names: ["bias"], tensors: [Tensor(shape: [1], storage: [2])]),
      ], source: "test")
    XCTAssertEqual(weights.layer(named: "b")?.tensors.first?.storage, [2])
    XCTAssertNil(weights.layer(named: "c"))
  }
}
