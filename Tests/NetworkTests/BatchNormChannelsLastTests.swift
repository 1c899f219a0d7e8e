import Engine
@testable import Network
import TestSupport
import XCTest

/// Batch normalisation in the channels-last chain (Xception's separable conv -> BN -> Relu):
/// the plan keeps it NHWC and lets it apply the Relu, and nothing anyone sees changes.
final class BatchNormChannelsLastTests: XCTestCase {
  /// x -> A (3x3) -> bnA -> Relu -> B (depthwise) -> C (1x1) -> bnC -> Add(bnC, relu) -> bnD -> out.
  private func network() throws -> Network {
    var rng = SplitMix64(seed: 41)
    func conv(_ shape: [Int], group: Int = 1, pad: Int) throws -> Conv {
      try Conv(
        group: group, attributes: WindowAttributes(pads: [pad, pad, pad, pad]),
        weights: rng.tensor(shape, in: -0.5...0.5), bias: rng.tensor([shape[0]]))
    }
    var constants: [String: Value] = [:]
    func bn(_ name: String) -> [String] {
      let parts = ["scale", "bias", "mean", "var"].map { "\(name)/\($0)" }
      constants[parts[0]] = .float(rng.tensor([6], in: 0.5...1.5))
      constants[parts[1]] = .float(rng.tensor([6], in: -0.5...0.5))
      constants[parts[2]] = .float(rng.tensor([6], in: -0.5...0.5))
      constants[parts[3]] = .float(rng.tensor([6], in: 0.5...2))
      return parts
    }
    let norm = BatchNormOperator(epsilon: 1e-3)
    let nodes = [
      Node(name: "A", op: try conv([6, 3, 3, 3], pad: 1), inputs: ["x"], outputs: ["a"]),
      Node(name: "bnA", op: norm, inputs: ["a"] + bn("bnA"), outputs: ["a_bn"]),
      Node(
        name: "relu", op: UnaryOperator(opType: "Relu", function: .relu), inputs: ["a_bn"],
        outputs: ["a_act"]),
      Node(name: "B", op: try conv([6, 1, 3, 3], group: 6, pad: 1), inputs: ["a_act"], outputs: ["b"]),
      Node(name: "C", op: try conv([6, 6, 1, 1], pad: 0), inputs: ["b"], outputs: ["c"]),
      Node(name: "bnC", op: norm, inputs: ["c"] + bn("bnC"), outputs: ["c_bn"]),
      Node(
        name: "sum", op: ArithmeticOperator(opType: "Add", operation: .add),
        inputs: ["c_bn", "a_act"], outputs: ["sum"]),
      Node(name: "bnD", op: norm, inputs: ["sum"] + bn("bnD"), outputs: ["out"]),
    ]
    return try Network(
      name: "bn", inputs: [TensorSpec(name: "x", shape: [nil, 3, 7, 5])],
      outputs: [TensorSpec(name: "out", shape: nil)], nodes: nodes, constants: constants)
  }

  private let plain = ExecutionOptions(fusesActivations: false, keepsChannelsLast: false)

  private func input() -> Tensor {
    var rng = SplitMix64(seed: 42)
    return rng.tensor([2, 3, 7, 5], in: -2...2)
  }

  func testThePlanKeepsBatchNormChannelsLastAndFusesItsRelu() throws {
    let net = try network()
    let plan = net.plan(keep: ["out"], gradientsFor: [], options: ExecutionOptions())
    let index = { (name: String) in net.nodes.firstIndex { $0.name == name }! }
    XCTAssertTrue(plan.fusesNext[index("bnA")], "bnA applies the Relu")
    XCTAssertTrue(plan.channelsLast[index("A")], "A hands bnA an NHWC tensor")
    XCTAssertTrue(plan.channelsLast[index("bnA")])
    XCTAssertTrue(plan.channelsLast[index("C")])
    XCTAssertTrue(plan.channelsLast[index("bnC")], "the Add takes NHWC")
    let keeping = net.plan(keep: ["out", "a_bn"], gradientsFor: [], options: ExecutionOptions())
    XCTAssertFalse(keeping.fusesNext[index("bnA")], "a kept pre-activation is not fused away")
  }

  func testOutputsKeptValuesAndGradientsMatchThePlainExecutor() throws {
    let net = try network()
    let x = input()
    let expected = try net.forward(["x": .float(x)], keeping: ["a_bn", "c_bn", "sum"], options: plain)
    let fast = try net.forward(["x": .float(x)])
    assertClose(fast.tensor("out"), expected.tensor("out"), "out")
    for name in ["a_bn", "c_bn", "sum"] {
      let run = try net.forward(["x": .float(x)], keeping: [name])
      assertClose(run.tensor(name), expected.tensor(name), name)
    }
    for target in ["x", "a_act", "c"] {
      func gradients(_ options: ExecutionOptions) throws -> Tensor {
        let run = try net.forward(["x": .float(x)], gradientsFor: [target], options: options)
        var rng = SplitMix64(seed: 43)
        let seed = rng.tensor(run.tensor("out")!.shape)
        return try XCTUnwrap(net.backward(run, seeds: ["out": seed])[target])
      }
      let reference = try gradients(plain)
      XCTAssertGreaterThan(reference.storage.map(abs).max() ?? 0, 0, target)
      assertClose(try gradients(ExecutionOptions()), reference, "gradient at \(target)")
    }
  }

  private func assertClose(_ actual: Tensor?, _ expected: Tensor?, _ label: String) {
    guard let actual, let expected else { return XCTFail("\(label): missing") }
    XCTAssertEqual(actual.shape, expected.shape, label)
    guard actual.shape == expected.shape else { return }
    XCTAssertLessThan(difference(actual, expected).maxAbs, 1e-5, label)
  }
}
