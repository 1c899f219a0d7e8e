import Engine
import ModelImport
import Network
import TestSupport
import XCTest

/// The element-wise family's builders across opsets, and the errors they and their operators
/// report, naming the node.
final class ElementwiseBuilderTests: XCTestCase {
  private func f(_ shape: [Int], _ values: [Float]) -> Value {
    .float(Tensor(shape: shape, storage: values))
  }
  private func i(_ values: [Int64]) -> Value {
    .int64(IntTensor(shape: [values.count], storage: values))
  }

  /// Builds `op` at `opset` (inputs at `constants` visible to the builder) and runs it.
  private func run(
    _ op: String, opset: Int64, _ inputs: [Value?], _ attributes: [String: ONNXAttribute] = [:],
    constants: Set<Int> = [], outputs: Int = 1
  ) throws -> [Value] {
    let node = ONNXNode(
      name: "node7", opType: op, inputs: inputs.indices.map { inputs[$0] == nil ? "" : "x\($0)" },
      outputs: (0..<outputs).map { "y\($0)" }, attributes: attributes)
    let context = ONNXNodeContext(
      node: node, opset: opset,
      constantInputs: inputs.indices.map { constants.contains($0) ? inputs[$0] : nil },
      tensorValue: { try Self.value(of: $0) })
    return try OperatorTable.builders[op]!(context).forward(inputs)
  }

  private static func value(of tensor: ONNXTensor) throws -> Value {
    let shape = tensor.dims.map { Int($0) }
    switch tensor.payload {
    case .floats(let v): return .float(Tensor(shape: shape, storage: v))
    case .int64s(let v): return .int64(IntTensor(shape: shape, storage: v))
    default: throw ModelImportError.badTensor(name: tensor.name, message: "test payloads only")
    }
  }

  func testSoftmaxAxisSemanticsChangeAtOpset13() throws {
    let x = f([1, 2, 2], [0, 0, 0, 0])
    // Opset 11: default axis 1 flattens the last two axes into one row of four.
    XCTAssertEqual(
      try run("Softmax", opset: 11, [x])[0].floatTensor?.storage, [0.25, 0.25, 0.25, 0.25])
    // Opset 13: default axis -1 normalises pairs.
    XCTAssertEqual(
      try run("Softmax", opset: 13, [x])[0].floatTensor?.storage, [0.5, 0.5, 0.5, 0.5])
    XCTAssertEqual(
      try run("Softmax", opset: 13, [x], ["axis": .int(0)])[0].floatTensor?.storage, [1, 1, 1, 1])
  }

  func testReduceAxesMoveFromAttributeToInput() throws {
    let x = f([2, 2], [1, 2, 3, 4])
    XCTAssertEqual(
      try run("ReduceSum", opset: 11, [x], ["axes": .ints([1]), "keepdims": .int(0)])[0]
        .floatTensor?.storage, [3, 7])
    XCTAssertEqual(try run("ReduceSum", opset: 13, [x, i([0])])[0].floatTensor?.shape, [1, 2])
    XCTAssertEqual(try run("ReduceSum", opset: 13, [x])[0].floatTensor?.storage, [10])
    XCTAssertEqual(try run("ReduceSum", opset: 13, [x], ["noop_with_empty_axes": .int(1)])[0], x)
    XCTAssertEqual(
      try run("ReduceMean", opset: 17, [x], ["axes": .ints([0])])[0].floatTensor?.storage, [2, 3])
    XCTAssertEqual(
      try run("ReduceMean", opset: 18, [x, i([-1])])[0].floatTensor?.storage, [1.5, 3.5])
    XCTAssertThrowsError(try run("ReduceMean", opset: 18, [x, i([2])])) { error in
      XCTAssertEqual("\(error)", "ReduceMean: axis 2 is out of range for rank 2")
    }
  }

  func testClipBoundsMoveFromAttributesToInputs() throws {
    let x = f([4], [-1, 0.5, 3, 7])
    XCTAssertEqual(
      try run("Clip", opset: 10, [x], ["min": .float(0), "max": .float(6)])[0].floatTensor?.storage,
      [0, 0.5, 3, 6])
    XCTAssertEqual(
      try run("Clip", opset: 12, [x, f([], [0]), f([], [6])])[0].floatTensor?.storage,
      [0, 0.5, 3, 6])
    XCTAssertEqual(
      try run("Clip", opset: 12, [x, nil, f([], [1])])[0].floatTensor?.storage, [-1, 0.5, 1, 1])
    XCTAssertEqual(try run("Clip", opset: 12, [x])[0], x)
  }

  func testPadSliceAndReshapeOpsetVariants() throws {
    let x = f([1, 2], [1, 2])
    XCTAssertEqual(
      try run("Pad", opset: 10, [x], ["pads": .ints([0, 1, 0, 0]), "value": .float(5)])[0]
        .floatTensor?.storage, [5, 1, 2])
    XCTAssertEqual(
      try run("Pad", opset: 11, [x, i([0, 0, 0, 2]), f([], [5])])[0].floatTensor?.storage,
      [1, 2, 5, 5])
    XCTAssertEqual(
      try run("Pad", opset: 18, [x, i([1, 1]), nil, i([-1])], ["mode": .string("edge")])[0]
        .floatTensor?.storage, [1, 1, 2, 2])
    let r = f([5], [0, 1, 2, 3, 4])
    XCTAssertEqual(
      try run("Slice", opset: 9, [r], ["starts": .ints([1]), "ends": .ints([-1])])[0].floatTensor?
        .storage, [1, 2, 3])
    XCTAssertEqual(
      try run("Slice", opset: 10, [r, i([4]), i([0]), i([0]), i([-2])])[0].floatTensor?.storage,
      [4, 2])
    let z = f([0, 3], [])
    XCTAssertEqual(try run("Reshape", opset: 13, [z, i([0, 3])])[0].shape, [0, 3])
    let six = f([2, 3], [1, 2, 3, 4, 5, 6])
    XCTAssertEqual(try run("Reshape", opset: 14, [six, i([-1, 0])])[0].shape, [2, 3])
    XCTAssertThrowsError(try run("Reshape", opset: 14, [six, i([-1, 0])], ["allowzero": .int(1)]))
    XCTAssertEqual(
      try run("Reshape", opset: 14, [z, i([0, 3])], ["allowzero": .int(1)])[0].shape, [0, 3])
  }

  func testSqueezeUnsqueezeShapeAndCast() throws {
    let x = f([1, 3, 1], [1, 2, 3])
    XCTAssertEqual(try run("Squeeze", opset: 11, [x], ["axes": .ints([0])])[0].shape, [3, 1])
    XCTAssertEqual(try run("Squeeze", opset: 13, [x])[0].shape, [3])
    XCTAssertEqual(
      try run("Unsqueeze", opset: 11, [x], ["axes": .ints([-1])])[0].shape, [1, 3, 1, 1])
    XCTAssertEqual(try run("Unsqueeze", opset: 13, [x, i([0])])[0].shape, [1, 1, 3, 1])
    let s = f([2, 3, 4, 5], [Float](repeating: 0, count: 120))
    XCTAssertEqual(try run("Shape", opset: 14, [s], ["start": .int(1)])[0], i([2, 3, 4, 5]))
    XCTAssertEqual(
      try run("Shape", opset: 15, [s], ["start": .int(1), "end": .int(-1)])[0], i([3, 4]))
    XCTAssertEqual(
      try run("Shape", opset: 15, [s], ["start": .int(-9), "end": .int(99)])[0], i([2, 3, 4, 5]))
    XCTAssertEqual(
      try run("Cast", opset: 13, [f([3], [2.7, -2.7, 0])], ["to": .int(7)])[0], i([2, -2, 0]))
    XCTAssertEqual(try run("Cast", opset: 13, [i([3, -1])], ["to": .int(1)])[0], f([2], [3, -1]))
    XCTAssertEqual(try run("Cast", opset: 13, [f([2], [0, -0.5])], ["to": .int(9)])[0], i([0, 1]))
    XCTAssertThrowsError(try run("Cast", opset: 13, [f([1], [.nan])], ["to": .int(7)]))
    XCTAssertThrowsError(try run("Cast", opset: 13, [x], ["to": .int(8)])) { error in
      XCTAssertEqual(
        "\(error)",
        "node 'node7' (Cast): attribute 'to' names data type 8, which Glimpse cannot hold")
    }
  }

  func testConstantsAndDropout() throws {
    XCTAssertEqual(
      try run("Constant", opset: 13, [], ["value_ints": .ints([1, -1])])[0], i([1, -1]))
    XCTAssertEqual(try run("Constant", opset: 13, [], ["value_float": .float(2)])[0], f([], [2]))
    let tensor = ONNXTensor(name: "t", dataType: 1, dims: [2], payload: .floats([1, 2]))
    XCTAssertEqual(
      try run("Constant", opset: 13, [], ["value": .tensor(tensor)])[0], f([2], [1, 2]))
    XCTAssertThrowsError(try run("Constant", opset: 13, []))
    let seven = ONNXTensor(name: "v", dataType: 7, dims: [1], payload: .int64s([7]))
    XCTAssertEqual(
      try run("ConstantOfShape", opset: 13, [i([2])], ["value": .tensor(seven)])[0], i([7, 7]))
    XCTAssertEqual(try run("ConstantOfShape", opset: 13, [i([1, 2])])[0], f([1, 2], [0, 0]))
    let x = f([2], [1, 2])
    let dropped = try run("Dropout", opset: 12, [x, f([], [0.5])], outputs: 2)
    XCTAssertEqual(dropped, [x, i([1, 1])])
    XCTAssertThrowsError(try run("Dropout", opset: 13, [x, nil, i([0])])) { error in
      XCTAssertEqual("\(error)", "node 'node7' (Dropout): training_mode must be a constant")
    }
    XCTAssertThrowsError(try run("Dropout", opset: 13, [x, nil, i([1])], constants: [2]))
    XCTAssertEqual(try run("Dropout", opset: 13, [x, nil, i([0])], constants: [2])[0], x)
    let bn = [f([1, 1], [1]), f([1], [1]), f([1], [0]), f([1], [0]), f([1], [1])]
    XCTAssertThrowsError(try run("BatchNormalization", opset: 14, bn, ["training_mode": .int(1)])) {
      error in
      XCTAssertEqual(
        "\(error)",
        "node 'node7' (BatchNormalization): attribute 'training_mode' "
          + "= 1 (training) is not supported"
      )
    }
  }

  func testGatherAndConcatOnInt64Shapes() throws {
    XCTAssertEqual(
      try run("Gather", opset: 13, [i([8, 3, 224]), .int64(IntTensor(scalar: 0))])[0],
      .int64(IntTensor(scalar: 8)))
    XCTAssertEqual(
      try run("Concat", opset: 13, [i([8]), i([-1])], ["axis": .int(0)])[0], i([8, -1]))
    XCTAssertEqual(try run("Mul", opset: 13, [i([8, 3]), i([2])])[0], i([16, 6]))
    XCTAssertThrowsError(try run("Concat", opset: 13, [i([8]), f([1], [1])], ["axis": .int(0)])) {
      error in
      XCTAssertEqual("\(error)", "Concat: inputs mix float and int64")
    }
    XCTAssertThrowsError(
      try run("Add", opset: 13, [f([2, 3], [1, 2, 3, 4, 5, 6]), f([2], [1, 2])])
    ) { error in
      XCTAssertEqual("\(error)", "Add: shapes [2, 3] and [2] do not broadcast (axis 1: 3 vs 2)")
    }
    XCTAssertThrowsError(try run("Add", opset: 13, [f([1], [1])])) { error in
      XCTAssertEqual("\(error)", "node 'node7' (Add): has 1 inputs; needs 2")
    }
    XCTAssertThrowsError(
      try run("Pad", opset: 13, [f([1], [1]), i([1, 1])], ["mode": .string("mirror")]))
  }

  // MARK: - Through the importer and executor

  private func model(_ nodes: [ONNXNode], initializers: [ONNXTensor] = []) -> ONNXModel {
    ONNXModel(
      irVersion: 8, producerName: "test", opsetImports: ["": 17],
      graph: ONNXGraph(
        nodes: nodes, initializers: initializers,
        inputs: [ONNXValueInfo(name: "x", elementType: 1, shape: [nil, 3, 2, 2])],
        outputs: [ONNXValueInfo(name: "y", elementType: 1)]))
  }

  private var importer: ONNXImporter { ONNXImporter(tensorValue: { try Self.value(of: $0) }) }

  /// x [N,3,2,2] -> Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])): the int64 shape
  /// arithmetic PyTorch exports for `x.view(x.size(0), -1)`, run with a batch the graph never saw.
  func testDynamicFlattenThroughShapeArithmetic() throws {
    let nodes = [
      ONNXNode(name: "shape", opType: "Shape", inputs: ["x"], outputs: ["s"]),
      ONNXNode(
        name: "gather", opType: "Gather", inputs: ["s", "zero"], outputs: ["n"],
        attributes: ["axis": .int(0)]),
      ONNXNode(name: "unsq", opType: "Unsqueeze", inputs: ["n", "axes0"], outputs: ["n1"]),
      ONNXNode(
        name: "cat", opType: "Concat", inputs: ["n1", "minus1"], outputs: ["spec"],
        attributes: ["axis": .int(0)]),
      ONNXNode(name: "reshape", opType: "Reshape", inputs: ["x", "spec"], outputs: ["y"]),
    ]
    let consts = [
      ONNXTensor(name: "zero", dataType: 7, dims: [], payload: .int64s([0])),
      ONNXTensor(name: "minus1", dataType: 7, dims: [1], payload: .int64s([-1])),
      ONNXTensor(name: "axes0", dataType: 7, dims: [1], payload: .int64s([0])),
    ]
    let net = try importer.makeNetwork(model(nodes, initializers: consts), name: "flatten")
    XCTAssertEqual(net.nodes.count, 5)
    let x = Tensor(shape: [2, 3, 2, 2], storage: (0..<24).map { Float($0) })
    let run = try net.forward(["x": .float(x)], gradientsFor: ["x"])
    XCTAssertEqual(run.tensor("y")?.shape, [2, 12])
    let grads = try net.backward(run, seeds: ["y": Tensor(repeating: 1, shape: [2, 12])])
    XCTAssertEqual(grads["x"]?.shape, [2, 3, 2, 2])
  }

  func testRuntimeAndImportErrorsNameTheNode() throws {
    let add = ONNXNode(name: "bad_add", opType: "Add", inputs: ["x", "b"], outputs: ["y"])
    let b = ONNXTensor(name: "b", dataType: 1, dims: [4], payload: .floats([1, 2, 3, 4]))
    let net = try importer.makeNetwork(model([add], initializers: [b]), name: "bad")
    XCTAssertThrowsError(try net.forward(["x": .float(Tensor(zeros: [1, 3, 2, 2]))])) { error in
      XCTAssertEqual(
        error as? NetworkError,
        .nodeFailed(
          node: "bad_add", opType: "Add",
          message: "Add: shapes [1, 3, 2, 2] and [4] do not broadcast (axis 3: 2 vs 4)"))
    }
    // A node folded at import (all inputs constant) reports through ModelImportError.
    let concat = ONNXNode(
      name: "cat", opType: "Concat", inputs: ["b", "b"], outputs: ["c"],
      attributes: ["axis": .int(1)])
    let plus = ONNXNode(name: "use", opType: "Add", inputs: ["x", "c"], outputs: ["y"])
    XCTAssertThrowsError(
      try importer.makeNetwork(model([concat, plus], initializers: [b]), name: "fold")
    ) { error in
      XCTAssertEqual(
        error as? ModelImportError,
        .badNode(
          node: "cat", opType: "Concat", message: "Concat: axis 1 is out of range for rank 1"))
    }
  }
}
