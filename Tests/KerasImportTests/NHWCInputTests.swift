// NHWCInput.channelsFirst: an [N, H, W, C] network behind an [N, C, H, W] input.
import Engine
import KerasImport
import Network
import XCTest

final class NHWCInputTests: XCTestCase {
  /// Channel weights that tell the channels apart.
  private let weights: [Float] = [1, 10, 100]

  /// `y = x * weights` per channel on a channels-last input `x` of `shape`.
  private func channelsLastNetwork(shape: [Int?] = [nil, 4, 5, 3], extra: [Node] = [])
    throws -> Network
  {
    let scale = Node(
      name: "scale", op: ArithmeticOperator(opType: "Mul", operation: .multiply),
      inputs: ["x", "w"], outputs: ["y"])
    return try Network(
      name: "nhwc", inputs: [TensorSpec(name: "x", shape: shape)],
      outputs: [TensorSpec(name: "y", shape: shape)], nodes: [scale] + extra,
      constants: ["w": .float(Tensor(shape: [1, 1, 1, 3], storage: weights))])
  }

  private func ramp(_ shape: [Int], from start: Float) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, storage: (0..<count).map { start + Float($0) * 0.25 })
  }

  private func scaled(_ nhwc: Tensor) -> Tensor {
    Tensor(shape: nhwc.shape, storage: nhwc.storage.enumerated().map { $1 * weights[$0 % 3] })
  }

  func testForwardAndGradientGoThroughTheTranspose() throws {
    let wrapped = try NHWCInput.channelsFirst(try channelsLastNetwork())
    XCTAssertEqual(wrapped.inputs, [TensorSpec(name: "x", shape: [nil, 3, 4, 5])])
    XCTAssertEqual(wrapped.outputs.map(\.name), ["y"])

    let x = ramp([2, 3, 4, 5], from: -7)  // NCHW, H != W so a wrong axis order shows
    let run = try wrapped.forward(["x": .float(x)], gradientsFor: ["x"])
    let y = try XCTUnwrap(run.tensor("y"))
    XCTAssertEqual(y.shape, [2, 4, 5, 3])
    XCTAssertEqual(y.storage, scaled(toChannelsLast(x)).storage)

    let seed = ramp([2, 4, 5, 3], from: 1)
    let gradient = try XCTUnwrap(try wrapped.backward(run, seeds: ["y": seed])["x"])
    XCTAssertEqual(gradient.shape, [2, 3, 4, 5])
    XCTAssertEqual(gradient.storage, toChannelsFirst(scaled(seed)).storage)
  }

  func testChannelsFirstNetworkIsReturnedAsIs() throws {
    let network = try channelsLastNetwork(shape: [nil, 3, 8, 6])
    XCTAssertTrue(try NHWCInput.channelsFirst(network) === network)
    let grey = try channelsLastNetwork(shape: [1, 1, 8, 6])
    XCTAssertTrue(try NHWCInput.channelsFirst(grey) === grey)
  }

  func testDynamicSpatialAxesAndGreyImages() throws {
    let dynamic = try NHWCInput.channelsFirst(try channelsLastNetwork(shape: [nil, nil, nil, 3]))
    XCTAssertEqual(dynamic.inputs.first?.shape, [nil, 3, nil, nil])
    let grey = try NHWCInput.channelsFirst(try channelsLastNetwork(shape: [2, 7, 9, 1]))
    XCTAssertEqual(grey.inputs.first?.shape, [2, 1, 7, 9])
  }

  func testNewNamesDoNotClashWithExistingOnes() throws {
    let clash = Node(
      name: "x/to_nhwc", op: IdentityOperator(), inputs: ["y"], outputs: ["x/nhwc"])
    let wrapped = try NHWCInput.channelsFirst(try channelsLastNetwork(extra: [clash]))
    let transpose = try XCTUnwrap(wrapped.nodes.first)
    XCTAssertEqual(transpose.op.opType, "Transpose")
    XCTAssertEqual(transpose.name, "x/to_nhwc_2")
    XCTAssertEqual(transpose.outputs, ["x/nhwc_2"])
    XCTAssertEqual(wrapped.nodes[1].inputs, ["x/nhwc_2", "w"])
    XCTAssertEqual(wrapped.nodes[2].inputs, ["y"])
  }

  func testInputsThatAreNotOneImageThrow() throws {
    func failure(_ network: Network) -> InputLayoutError? {
      do {
        _ = try NHWCInput.channelsFirst(network)
        return nil
      } catch { return error as? InputLayoutError }
    }
    XCTAssertEqual(
      failure(try channelsLastNetwork(shape: [nil, 4, 5, 5])), .notImage("x", [nil, 4, 5, 5]))
    XCTAssertEqual(failure(try channelsLastNetwork(shape: [4, 5, 3])), .notImage("x", [4, 5, 3]))
    XCTAssertEqual(
      failure(try channelsLastNetwork(shape: [1, 3, 5, 3])), .ambiguous("x", [1, 3, 5, 3]))
    let twoInputs = try Network(
      name: "two", inputs: [TensorSpec(name: "a", shape: nil), TensorSpec(name: "b", shape: nil)],
      outputs: [TensorSpec(name: "c", shape: nil)],
      nodes: [Node(name: "add", op: ArithmeticOperator(opType: "Add", operation: .add),
                   inputs: ["a", "b"], outputs: ["c"])], constants: [:])
    XCTAssertEqual(failure(twoInputs), .inputCount(["a", "b"]))
    let ints = try Network(
      name: "ints", inputs: [TensorSpec(name: "i", elementType: .int64, shape: [1, 4, 4, 3])],
      outputs: [TensorSpec(name: "o", shape: nil)],
      nodes: [Node(name: "id", op: IdentityOperator(), inputs: ["i"], outputs: ["o"])],
      constants: [:])
    XCTAssertEqual(failure(ints), .notFloat("i"))
    let undeclared = try Network(
      name: "undeclared", inputs: [TensorSpec(name: "u", shape: nil)],
      outputs: [TensorSpec(name: "o", shape: nil)],
      nodes: [Node(name: "id", op: IdentityOperator(), inputs: ["u"], outputs: ["o"])],
      constants: [:])
    XCTAssertEqual(failure(undeclared), .notImage("u", nil))
    XCTAssertEqual(
      "\(InputLayoutError.notImage("x", [nil, 4, 5, 5]))",
      "input 'x' of shape [?, 4, 5, 5] is not an image batch: expected [N, C, H, W] or "
        + "[N, H, W, C] with 1 or 3 channels")
  }
}
