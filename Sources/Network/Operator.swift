// The contract between the graph executor and each op.
public import Engine

/// One node's computation: a forward pass and its vector-Jacobian product.
///
/// Operators are immutable values built once at import time (attributes parsed, constants
/// folded); `forward` may be called concurrently from several threads.
public protocol Operator: Sendable {
  /// The op's name as users know it (the ONNX op type, e.g. `Conv`), for messages.
  var opType: String { get }

  /// Computes the outputs from the inputs.
  ///
  /// - Parameter inputs: one entry per declared input; `nil` for an omitted optional input.
  /// - Throws: ``OperatorError`` when the inputs do not fit the op (wrong rank, type or shape).
  func forward(_ inputs: [Value?]) throws -> [Value]

  /// Back-propagates: given the gradient of a scalar with respect to each output, returns
  /// its gradient with respect to each input.
  ///
  /// - Returns: one entry per input; `nil` where `context.wanted[i]` is false or the
  ///   input is not differentiable (int64 data, shape arguments).
  /// - Throws: ``OperatorError/notDifferentiable(_:)`` when a wanted gradient cannot be had.
  func backward(_ context: BackwardContext) throws -> [Tensor?]
}

/// Everything an operator's backward pass may need, handed over by the executor.
public struct BackwardContext: Sendable {
  /// The inputs of the forward pass, as given to `forward`.
  public var inputs: [Value?]
  /// The outputs the forward pass produced.
  public var outputs: [Value]
  /// Gradient of the target with respect to each output; `nil` where no gradient flows.
  public var outputGradients: [Tensor?]
  /// Which inputs' gradients the executor needs.
  public var wanted: [Bool]

  public init(inputs: [Value?], outputs: [Value], outputGradients: [Tensor?], wanted: [Bool]) {
    self.inputs = inputs
    self.outputs = outputs
    self.outputGradients = outputGradients
    self.wanted = wanted
  }

  /// The float input at `index`, or an error naming what arrived instead.
  public func floatInput(_ index: Int, of op: String) throws -> Tensor {
    try OperatorInputs.float(inputs, index, op: op)
  }

  /// The gradient of output `index`, or zeros shaped like that output when none flows.
  public func outputGradient(_ index: Int = 0) -> Tensor {
    if let g = outputGradients[index] { return g }
    return Tensor(zeros: outputs[index].shape)
  }
}

/// A user-caused failure inside an op: the executor adds the node's name.
public enum OperatorError: Error, Equatable, Sendable {
  /// An input is missing, of the wrong element type, rank or shape.
  case invalidInput(op: String, message: String)
  /// A gradient was asked of an input the op cannot differentiate.
  case notDifferentiable(String)
}

extension OperatorError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .invalidInput(let op, let message): return "\(op): \(message)"
    case .notDifferentiable(let what): return "cannot differentiate \(what)"
    }
  }
}

/// Helpers operators use to fetch and check their inputs.
public enum OperatorInputs {
  /// The float tensor at `index`, throwing when it is missing or int64.
  public static func float(_ inputs: [Value?], _ index: Int, op: String) throws -> Tensor {
    guard index < inputs.count, let value = inputs[index] else {
      throw OperatorError.invalidInput(op: op, message: "input \(index) is missing")
    }
    guard case .float(let t) = value else {
      throw OperatorError.invalidInput(
        op: op, message: "input \(index) must be float, got \(value.typeName)")
    }
    return t
  }

  /// The int64 tensor at `index`, throwing when it is missing or float.
  public static func int64(_ inputs: [Value?], _ index: Int, op: String) throws -> IntTensor {
    guard index < inputs.count, let value = inputs[index] else {
      throw OperatorError.invalidInput(op: op, message: "input \(index) is missing")
    }
    guard case .int64(let t) = value else {
      throw OperatorError.invalidInput(
        op: op, message: "input \(index) must be int64, got \(value.typeName)")
    }
    return t
  }

  /// The optional input at `index` (nil when absent or omitted).
  public static func optional(_ inputs: [Value?], _ index: Int) -> Value? {
    index < inputs.count ? inputs[index] : nil
  }

  /// Throws unless `tensor` has the given rank.
  public static func requireRank(_ tensor: some TensorShaped, _ rank: Int, op: String, what: String)
    throws
  {
    guard tensor.shape.count == rank else {
      throw OperatorError.invalidInput(
        op: op, message: "\(what) must have rank \(rank), got shape \(tensor.shape)")
    }
  }
}

/// Anything with a shape (float and int tensors, values).
public protocol TensorShaped {
  var shape: [Int] { get }
}
extension TensorOf: TensorShaped {}
extension Value: TensorShaped {}
