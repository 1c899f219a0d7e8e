import Engine
import ModelImport
import Network
import TestSupport
import XCTest

/// Gradient-check cases for Conv, Gemm, MatMul, the pooling ops and LRN.
///
/// Tolerances are tighter than the table's default (1e-3, not 1e-2): a gradient term that is
/// 5 % off (e.g. LRN's cross-channel term) must fail.
let convolutionGradientCases: [GradientCase] = (convCases + denseCases + poolingCases).map {
  var tightened = $0
  tightened.tolerance = 1e-3
  return tightened
}

/// Convolution-family ops exempt from gradient checks.
let convolutionShapeOnlyOps: Set<String> = []

/// A node of `opType` reading `inputs.count` values named i0, i1, ...
private func node(_ opType: String, inputs: Int, outputs: Int = 1, _ attributes: [String: ONNXAttribute] = [:]) -> ONNXNode {
  ONNXNode(
    name: "\(opType.lowercased())_under_test", opType: opType, inputs: (0..<inputs).map { "i\($0)" },
    outputs: (0..<outputs).map { "o\($0)" }, attributes: attributes)
}

/// A seeded random float input.
private func random(_ shape: [Int], seed: UInt64) -> Value {
  var rng = SplitMix64(seed: seed)
  return .float(rng.tensor(shape))
}

/// Distinct values spaced 0.05 apart in random order: no max-pool ties within a 1e-2 step.
private func distinct(_ shape: [Int], seed: UInt64) -> Value {
  var rng = SplitMix64(seed: seed)
  let n = shape.reduce(1, *)
  let order = (0..<n).shuffled(using: &rng)
  return .float(Tensor(shape: shape, storage: order.map { Float($0) * 0.05 - Float(n) * 0.025 }))
}

private func ints(_ values: Int64...) -> ONNXAttribute { .ints(values) }

/// Conv with constant weights (the input gradient), and one with dynamic W and B.
private let convCases: [GradientCase] = {
  func conv(
    _ label: String, x: [Int], w: [Int], bias: Bool = true, _ attributes: [String: ONNXAttribute] = [:]
  ) -> GradientCase {
    let seed = UInt64(label.utf8.reduce(0) { $0 &* 31 &+ Int($1) } & 0xFFFF)
    var inputs: [Value?] = [random(x, seed: seed), random(w, seed: seed + 1)]
    if bias { inputs.append(random([w[0]], seed: seed + 2)) }
    return GradientCase(
      label: "Conv \(label)", node: node("Conv", inputs: inputs.count, attributes), inputs: inputs,
      constantInputs: Set(1..<inputs.count))
  }
  var cases = [
    conv("3x3 pads 1", x: [2, 3, 5, 6], w: [4, 3, 3, 3], ["pads": ints(1, 1, 1, 1)]),
    conv("1x1 stride 2", x: [1, 4, 7, 5], w: [3, 4, 1, 1], bias: false, ["strides": ints(2, 2)]),
    conv("2x3 kernel asymmetric pads strides 1x2", x: [1, 2, 6, 7], w: [3, 2, 2, 3],
         ["pads": ints(0, 1, 2, 0), "strides": ints(1, 2), "kernel_shape": ints(2, 3)]),
    conv("groups 2 dilation 2", x: [1, 4, 7, 7], w: [6, 2, 3, 3],
         ["group": .int(2), "dilations": ints(2, 2), "pads": ints(2, 2, 2, 2)]),
    conv("depthwise 3x3 stride 2 pads 0,0,1,1", x: [1, 3, 9, 8], w: [3, 1, 3, 3],
         ["group": .int(3), "strides": ints(2, 2), "pads": ints(0, 0, 1, 1)]),
    conv("depthwise 5x5 SAME_UPPER", x: [2, 2, 8, 7], w: [2, 1, 5, 5],
         ["group": .int(2), "auto_pad": .string("SAME_UPPER")]),
    conv("3x3 SAME_LOWER stride 2", x: [1, 2, 7, 6], w: [2, 2, 3, 3], bias: false,
         ["auto_pad": .string("SAME_LOWER"), "strides": ints(2, 2)]),
    conv("4x4 VALID", x: [1, 1, 6, 5], w: [2, 1, 4, 4], ["auto_pad": .string("VALID")]),
    conv("1-D stride 2", x: [2, 3, 9], w: [2, 3, 3], ["pads": ints(1, 0), "strides": ints(2)]),
  ]
  var dynamic = conv("dynamic W and B", x: [1, 2, 5, 4], w: [3, 2, 2, 2], ["pads": ints(1, 0, 0, 1)])
  dynamic.constantInputs = []
  cases.append(dynamic)
  return cases
}()

private let denseCases: [GradientCase] = [
  GradientCase(
    label: "Gemm transB C row alpha beta",
    node: node("Gemm", inputs: 3, ["transB": .int(1), "alpha": .float(0.5), "beta": .float(2)]),
    inputs: [random([2, 5], seed: 1), random([3, 5], seed: 2), random([3], seed: 3)]),
  GradientCase(
    label: "Gemm transA C column",
    node: node("Gemm", inputs: 3, ["transA": .int(1)]),
    inputs: [random([4, 2], seed: 4), random([4, 3], seed: 5), random([2, 1], seed: 6)]),
  GradientCase(
    label: "Gemm batch 1 (sgemv) scalar C",
    node: node("Gemm", inputs: 3, ["transB": .int(1)]),
    inputs: [random([1, 6], seed: 7), random([4, 6], seed: 8), random([], seed: 9)]),
  GradientCase(
    label: "Gemm no C", node: node("Gemm", inputs: 2),
    inputs: [random([3, 4], seed: 10), random([4, 1], seed: 11)]),
  GradientCase(
    label: "MatMul broadcast batch", node: node("MatMul", inputs: 2),
    inputs: [random([2, 1, 3, 4], seed: 12), random([3, 4, 2], seed: 13)]),
  GradientCase(
    label: "MatMul 1-D A", node: node("MatMul", inputs: 2),
    inputs: [random([4], seed: 14), random([2, 4, 3], seed: 15)]),
  GradientCase(
    label: "MatMul 1-D B", node: node("MatMul", inputs: 2),
    inputs: [random([3, 4], seed: 16), random([4], seed: 17)]),
  GradientCase(
    label: "MatMul shared B folds", node: node("MatMul", inputs: 2),
    inputs: [random([2, 3, 4], seed: 18), random([4, 5], seed: 19)]),
]

private let poolingCases: [GradientCase] = [
  GradientCase(
    label: "MaxPool 3x3 stride 2 pads 1",
    node: node("MaxPool", inputs: 1, ["kernel_shape": ints(3, 3), "strides": ints(2, 2), "pads": ints(1, 1, 1, 1)]),
    inputs: [distinct([1, 2, 7, 6], seed: 20)]),
  GradientCase(
    label: "MaxPool 2x2 ceil mode with Indices",
    node: node("MaxPool", inputs: 1, outputs: 2, ["kernel_shape": ints(2, 2), "strides": ints(2, 2), "ceil_mode": .int(1)]),
    inputs: [distinct([1, 1, 5, 5], seed: 21)]),
  GradientCase(
    label: "MaxPool dilation 2 asymmetric pads",
    node: node("MaxPool", inputs: 1, ["kernel_shape": ints(2, 2), "dilations": ints(2, 2), "pads": ints(0, 1, 1, 0)]),
    inputs: [distinct([1, 2, 6, 5], seed: 22)]),
  GradientCase(
    label: "MaxPool 1-D SAME_UPPER",
    node: node("MaxPool", inputs: 1, ["kernel_shape": ints(3), "strides": ints(2), "auto_pad": .string("SAME_UPPER")]),
    inputs: [distinct([1, 2, 9], seed: 23)]),
  GradientCase(
    label: "AveragePool 3x3 stride 2 pads 1 excluding pad",
    node: node("AveragePool", inputs: 1, ["kernel_shape": ints(3, 3), "strides": ints(2, 2), "pads": ints(1, 1, 1, 1)]),
    inputs: [random([1, 2, 7, 6], seed: 24)]),
  GradientCase(
    label: "AveragePool count_include_pad ceil mode asymmetric",
    node: node("AveragePool", inputs: 1, [
      "kernel_shape": ints(3, 2), "strides": ints(2, 2), "pads": ints(0, 1, 1, 0),
      "count_include_pad": .int(1), "ceil_mode": .int(1),
    ]),
    inputs: [random([2, 1, 6, 5], seed: 25)]),
  GradientCase(
    label: "AveragePool SAME_LOWER",
    node: node("AveragePool", inputs: 1, ["kernel_shape": ints(2, 2), "auto_pad": .string("SAME_LOWER")]),
    inputs: [random([1, 2, 5, 4], seed: 26)]),
  GradientCase(
    label: "GlobalAveragePool", node: node("GlobalAveragePool", inputs: 1),
    inputs: [random([2, 3, 4, 5], seed: 27)]),
  GradientCase(
    label: "GlobalMaxPool", node: node("GlobalMaxPool", inputs: 1),
    inputs: [distinct([2, 3, 3, 4], seed: 28)]),
  GradientCase(
    label: "LRN size 3",
    node: node("LRN", inputs: 1, ["size": .int(3), "alpha": .float(3), "beta": .float(0.75), "bias": .float(1)]),
    inputs: [random([1, 5, 2, 3], seed: 29)]),
  GradientCase(
    label: "LRN size 4 (uneven window)",
    node: node("LRN", inputs: 1, ["size": .int(4), "alpha": .float(4), "beta": .float(0.6), "bias": .float(0.5)]),
    inputs: [random([2, 6, 2, 2], seed: 30)]),
]

/// Runs this family's cases.
final class ConvolutionGradientTests: XCTestCase {
  func testConvolutionFamilyGradients() {
    for testCase in convolutionGradientCases { runGradientCase(testCase) }
  }
}

/// Bad attributes and shapes give typed errors that name the node (and the attribute).
final class ConvolutionFamilyErrorTests: XCTestCase {
  private func build(_ node: ONNXNode, constants: [Value?] = []) throws -> any Operator {
    let context = ONNXNodeContext(
      node: node, opset: 18, constantInputs: constants,
      tensorValue: { _ in throw ModelImportError.badTensor(name: "", message: "no file in tests") })
    return try OperatorTable.builders[node.opType]!(context)
  }

  private func assertBadAttribute(
    _ node: ONNXNode, constants: [Value?] = [], _ attribute: String, line: UInt = #line
  ) {
    XCTAssertThrowsError(try build(node, constants: constants), line: line) { error in
      guard case .badAttribute(let name, let opType, let attr, _) = error as? ModelImportError else {
        return XCTFail("expected badAttribute, got \(error)", line: line)
      }
      XCTAssertEqual(name, node.name, line: line)
      XCTAssertEqual(opType, node.opType, line: line)
      XCTAssertEqual(attr, attribute, line: line)
    }
  }

  func testBadAttributesNameNodeAndAttribute() {
    let w = random([4, 3, 3, 3], seed: 1)
    assertBadAttribute(node("Conv", inputs: 2, ["group": .int(0)]), constants: [nil, w], "group")
    assertBadAttribute(node("Conv", inputs: 2, ["group": .int(3)]), constants: [nil, w], "group")
    assertBadAttribute(node("Conv", inputs: 2, ["strides": ints(1, 1, 1)]), constants: [nil, w], "strides")
    assertBadAttribute(node("Conv", inputs: 2, ["pads": ints(1, 1)]), constants: [nil, w], "pads")
    assertBadAttribute(node("Conv", inputs: 2, ["kernel_shape": ints(5, 5)]), constants: [nil, w], "kernel_shape")
    assertBadAttribute(node("Conv", inputs: 2, ["auto_pad": .string("SAME")]), constants: [nil, w], "auto_pad")
    assertBadAttribute(node("Conv", inputs: 2, ["dilations": ints(0, 1)]), constants: [nil, w], "dilations")
    assertBadAttribute(node("MaxPool", inputs: 1, ["strides": ints(2, 2)]), "kernel_shape")
    assertBadAttribute(node("AveragePool", inputs: 1, ["kernel_shape": ints(2, 2), "count_include_pad": .int(2)]), "count_include_pad")
    assertBadAttribute(node("LRN", inputs: 1, ["size": .int(0)]), "size")
    assertBadAttribute(node("Gemm", inputs: 2, ["transA": .int(2)]), "transA")
  }

  /// Shape errors at run time come out of the executor as `nodeFailed` with the node's name.
  private func assertRunFails(
    _ node: ONNXNode, constants: [Value?], feeds: [Value], mentioning text: String, line: UInt = #line
  ) throws {
    let op = try build(node, constants: constants)
    var graphConstants: [String: Value] = [:]
    for (i, value) in constants.enumerated() { if let value { graphConstants[node.inputs[i]] = value } }
    let inputNames = node.inputs.filter { graphConstants[$0] == nil }
    let network = try Network(
      name: "t", inputs: inputNames.map { TensorSpec(name: $0, shape: nil) },
      outputs: [TensorSpec(name: node.outputs[0], shape: nil)],
      nodes: [Node(name: node.name, op: op, inputs: node.inputs, outputs: node.outputs)],
      constants: graphConstants)
    let feedDict = Dictionary(uniqueKeysWithValues: zip(inputNames, feeds))
    XCTAssertThrowsError(try network.forward(feedDict), line: line) { error in
      guard case .nodeFailed(let name, _, let message) = error as? NetworkError else {
        return XCTFail("expected nodeFailed, got \(error)", line: line)
      }
      XCTAssertEqual(name, node.name, line: line)
      XCTAssertTrue(message.contains(text), "'\(message)' lacks '\(text)'", line: line)
    }
  }

  func testShapeErrorsAtRunTimeNameTheNode() throws {
    let w = random([4, 3, 3, 3], seed: 1)
    try assertRunFails(
      node("Conv", inputs: 2), constants: [nil, w], feeds: [random([1, 5, 8, 8], seed: 2)],
      mentioning: "channels")
    try assertRunFails(
      node("Conv", inputs: 2), constants: [nil, w], feeds: [random([1, 3, 2, 2], seed: 3)],
      mentioning: "does not fit")
    try assertRunFails(
      node("Gemm", inputs: 2), constants: [nil, nil],
      feeds: [random([2, 3], seed: 4), random([4, 5], seed: 5)], mentioning: "inner sizes")
    try assertRunFails(
      node("MatMul", inputs: 2), constants: [nil, nil],
      feeds: [random([2, 3], seed: 6), random([4, 5], seed: 7)], mentioning: "cannot multiply")
    try assertRunFails(
      node("MaxPool", inputs: 1, ["kernel_shape": ints(3, 3)]), constants: [nil],
      feeds: [random([1, 2, 2, 2], seed: 8)], mentioning: "does not fit")
    try assertRunFails(
      node("MaxPool", inputs: 1, ["kernel_shape": ints(3, 3)]), constants: [nil],
      feeds: [random([1, 2, 9], seed: 9)], mentioning: "kernel_shape")
  }
}
