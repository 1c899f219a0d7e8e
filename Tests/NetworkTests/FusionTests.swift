import Engine
@testable import Network
import TestSupport
import XCTest

/// Fused activations and channels-last values change nothing anyone sees: outputs, kept
/// values and gradients match the plain executor.
final class FusionTests: XCTestCase {
  static let plain = ExecutionOptions(fusesActivations: false, keepsChannelsLast: false)

  /// x → A (3x3) → Clip(0, 6) as inputs → B (depthwise) → Relu → C (1x1) → Add(C, A's
  /// activation) → D (3x3 stride 2) → Relu → MaxPool → out. Clip's bounds come as constant
  /// inputs (opset 11 style); the Add is a residual connection.
  private func network() throws -> Network {
    var rng = SplitMix64(seed: 31)
    func conv(_ shape: [Int], group: Int = 1, pad: Int, stride: Int = 1) throws -> Conv {
      try Conv(
        group: group,
        attributes: WindowAttributes(strides: [stride, stride], pads: [pad, pad, pad, pad]),
        weights: rng.tensor(shape, in: -0.5...0.5), bias: rng.tensor([shape[0]]))
    }
    let nodes = [
      Node(name: "A", op: try conv([8, 3, 3, 3], pad: 1), inputs: ["x"], outputs: ["a"]),
      Node(name: "A_act", op: ClipOperator(), inputs: ["a", "lo", "hi"], outputs: ["a_act"]),
      Node(name: "B", op: try conv([8, 1, 3, 3], group: 8, pad: 1), inputs: ["a_act"], outputs: ["b"]),
      Node(name: "B_act", op: UnaryOperator(opType: "Relu", function: .relu), inputs: ["b"], outputs: ["b_act"]),
      Node(name: "C", op: try conv([8, 8, 1, 1], pad: 0), inputs: ["b_act"], outputs: ["c"]),
      Node(name: "sum", op: ArithmeticOperator(opType: "Add", operation: .add), inputs: ["c", "a_act"], outputs: ["sum"]),
      Node(name: "D", op: try conv([4, 8, 3, 3], pad: 1, stride: 2), inputs: ["sum"], outputs: ["d"]),
      Node(name: "D_act", op: UnaryOperator(opType: "Relu", function: .relu), inputs: ["d"], outputs: ["d_act"]),
      Node(
        name: "pool", op: Pool(.max(indices: false), attributes: WindowAttributes(kernelShape: [2, 2])),
        inputs: ["d_act"], outputs: ["out"]),
    ]
    return try Network(
      name: "fusion", inputs: [TensorSpec(name: "x", shape: [nil, 3, 10, 9])],
      outputs: [TensorSpec(name: "out", shape: nil)], nodes: nodes,
      constants: [
        "lo": .float(Tensor(shape: [], storage: [0])), "hi": .float(Tensor(shape: [], storage: [0.6])),
      ])
  }

  private func input(batch: Int = 2) -> Tensor {
    var rng = SplitMix64(seed: 32)
    return rng.tensor([batch, 3, 10, 9], in: -2...2)
  }

  func testThePlanFusesAndKeepsChannelsLastWhereNobodyLooks() throws {
    let net = try network()
    let plan = net.plan(keep: ["out"], gradientsFor: [], options: ExecutionOptions())
    XCTAssertEqual(plan.fusesNext, [true, false, true, false, false, false, true, false, false])
    // A's activation feeds B and the Add, B's feeds C, C feeds the Add, D's feeds MaxPool:
    // all take NHWC; the pool's output is the graph's.
    XCTAssertEqual(plan.channelsLast, [true, false, true, false, true, false, true, false, false])
    XCTAssertFalse(plan.fusesNext[8], "pooling applies no activation")

    let keeping = net.plan(keep: ["out", "a", "sum"], gradientsFor: [], options: ExecutionOptions())
    XCTAssertFalse(keeping.fusesNext[0], "a kept: its activation must run on its own")
    XCTAssertFalse(keeping.channelsLast[0], "a kept: stored NCHW")
    XCTAssertTrue(keeping.fusesNext[2])

    let plain = net.plan(keep: ["out"], gradientsFor: [], options: Self.plain)
    XCTAssertEqual(plain.fusesNext, Array(repeating: false, count: 9))
    XCTAssertEqual(plain.channelsLast, Array(repeating: false, count: 9))
  }

  func testGradientTargetsAndTheTapeStayNCHW() throws {
    let net = try network()
    let fromInput = net.plan(keep: ["out"], gradientsFor: ["x"], options: ExecutionOptions())
    XCTAssertEqual(fromInput.channelsLast, Array(repeating: false, count: 9))
    XCTAssertTrue(fromInput.fusesNext[0], "fusion is still fine on the tape")

    let fromLayer = net.plan(keep: ["out"], gradientsFor: ["b"], options: ExecutionOptions())
    XCTAssertTrue(fromLayer.fusesNext[0])
    XCTAssertFalse(fromLayer.fusesNext[2], "b is a target: it must exist")
    XCTAssertFalse(fromLayer.channelsLast[0], "A's activation also feeds the Add, on the tape")
    XCTAssertFalse(fromLayer.channelsLast[4], "C is downstream of the target")

    let fromLast = net.plan(keep: ["out"], gradientsFor: ["d_act"], options: ExecutionOptions())
    XCTAssertEqual(fromLast.channelsLast, [true, false, true, false, true, false, false, false, false])
    XCTAssertTrue(fromLast.fusesNext[6], "the target is the fused activation's own output")
  }

  func testOutputsAndKeptValuesMatchThePlainExecutor() throws {
    let net = try network()
    let x = input()
    let names: Set<String> = ["a", "a_act", "b_act", "sum", "d"]
    let expected = try net.forward(["x": .float(x)], keeping: names, options: Self.plain)
    let fast = try net.forward(["x": .float(x)])
    assertClose(fast.tensor("out"), expected.tensor("out"), "out")
    XCTAssertEqual(fast.values.keys.sorted(), ["out"])
    // Each kept value alone, so the rest of the graph still runs fused and channels-last.
    for name in names {
      let run = try net.forward(["x": .float(x)], keeping: [name])
      assertClose(run.tensor(name), expected.tensor(name), name)
      assertClose(run.tensor("out"), expected.tensor("out"), "out keeping \(name)")
    }
  }

  func testGradientsMatchThePlainExecutor() throws {
    let net = try network()
    let x = input()
    for target in ["x", "a", "a_act", "b", "sum", "d_act"] {
      func gradients(_ options: ExecutionOptions) throws -> Tensor {
        let run = try net.forward(["x": .float(x)], gradientsFor: [target], options: options)
        var rng = SplitMix64(seed: 33)
        let seed = rng.tensor(run.tensor("out")!.shape)
        return try XCTUnwrap(net.backward(run, seeds: ["out": seed])[target])
      }
      let expected = try gradients(Self.plain)
      let fast = try gradients(ExecutionOptions())
      XCTAssertGreaterThan(expected.storage.map(abs).max() ?? 0, 0, "\(target): a zero gradient tests nothing")
      assertClose(fast, expected, "gradient at \(target)")
    }
  }

  private func assertClose(_ actual: Tensor?, _ expected: Tensor?, _ label: String) {
    guard let actual, let expected else { return XCTFail("\(label): missing") }
    XCTAssertEqual(actual.shape, expected.shape, label)
    guard actual.shape == expected.shape else { return }
    let d = difference(actual, expected)
    XCTAssertLessThan(d.maxAbs, 1e-5, "\(label): \(d)")
  }
}
