// ONNX builders for the layout and shape ops: Concat, Reshape, Flatten, Transpose, Squeeze,
// Unsqueeze, Pad, Slice, Gather, Expand, Identity, Constant, ConstantOfShape, Shape, Cast.
import Engine
import Network

/// Builders for the Shape ops.
let shapeBuilders: [String: OperatorBuilder] = [
  "Concat": { context in
    try context.requireInputs(1...Int.max)
    return ConcatOperator(axis: try context.intValue("axis"))
  },
  "Reshape": { context in
    try context.requireInputs(2...2)
    let allowZero = context.opset >= 14 ? try context.int("allowzero", default: 0) : 0
    return ReshapeOperator(allowZero: allowZero != 0)
  },
  "Flatten": { context in
    try context.requireInputs(1...1)
    return FlattenOperator(axis: try context.intValue("axis", default: 1))
  },
  "Transpose": { context in
    try context.requireInputs(1...1)
    return TransposeOperator(perm: try context.intList("perm"))
  },
  "Squeeze": squeeze(unsqueeze: false), "Unsqueeze": squeeze(unsqueeze: true),
  "Pad": buildPad, "Slice": buildSlice,
  "Gather": { context in
    try context.requireInputs(2...2)
    return GatherOperator(axis: try context.intValue("axis", default: 0))
  },
  "Expand": { context in
    try context.requireInputs(2...2)
    return ExpandOperator()
  },
  "Identity": { context in
    try context.requireInputs(1...1)
    return IdentityOperator()
  },
  "Constant": buildConstant, "ConstantOfShape": buildConstantOfShape,
  "Shape": { context in
    try context.requireInputs(1...1)
    guard context.opset >= 15 else { return ShapeOperator() }
    let end = context.has("end") ? try context.intValue("end") : nil
    return ShapeOperator(start: try context.intValue("start", default: 0), end: end)
  },
  "Cast": { context in
    try context.requireInputs(1...1)
    let to = try context.int("to")
    let known = CastOperator.floatTargets.union(CastOperator.integerTargets)
    guard let code = Int32(exactly: to), known.contains(code) else {
      throw context.attributeError("to", "names data type \(to), which Glimpse cannot hold")
    }
    return CastOperator(target: code)
  },
]

/// Squeeze/Unsqueeze: `axes` attribute before opset 13, input 1 from 13.
private func squeeze(unsqueeze: Bool) -> OperatorBuilder {
  { context in
    if context.opset < 13 {
      try context.requireInputs(1...1)
      let axes = try context.intList("axes")
      if unsqueeze && axes == nil { throw context.attributeError("axes", "is required") }
      return SqueezeOperator(unsqueeze: unsqueeze, axes: axes)
    }
    try context.requireInputs(unsqueeze ? 2...2 : 1...2)
    return SqueezeOperator(unsqueeze: unsqueeze, axes: nil)
  }
}

/// Pad: `pads`, `value` attributes before opset 11; `pads`, `constant_value`, `axes` (18)
/// inputs from 11. `mode` is constant, reflect, edge, or wrap (19).
private func buildPad(_ context: ONNXNodeContext) throws -> any Operator {
  let name = try context.string("mode", default: "constant")
  guard let mode = PadMode(rawValue: name) else {
    throw context.attributeError("mode", "is '\(name)'; expected constant, reflect, edge or wrap")
  }
  if context.opset < 11 {
    try context.requireInputs(1...1)
    let pads = try context.ints("pads")
    return PadOperator(
      mode: mode, attributes: (pads, try context.float("value", default: 0)))
  }
  try context.requireInputs(2...4)
  return PadOperator(mode: mode)
}

/// Slice: `starts`, `ends`, `axes` attributes before opset 10; inputs 1-4 from 10.
private func buildSlice(_ context: ONNXNodeContext) throws -> any Operator {
  if context.opset < 10 {
    try context.requireInputs(1...1)
    let starts = try context.ints("starts")
    let ends = try context.ints("ends")
    let axes = context.has("axes") ? try context.ints("axes") : nil
    guard starts.count == ends.count, axes.map({ $0.count == starts.count }) ?? true else {
      throw context.nodeError("starts, ends and axes must have the same length")
    }
    return SliceOperator(attributes: (starts, ends, axes))
  }
  try context.requireInputs(3...5)
  return SliceOperator()
}

/// Constant: exactly one of `value` (a tensor), `value_float(s)`, `value_int(s)`.
private func buildConstant(_ context: ONNXNodeContext) throws -> any Operator {
  try context.requireInputs(0...0)
  let given = context.node.attributes.keys.filter { $0.hasPrefix("value") || $0 == "sparse_value" }
  guard given.count == 1, let key = given.first else {
    throw context.nodeError("needs exactly one value attribute, got \(given.sorted())")
  }
  let value: Value
  switch key {
  case "value": value = try context.tensor("value")!
  case "value_float": value = .float(Tensor(scalar: try context.float(key)))
  case "value_floats":
    let v = try context.floats(key)
    value = .float(Tensor(shape: [v.count], storage: v))
  case "value_int": value = .int64(IntTensor(scalar: try context.int(key)))
  case "value_ints":
    let v = try context.ints(key)
    value = .int64(IntTensor(shape: [v.count], storage: v))
  default: throw context.attributeError(key, "is not supported (float and integer values only)")
  }
  return ConstantOperator(value: value)
}

/// ConstantOfShape: the fill is the one-element `value` tensor, float 0 by default.
private func buildConstantOfShape(_ context: ONNXNodeContext) throws -> any Operator {
  try context.requireInputs(1...1)
  guard let fill = try context.tensor("value") else { return ConstantOfShapeOperator() }
  guard fill.shape.reduce(1, *) == 1 else {
    throw context.attributeError("value", "must hold one element, got shape \(fill.shape)")
  }
  return ConstantOfShapeOperator(fill: fill)
}
