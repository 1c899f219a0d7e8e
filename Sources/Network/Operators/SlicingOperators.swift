// ONNX Slice, Pad and Gather: per-axis index maps run by the engine's gatherAxes, with
// scatterAxes as the VJP. Their int64 parameters come from attributes (old opsets) or inputs.
public import Engine

/// Runs `maps` on a float or int64 value.
private func gathered(_ x: Value, _ maps: AxisMaps, fill: Float = 0, intFill: Int64 = 0) -> Value {
  x.relayout(
    float: { gatherAxes($0, maps, fill: fill) }, int: { gatherAxes($0, maps, fill: intFill) })
}

/// ONNX Slice: starts, ends, axes, steps from attributes (before opset 10) or inputs 1-4.
public struct SliceOperator: Operator {
  public var opType: String { "Slice" }
  /// Parameters fixed by attributes: `(starts, ends, axes)`; nil to read the inputs.
  public let attributes: (starts: [Int64], ends: [Int64], axes: [Int64]?)?

  public init(attributes: (starts: [Int64], ends: [Int64], axes: [Int64]?)? = nil) {
    self.attributes = attributes
  }

  private func maps(_ inputs: [Value?], shape: [Int]) throws -> AxisMaps {
    if let attributes {
      return try checkingShapes {
        try sliceMaps(
          shape: shape, starts: attributes.starts, ends: attributes.ends, axes: attributes.axes,
          steps: nil)
      }
    }
    guard let starts = try intList(inputs, 1, what: "starts"),
      let ends = try intList(inputs, 2, what: "ends")
    else { throw shapeFailure("starts and ends are required") }
    let axes = try intList(inputs, 3, what: "axes")
    let steps = try intList(inputs, 4, what: "steps")
    return try checkingShapes {
      try sliceMaps(shape: shape, starts: starts, ends: ends, axes: axes, steps: steps)
    }
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try anyInput(inputs, 0)
    return [gathered(x, try maps(inputs, shape: x.shape))]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    var result: [Tensor?] = context.inputs.map { _ in nil }
    guard context.wantsFloat(0), let x = context.inputs[0] else { return result }
    let m = try maps(context.inputs, shape: x.shape)
    result[0] = scatterAxes(context.outputGradient(), m, inputShape: x.shape)
    return result
  }
}

/// ONNX Pad: pads (and the fill value) from attributes before opset 11, else from inputs
/// 1 (pads), 2 (constant_value) and 3 (axes, opset 18).
public struct PadOperator: Operator {
  public var opType: String { "Pad" }
  public let mode: PadMode
  /// `(pads, value)` from attributes; nil to read the inputs.
  public let attributes: (pads: [Int64], value: Float)?

  public init(mode: PadMode, attributes: (pads: [Int64], value: Float)? = nil) {
    self.mode = mode
    self.attributes = attributes
  }

  private func maps(_ inputs: [Value?], shape: [Int]) throws -> AxisMaps {
    let pads: [Int64]
    var axes: [Int]? = nil
    if let attributes {
      pads = attributes.pads
    } else {
      guard let given = try intList(inputs, 1, what: "pads") else {
        throw shapeFailure("pads is missing")
      }
      pads = given
      axes = try intList(inputs, 3, what: "axes")?.map { Int(clamping: $0) }
    }
    return try checkingShapes { try padMaps(shape: shape, pads: pads, axes: axes, mode: mode) }
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try anyInput(inputs, 0)
    let m = try maps(inputs, shape: x.shape)
    if let attributes {
      let v = attributes.value
      let intFill: Int64 = v.isFinite && Swift.abs(v) < 9e18 ? Int64(v) : 0
      return [gathered(x, m, fill: v, intFill: intFill)]
    }
    switch OperatorInputs.optional(inputs, 2) {
    case nil: return [gathered(x, m)]
    case .float(let v) where v.count == 1: return [gathered(x, m, fill: v.storage[0])]
    case .int64(let v) where v.count == 1: return [gathered(x, m, intFill: v.storage[0])]
    case let v?: throw shapeFailure("constant_value must be one element, got shape \(v.shape)")
    }
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    var result: [Tensor?] = context.inputs.map { _ in nil }
    guard case .float(let x) = context.inputs[0] else { return result }
    let m = try maps(context.inputs, shape: x.shape)
    let g = context.outputGradient()
    let dx = scatterAxes(g, m, inputShape: x.shape)
    if context.wanted[0] { result[0] = dx }
    if attributes == nil && mode == .constant && context.wantsFloat(2), let v = context.inputs[2] {
      // The fill's gradient: whatever of g did not land on x.
      let total = g.storage.reduce(0, +) - dx.storage.reduce(0, +)
      result[2] = Tensor(shape: v.shape, storage: [total])
    }
    return result
  }
}

/// ONNX Gather: `out = data` indexed along `axis` by int64 `indices` of any shape.
public struct GatherOperator: Operator {
  public var opType: String { "Gather" }
  public let axis: Int
  public init(axis: Int) { self.axis = axis }

  /// The axis maps and the output shape.
  private func plan(_ inputs: [Value?]) throws -> (AxisMaps, [Int]) {
    let data = try anyInput(inputs, 0)
    let indices = try OperatorInputs.int64(inputs, 1, op: opType)
    return try checkingShapes {
      let a = try normalizedAxis(axis, rank: data.shape.count)
      let maps = try gatherMaps(shape: data.shape, axis: a, indices: indices.storage)
      let shape = Array(data.shape[..<a]) + indices.shape + Array(data.shape[(a + 1)...])
      return (maps, shape)
    }
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let (maps, shape) = try plan(inputs)
    return [gathered(try anyInput(inputs, 0), maps).reshaped(shape)]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    guard context.wantsFloat(0), let x = context.inputs[0] else { return [nil, nil] }
    let (maps, _) = try plan(context.inputs)
    let g = context.outputGradient().reshaped(mappedShapeOf(x.shape, maps))
    return [scatterAxes(g, maps, inputShape: x.shape), nil]
  }

  private func mappedShapeOf(_ shape: [Int], _ maps: AxisMaps) -> [Int] {
    shape.indices.map { maps[$0]?.count ?? shape[$0] }
  }
}
