// ONNX unary activations and maths (Relu, LeakyRelu, Sigmoid, Tanh, Erf, Exp, Sqrt, Neg, Abs),
// Clip, and Softmax/LogSoftmax.
public import Engine

/// A unary element-wise op on float data (Neg and Abs also take int64).
public struct UnaryOperator: ElementwiseOperator, FusableActivation {
  public let opType: String
  public let function: UnaryFunction

  public init(opType: String, function: UnaryFunction) {
    self.opType = opType
    self.function = function
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    switch try anyInput(inputs, 0) {
    case .float(let x): return [.float(apply(function, x))]
    case .int64(let x):
      switch function {
      case .neg: return [.int64(IntTensor(shape: x.shape, storage: x.storage.map { 0 &- $0 }))]
      case .abs:
        return [.int64(IntTensor(shape: x.shape, storage: x.storage.map { $0 < 0 ? 0 &- $0 : $0 }))]
      default: throw shapeFailure("input must be float, got int64")
      }
    }
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    guard context.wantsFloat(0), case .float(let x) = context.inputs[0],
      case .float(let y) = context.outputs[0]
    else { return [nil] }
    return [applyBackward(function, x: x, y: y, g: context.outputGradient())]
  }

  /// Relu fuses (its mask `x > 0` is `y > 0`); the other functions do not.
  public func fusedActivation(_ inputs: [Value?]) -> ConvolutionActivation? {
    function == .relu ? .relu : nil
  }
}

/// ONNX Clip: `min(max(x, low), high)`; bounds from attributes (before opset 11) or from the
/// optional scalar inputs 1 and 2 (from opset 11), unbounded when absent.
public struct ClipOperator: ElementwiseOperator, FusableActivation {
  public var opType: String { "Clip" }
  /// Bounds fixed at import (attributes); inputs 1 and 2 override them when given.
  public let low: Float, high: Float

  public init(low: Float = -.infinity, high: Float = .infinity) {
    self.low = low
    self.high = high
  }

  private func bounds(_ inputs: [Value?]) throws -> (Float, Float) {
    (
      try floatScalar(inputs, 1, what: "min") ?? low,
      try floatScalar(inputs, 2, what: "max") ?? high
    )
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    let (lo, hi) = try bounds(inputs)
    return [.float(clip(x, low: lo, high: hi))]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let x = try context.floatInput(0, of: opType)
    let (lo, hi) = try bounds(context.inputs)
    let g = context.outputGradient()
    var result: [Tensor?] = context.inputs.map { _ in nil }
    if context.wanted[0] { result[0] = clipBackward(x: x, low: lo, high: hi, g: g) }
    if context.wantsFloat(1) || context.wantsFloat(2) {
      let (dLow, dHigh) = clipBoundsBackward(x: x, low: lo, high: hi, g: g)
      if context.wantsFloat(1), let shape = context.inputs[1]?.shape {
        result[1] = Tensor(shape: shape, storage: [dLow])
      }
      if context.wantsFloat(2), let shape = context.inputs[2]?.shape {
        result[2] = Tensor(shape: shape, storage: [dHigh])
      }
    }
    return result
  }

  /// Clip with known, ordered bounds fuses: its mask `low < x < high` is `low < y < high`.
  /// (oneDNN's clip differs from ONNX's when `low > high`, and NaN bounds compare false.)
  public func fusedActivation(_ inputs: [Value?]) -> ConvolutionActivation? {
    guard let (low, high) = try? bounds(inputs), low <= high else { return nil }
    return .clip(low: low, high: high)
  }
}

/// ONNX Softmax and LogSoftmax along `axis`.
///
/// NB: before opset 13 the input is coerced to 2-D at `axis` and each row normalised as a
/// whole (`flattened`); from opset 13 only the one axis is normalised.
public struct SoftmaxOperator: Operator {
  public let opType: String
  public let axis: Int
  public let log: Bool
  public let flattened: Bool

  public init(axis: Int, log: Bool, flattened: Bool) {
    self.opType = log ? "LogSoftmax" : "Softmax"
    self.axis = axis
    self.log = log
    self.flattened = flattened
  }

  private func view(_ shape: [Int]) throws -> SoftmaxView {
    if shape.isEmpty { return SoftmaxView(outer: 1, n: 1, inner: 1) }
    let a = try checkingShapes { try normalizedAxis(axis, rank: shape.count) }
    return flattened ? .flattened(at: a, of: shape) : .axis(a, of: shape)
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    return [.float(softmax(x, view: try view(x.shape), log: log))]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    guard context.wanted[0], case .float(let y) = context.outputs[0] else { return [nil] }
    let g = context.outputGradient()
    return [softmaxBackward(y: y, g: g, view: try view(y.shape), log: log)]
  }
}
