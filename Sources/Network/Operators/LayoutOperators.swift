// ONNX ops that only change a value's shape or axis order (Reshape, Flatten, Squeeze,
// Unsqueeze, Transpose, Identity, Dropout, Concat), on float and int64 values. The VJP of a
// pure reshape is the gradient reshaped back.
public import Engine

/// Shared backward of the reshaping ops: the output gradient under the input's shape.
private func reshapeBack(_ context: BackwardContext) -> [Tensor?] {
  var result: [Tensor?] = context.inputs.map { _ in nil }
  if context.wantsFloat(0), let x = context.inputs[0] {
    result[0] = context.outputGradient().reshaped(x.shape)
  }
  return result
}

/// ONNX Reshape with the target shape as int64 input 1 (`0` copies, `-1` infers).
public struct ReshapeOperator: Operator {
  public var opType: String { "Reshape" }
  /// Opset 14's `allowzero = 1`: a 0 in the shape means an empty axis, not "copy".
  public let allowZero: Bool
  public init(allowZero: Bool = false) { self.allowZero = allowZero }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try anyInput(inputs, 0)
    guard let spec = try intList(inputs, 1, what: "shape") else {
      throw shapeFailure("shape is missing")
    }
    let shape = try checkingShapes {
      try reshapeTarget(spec, inputShape: x.shape, allowZero: allowZero)
    }
    return [x.reshaped(shape)]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] { reshapeBack(context) }
}

/// ONNX Flatten: `[prod(shape[..<axis]), prod(shape[axis...])]`.
public struct FlattenOperator: Operator {
  public var opType: String { "Flatten" }
  public let axis: Int
  public init(axis: Int) { self.axis = axis }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try anyInput(inputs, 0)
    return [x.reshaped(try checkingShapes { try flattenedShape(x.shape, axis: axis) })]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] { reshapeBack(context) }
}

/// ONNX Squeeze (axes attribute before opset 13, optional input 1 from 13) and Unsqueeze
/// (axes attribute before 13, required input 1 from 13).
public struct SqueezeOperator: Operator {
  public let opType: String
  public let unsqueeze: Bool
  /// Axes from the attribute; nil: read input 1 (Squeeze: all extent-1 axes when absent).
  public let axes: [Int]?

  public init(unsqueeze: Bool, axes: [Int]?) {
    self.opType = unsqueeze ? "Unsqueeze" : "Squeeze"
    self.unsqueeze = unsqueeze
    self.axes = axes
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try anyInput(inputs, 0)
    let list = try axes ?? intList(inputs, 1, what: "axes")?.map { Int(clamping: $0) }
    let shape: [Int] = try checkingShapes {
      if unsqueeze {
        guard let list else { throw TensorShapeError("axes are required") }
        return try unsqueezedShape(x.shape, axes: list)
      }
      return try squeezedShape(x.shape, axes: list)
    }
    return [x.reshaped(shape)]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] { reshapeBack(context) }
}

/// ONNX Identity, and Dropout in inference (identity, with an all-ones mask when asked).
public struct IdentityOperator: Operator {
  public let opType: String
  public init(opType: String = "Identity") { self.opType = opType }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try anyInput(inputs, 0)
    guard opType == "Dropout" else { return [x] }
    // NB: the mask is bool in ONNX; values here are float or int64, so it is int64 ones.
    return [x, .int64(IntTensor(repeating: 1, shape: x.shape))]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] { reshapeBack(context) }
}

/// ONNX Transpose: output axis `i` is input axis `perm[i]` (reversed axes by default).
public struct TransposeOperator: Operator {
  public var opType: String { "Transpose" }
  public let perm: [Int]?
  public init(perm: [Int]?) { self.perm = perm }

  private func permutation(rank: Int) throws -> [Int] {
    let p = perm ?? Array((0..<rank).reversed())
    try checkingShapes { try checkPermutation(p, rank: rank) }
    return p
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try anyInput(inputs, 0)
    let p = try permutation(rank: x.shape.count)
    return [x.relayout(float: { transposed($0, p) }, int: { transposed($0, p) })]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    guard context.wantsFloat(0), let x = context.inputs[0] else { return [nil] }
    let p = try permutation(rank: x.shape.count)
    return [transposed(context.outputGradient(), inversePermutation(p))]
  }
}

/// ONNX Concat along `axis` (negative counts from the end) of same-typed inputs.
public struct ConcatOperator: Operator {
  public var opType: String { "Concat" }
  public let axis: Int
  public init(axis: Int) { self.axis = axis }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let values = try inputs.indices.map { try anyInput(inputs, $0) }
    guard let first = values.first else { throw shapeFailure("needs at least one input") }
    let a = try checkingShapes { try normalizedAxis(axis, rank: first.shape.count) }
    return [
      try checkingShapes {
        if case .float = first {
          let parts = try values.map { v in
            guard let t = v.floatTensor else {
              throw TensorShapeError("inputs mix float and int64")
            }
            return t
          }
          return .float(try concatenated(parts, axis: a))
        }
        let parts = try values.map { v in
          guard let t = v.intTensor else { throw TensorShapeError("inputs mix float and int64") }
          return t
        }
        return .int64(try concatenated(parts, axis: a))
      }
    ]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let shapes = context.inputs.map { $0?.shape ?? [] }
    guard let first = shapes.first, context.inputs[0]?.floatTensor != nil else {
      return shapes.map { _ in nil }
    }
    let a = try checkingShapes { try normalizedAxis(axis, rank: first.count) }
    let pieces = split(context.outputGradient(), sizes: shapes.map { $0[a] }, axis: a)
    return pieces.indices.map { context.wanted[$0] ? pieces[$0] : nil }
  }
}
