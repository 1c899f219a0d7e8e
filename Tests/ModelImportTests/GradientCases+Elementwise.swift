import Engine
import ModelImport
import Network
import TestSupport
import XCTest

/// A node of `op` reading inputs `x0, x1, ...` (empty names where `omit` says) into `y`.
private func node(
  _ op: String, _ inputCount: Int, omit: Set<Int> = [], outputs: [String] = ["y"],
  _ attributes: [String: ONNXAttribute] = [:]
) -> ONNXNode {
  ONNXNode(
    name: "n", opType: op, inputs: (0..<inputCount).map { omit.contains($0) ? "" : "x\($0)" },
    outputs: outputs, attributes: attributes)
}

/// Uniform float data in `range`, seeded per call site.
private func rand(_ shape: [Int], _ seed: UInt64, _ range: ClosedRange<Double> = -1...1) -> Value {
  var rng = SplitMix64(seed: seed)
  return .float(rng.tensor(shape, in: range))
}

/// Values at least 0.1 away from every kink in `kinks` (Relu, Abs at 0; Clip at its bounds),
/// so a finite-difference step never crosses one.
private func awayFrom(
  _ kinks: [Float], _ shape: [Int], _ seed: UInt64, _ range: ClosedRange<Double> = -2...2
) -> Value {
  var t = rand(shape, seed, range).floatTensor!
  for i in 0..<t.count {
    for k in kinks where abs(t.storage[i] - k) < 0.1 {
      t.storage[i] = k + (t.storage[i] < k ? -0.15 : 0.15)
    }
  }
  return .float(t)
}

/// Values on the grid `offset + k/10`: operands on different offsets never tie within a step,
/// which Max and Min need.
private func grid(_ shape: [Int], _ seed: UInt64, offset: Float) -> Value {
  let t = rand(shape, seed).floatTensor!
  return .float(Tensor(shape: shape, storage: t.storage.map { ($0 * 10).rounded() / 10 + offset }))
}

private func ints(_ values: [Int64]) -> Value {
  .int64(IntTensor(shape: [values.count], storage: values))
}
private func scalar(_ v: Float) -> Value { .float(Tensor(scalar: v)) }

private func arithmeticCases() -> [GradientCase] {
  [
    GradientCase(
      label: "Add same shape", node: node("Add", 2),
      inputs: [rand([2, 3, 4], 1), rand([2, 3, 4], 2)]),
    GradientCase(
      label: "Add per-channel [2,3,4,5]+[3,1,1]", node: node("Add", 2),
      inputs: [rand([2, 3, 4, 5], 3), rand([3, 1, 1], 4)]),
    GradientCase(
      label: "Add both ways [1,3,1]+[2,1,4]", node: node("Add", 2),
      inputs: [rand([1, 3, 1], 5), rand([2, 1, 4], 6)]),
    GradientCase(
      label: "Add scalar", node: node("Add", 2), inputs: [scalar(0.5), rand([3, 2], 7)]),
    GradientCase(
      label: "Sub [2,3]-[3]", node: node("Sub", 2), inputs: [rand([2, 3], 8), rand([3], 9)]),
    GradientCase(
      label: "Sub [3,1]-[1,4]", node: node("Sub", 2),
      inputs: [rand([3, 1], 10), rand([1, 4], 11)]),
    GradientCase(
      label: "Mul per-channel", node: node("Mul", 2),
      inputs: [rand([2, 3, 4, 5], 12), rand([1, 3, 1, 1], 13)]),
    GradientCase(
      label: "Mul [4,1]*[3]", node: node("Mul", 2), inputs: [rand([4, 1], 14), rand([3], 15)]),
    GradientCase(
      label: "Div [2,3]/[3]", node: node("Div", 2),
      inputs: [rand([2, 3], 16), rand([3], 17, 0.5...1.5)]),
    GradientCase(
      label: "Div [3,1]/[1,4] negative divisor", node: node("Div", 2),
      inputs: [rand([3, 1], 18), rand([1, 4], 19, -1.5 ... -0.5)]),
    GradientCase(
      label: "Sum of three broadcast", node: node("Sum", 3),
      inputs: [rand([2, 3], 20), rand([3], 21), rand([2, 1], 22)]),
    GradientCase(
      label: "Mean of two", node: node("Mean", 2), inputs: [rand([2, 3], 23), rand([1, 3], 24)]),
    GradientCase(
      label: "Max of three broadcast", node: node("Max", 3),
      inputs: [
        grid([2, 3, 4], 25, offset: 0), grid([3, 1], 26, offset: 0.03), grid([4], 27, offset: 0.06),
      ]),
    GradientCase(
      label: "Min of two", node: node("Min", 2),
      inputs: [grid([3, 4], 28, offset: 0), grid([3, 1], 29, offset: 0.05)]),
    GradientCase(label: "Neg", node: node("Neg", 1), inputs: [rand([2, 5], 30)]),
    GradientCase(
      label: "Abs away from 0", node: node("Abs", 1), inputs: [awayFrom([0], [3, 5], 31)]),
    GradientCase(label: "Exp", node: node("Exp", 1), inputs: [rand([2, 3, 2], 32)]),
    GradientCase(label: "Sqrt", node: node("Sqrt", 1), inputs: [rand([7], 33, 0.5...2)]),
    GradientCase(label: "Erf", node: node("Erf", 1), inputs: [rand([3, 3], 34, -2...2)]),
    GradientCase(
      label: "Expand [3,1] to [2,3,4]", node: node("Expand", 2),
      inputs: [rand([3, 1], 35), ints([2, 1, 4])]),
  ]
}

private func activationCases() -> [GradientCase] {
  [
    GradientCase(
      label: "Relu away from 0", node: node("Relu", 1), inputs: [awayFrom([0], [2, 3, 5], 40)]),
    GradientCase(
      label: "LeakyRelu alpha 0.2", node: node("LeakyRelu", 1, ["alpha": .float(0.2)]),
      inputs: [awayFrom([0], [4, 5], 41)]),
    GradientCase(label: "Sigmoid", node: node("Sigmoid", 1), inputs: [rand([3, 7], 42, -4...4)]),
    GradientCase(label: "Tanh", node: node("Tanh", 1), inputs: [rand([3, 7], 43, -2...2)]),
    GradientCase(
      label: "Clip opset 18 constant bounds", node: node("Clip", 3),
      inputs: [awayFrom([-0.5, 1], [2, 3, 4], 44), scalar(-0.5), scalar(1)],
      constantInputs: [1, 2]),
    GradientCase(
      label: "Clip opset 18 bounds differentiated", node: node("Clip", 3),
      inputs: [awayFrom([-0.5, 1], [2, 3, 4], 45), scalar(-0.5), scalar(1)]),
    GradientCase(
      label: "Clip opset 18 max only (Relu6-like)", node: node("Clip", 3, omit: [1]),
      inputs: [awayFrom([6], [10], 46, 3...9), nil, scalar(6)],
      constantInputs: [2]),
    GradientCase(
      label: "Clip opset 10 attributes",
      node: node("Clip", 1, ["min": .float(0), "max": .float(0.7)]),
      inputs: [awayFrom([0, 0.7], [3, 4], 47)], opset: 10),
    GradientCase(
      label: "Softmax opset 13 axis 1", node: node("Softmax", 1, ["axis": .int(1)]),
      inputs: [rand([2, 3, 4], 48, -2...2)]),
    GradientCase(
      label: "Softmax opset 11 flattens from axis 1", node: node("Softmax", 1),
      inputs: [rand([2, 3, 4], 49, -2...2)], opset: 11),
    GradientCase(
      label: "LogSoftmax default axis", node: node("LogSoftmax", 1),
      inputs: [rand([3, 5], 50, -2...2)]),
    GradientCase(
      label: "LogSoftmax opset 12 axis 0", node: node("LogSoftmax", 1, ["axis": .int(0)]),
      inputs: [rand([2, 3], 51, -2...2)], opset: 12),
  ]
}

private func normalizationCases() -> [GradientCase] {
  [
    GradientCase(
      label: "BatchNormalization X and parameters",
      node: node("BatchNormalization", 5, ["epsilon": .float(1e-3)]),
      inputs: [
        rand([2, 3, 4, 5], 60), rand([3], 61), rand([3], 62), rand([3], 63), rand([3], 64, 0.5...2),
      ]),
    GradientCase(
      label: "BatchNormalization X only, constant statistics", node: node("BatchNormalization", 5),
      inputs: [
        rand([1, 2, 3], 65), rand([2], 66), rand([2], 67), rand([2], 68), rand([2], 69, 0.5...2),
      ],
      constantInputs: [1, 2, 3, 4], opset: 15),
    GradientCase(
      label: "BatchNormalization opset 7 spatial=0",
      node: node("BatchNormalization", 5, ["spatial": .int(0)]),
      inputs: [
        rand([2, 3, 2], 70), rand([3, 2], 71), rand([3, 2], 72), rand([3, 2], 73),
        rand([3, 2], 74, 0.5...2),
      ],
      opset: 7),
    GradientCase(
      label: "Dropout opset 12 with ratio", node: node("Dropout", 2, outputs: ["y", "mask"]),
      inputs: [rand([2, 3], 75), scalar(0.3)], constantInputs: [1], opset: 12),
    GradientCase(
      label: "Dropout opset 10", node: node("Dropout", 1, ["ratio": .float(0.5)]),
      inputs: [rand([4], 76)],
      opset: 10),
  ]
}

private func reductionCases() -> [GradientCase] {
  [
    GradientCase(
      label: "ReduceMean opset 18 axes input [1,-1] keepdims", node: node("ReduceMean", 2),
      inputs: [rand([2, 3, 4], 80), ints([1, -1])]),
    GradientCase(
      label: "ReduceMean opset 13 attribute axes, keepdims 0",
      node: node("ReduceMean", 1, ["axes": .ints([0, 2]), "keepdims": .int(0)]),
      inputs: [rand([2, 3, 4], 81)], opset: 13),
    GradientCase(
      label: "ReduceSum opset 13 axes input keepdims 0",
      node: node("ReduceSum", 2, ["keepdims": .int(0)]),
      inputs: [rand([3, 2, 5], 82), ints([1])], opset: 13),
    GradientCase(
      label: "ReduceSum opset 11 attribute", node: node("ReduceSum", 1, ["axes": .ints([-2])]),
      inputs: [rand([3, 2, 5], 83)], opset: 11),
    GradientCase(
      label: "ReduceSum all axes", node: node("ReduceSum", 1), inputs: [rand([2, 3], 84)]),
  ]
}

private func layoutCases() -> [GradientCase] {
  [
    GradientCase(
      label: "Concat axis 1 of three", node: node("Concat", 3, ["axis": .int(1)]),
      inputs: [rand([2, 1, 3], 90), rand([2, 2, 3], 91), rand([2, 3, 3], 92)]),
    GradientCase(
      label: "Concat axis -1", node: node("Concat", 2, ["axis": .int(-1)]),
      inputs: [rand([2, 2], 93), rand([2, 3], 94)]),
    GradientCase(
      label: "Reshape [0,-1]", node: node("Reshape", 2),
      inputs: [rand([2, 3, 4], 95), ints([0, -1])]),
    GradientCase(
      label: "Flatten axis 2", node: node("Flatten", 1, ["axis": .int(2)]),
      inputs: [rand([2, 3, 2, 2], 96)]),
    GradientCase(
      label: "Transpose NCHW to NHWC", node: node("Transpose", 1, ["perm": .ints([0, 2, 3, 1])]),
      inputs: [rand([2, 3, 4, 5], 97)]),
    GradientCase(
      label: "Transpose default reverses", node: node("Transpose", 1),
      inputs: [rand([2, 3, 4], 98)]),
    GradientCase(
      label: "Squeeze opset 13 input", node: node("Squeeze", 2),
      inputs: [rand([1, 3, 1, 2], 99), ints([-2])]),
    GradientCase(
      label: "Squeeze opset 11 attribute", node: node("Squeeze", 1, ["axes": .ints([0])]),
      inputs: [rand([1, 3, 1], 100)], opset: 11),
    GradientCase(
      label: "Unsqueeze opset 13", node: node("Unsqueeze", 2),
      inputs: [rand([3, 2], 101), ints([0, -1])]),
    GradientCase(
      label: "Unsqueeze opset 11", node: node("Unsqueeze", 1, ["axes": .ints([1])]),
      inputs: [rand([3], 102)],
      opset: 11),
    GradientCase(
      label: "Pad constant opset 18 axes input", node: node("Pad", 4),
      inputs: [rand([2, 3, 4], 103), ints([1, 0, 2, 1]), scalar(0.5), ints([1, 2])]),
    GradientCase(
      label: "Pad reflect H,W", node: node("Pad", 2, ["mode": .string("reflect")]),
      inputs: [rand([1, 2, 3, 4], 104), ints([0, 0, 2, 1, 0, 0, 1, 3])]),
    GradientCase(
      label: "Pad edge", node: node("Pad", 2, ["mode": .string("edge")]),
      inputs: [rand([2, 3], 105), ints([1, 2, 2, 0])]),
    GradientCase(
      label: "Pad wrap opset 19", node: node("Pad", 2, ["mode": .string("wrap")]),
      inputs: [rand([2, 3], 106), ints([0, 2, 1, 4])], opset: 19),
    GradientCase(
      label: "Pad opset 10 attributes with crop",
      node: node("Pad", 1, ["pads": .ints([1, -1, 0, 2])]),
      inputs: [rand([2, 3], 107)], opset: 10),
    GradientCase(
      label: "Slice steps, negative step, huge end", node: node("Slice", 5),
      inputs: [
        rand([4, 5, 6], 108), ints([1, -1, 0]), ints([Int64.max, Int64.min, 5]), ints([0, 1, 2]),
        ints([2, -2, 3]),
      ]),
    GradientCase(
      label: "Slice opset 9 attributes",
      node: node("Slice", 1, ["starts": .ints([1]), "ends": .ints([-1]), "axes": .ints([1])]),
      inputs: [rand([2, 4], 109)], opset: 9),
    GradientCase(
      label: "Gather axis 1 repeated 2-D indices", node: node("Gather", 2, ["axis": .int(1)]),
      inputs: [rand([2, 4, 3], 110), .int64(IntTensor(shape: [2, 2], storage: [0, -1, 3, 0]))]),
    GradientCase(
      label: "Gather scalar index", node: node("Gather", 2),
      inputs: [rand([3, 2], 111), .int64(IntTensor(scalar: 2))]),
    GradientCase(label: "Identity", node: node("Identity", 1), inputs: [rand([3], 112)]),
  ]
}

/// Gradient-check cases for element-wise, activation, normalisation, reduction and shape ops.
let elementwiseGradientCases: [GradientCase] =
  arithmeticCases() + activationCases() + normalizationCases() + reductionCases() + layoutCases()

/// Ops exempt from gradient checks: their outputs are int64 or carry no float gradient.
let elementwiseShapeOnlyOps: Set<String> = ["Shape", "Cast", "ConstantOfShape", "Constant"]

/// Runs every element-wise family case through its builder and the finite-difference check.
final class ElementwiseGradientTests: XCTestCase {
  func testElementwiseGradients() {
    for testCase in elementwiseGradientCases { runGradientCase(testCase) }
  }
}
