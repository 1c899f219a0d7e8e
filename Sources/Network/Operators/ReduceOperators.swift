// ONNX ReduceSum and ReduceMean: axes as an attribute (ReduceSum before opset 13, ReduceMean
// before 18) or as the optional int64 input 1 (after), keepdims, noop_with_empty_axes.
public import Engine

/// Sum or mean over axes.
public struct ReduceOperator: Operator {
  public let opType: String
  public let mean: Bool
  /// Axes from the attribute; nil: read input 1, or reduce every axis when it is absent too.
  public let axes: [Int]?
  public let keepDims: Bool
  /// With no axes given (or an empty list), pass the input through instead of reducing all.
  public let noopWithEmptyAxes: Bool

  public init(mean: Bool, axes: [Int]?, keepDims: Bool, noopWithEmptyAxes: Bool) {
    self.opType = mean ? "ReduceMean" : "ReduceSum"
    self.mean = mean
    self.axes = axes
    self.keepDims = keepDims
    self.noopWithEmptyAxes = noopWithEmptyAxes
  }

  /// The reduction for this call, or nil for the no-op.
  private func reduction(_ inputs: [Value?], rank: Int) throws -> Reduction? {
    let given = try axes ?? intList(inputs, 1, what: "axes")?.map { Int(clamping: $0) }
    let list: [Int]
    if let given, !given.isEmpty {
      list = try checkingShapes { try given.map { try normalizedAxis($0, rank: rank) } }
    } else {
      if noopWithEmptyAxes { return nil }
      list = Array(0..<rank)
    }
    return Reduction(axes: Set(list), keepDims: keepDims, mean: mean)
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    guard let r = try reduction(inputs, rank: x.rank) else { return [.float(x)] }
    return [.float(reduce(x, r))]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let x = try context.floatInput(0, of: opType)
    guard context.wanted[0] else { return [nil, nil] }
    let g = context.outputGradient()
    guard let r = try reduction(context.inputs, rank: x.rank) else { return [g, nil] }
    return [reduceBackward(inputShape: x.shape, r, g: g), nil]
  }
}
