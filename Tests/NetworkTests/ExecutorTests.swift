import Engine
import Network
import TestSupport
import XCTest

/// y = scale * x, element-wise: a minimal differentiable operator for executor tests.
private struct Scale: Operator {
  var factor: Float
  var opType: String { "Scale" }
  func forward(_ inputs: [Value?]) throws -> [Value] {
    var x = try OperatorInputs.float(inputs, 0, op: opType)
    for i in 0..<x.count { x.storage[i] *= factor }
    return [.float(x)]
  }
  func backward(_ context: BackwardContext) throws -> [Tensor?] {
    var g = context.outputGradient()
    for i in 0..<g.count { g.storage[i] *= factor }
    return [context.wanted[0] ? g : nil]
  }
}

/// z = x + y, same shapes.
private struct Plus: Operator {
  var opType: String { "Plus" }
  func forward(_ inputs: [Value?]) throws -> [Value] {
    var x = try OperatorInputs.float(inputs, 0, op: opType)
    x.accumulate(try OperatorInputs.float(inputs, 1, op: opType))
    return [.float(x)]
  }
  func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let g = context.outputGradient()
    return [context.wanted[0] ? g : nil, context.wanted[1] ? g : nil]
  }
}

final class ExecutorTests: XCTestCase {
  /// x -> a = 2x -> b = 3a ; out = a + b = 8x (a diamond: gradients must accumulate).
  private func diamond() throws -> Network {
    try Network(
      name: "diamond",
      inputs: [TensorSpec(name: "x", shape: [nil, 2])],
      outputs: [TensorSpec(name: "out", shape: nil)],
      nodes: [
        Node(name: "a", op: Scale(factor: 2), inputs: ["x"], outputs: ["a"]),
        Node(name: "b", op: Scale(factor: 3), inputs: ["a"], outputs: ["b"]),
        Node(name: "sum", op: Plus(), inputs: ["a", "b"], outputs: ["out"]),
      ],
      constants: [:])
  }

  func testForwardKeepsRequestedValuesOnly() throws {
    let net = try diamond()
    let x = Tensor(shape: [1, 2], storage: [1, -2])
    let run = try net.forward(["x": .float(x)], keeping: ["a"])
    XCTAssertEqual(run.tensor("out")?.storage, [8, -16])
    XCTAssertEqual(run.tensor("a")?.storage, [2, -4])
    XCTAssertNil(run.values["b"])
  }

  func testBackwardAccumulatesOverBothPaths() throws {
    let net = try diamond()
    let x = Tensor(shape: [1, 2], storage: [1, -2])
    let run = try net.forward(["x": .float(x)], gradientsFor: ["x", "a"])
    let grads = try net.backward(run, seeds: ["out": Tensor(shape: [1, 2], storage: [1, 10])])
    XCTAssertEqual(grads["x"]?.storage, [8, 80])
    XCTAssertEqual(grads["a"]?.storage, [4, 40])
  }

  func testBadFeedsAndNamesAreReported() throws {
    let net = try diamond()
    XCTAssertThrowsError(try net.forward([:])) { error in
      XCTAssertEqual("\(error)", "missing input 'x'")
    }
    XCTAssertThrowsError(try net.forward(["x": .float(Tensor(zeros: [1, 3]))])) { error in
      XCTAssertEqual("\(error)", "input 'x' must be Nx2, got 1x3")
    }
    XCTAssertThrowsError(try net.forward(["x": .float(Tensor(zeros: [1, 2]))], keeping: ["nope"]))
  }

  func testCancellationStopsBetweenNodes() throws {
    let net = try diamond()
    let token = Cancellation()
    token.cancel()
    XCTAssertThrowsError(try net.forward(["x": .float(Tensor(zeros: [1, 2]))], cancellation: token)) {
      XCTAssertEqual($0 as? NetworkError, .cancelled)
    }
  }

  func testGraphValidation() {
    XCTAssertThrowsError(
      try Network(
        name: "bad", inputs: [TensorSpec(name: "x", shape: nil)], outputs: [],
        nodes: [Node(name: "n", op: Scale(factor: 1), inputs: ["y"], outputs: ["z"])], constants: [:])
    ) { XCTAssertEqual($0 as? NetworkError, .undefinedValue("y", node: "n")) }
  }

  func testGradientCheckerAgreesOnALinearOp() throws {
    let result = try checkGradient(of: Scale(factor: 1.5), inputs: [.float(Tensor(shape: [3], storage: [1, 2, 3]))])
    XCTAssertLessThan(result.worstError, 1e-3, "\(result)")
  }
}
