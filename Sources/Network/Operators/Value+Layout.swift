// Helpers the element-wise, activation, reduction and layout operators share: turning
// engine shape errors into operator errors, reading int64 list inputs, and applying one
// layout change to float and int64 values alike.
import Engine

extension Operator {
  /// An ``OperatorError`` for this op with `message`.
  func shapeFailure(_ message: String) -> OperatorError {
    .invalidInput(op: opType, message: message)
  }

  /// Runs `body`, reporting an engine ``TensorShapeError`` as this op's ``OperatorError``.
  func checkingShapes<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as TensorShapeError {
      throw shapeFailure(error.message)
    }
  }

  /// The int64 list at optional input `index` (nil when omitted), e.g. axes, pads, starts.
  func intList(_ inputs: [Value?], _ index: Int, what: String) throws -> [Int64]? {
    guard let value = OperatorInputs.optional(inputs, index) else { return nil }
    guard case .int64(let t) = value else {
      throw shapeFailure("\(what) (input \(index)) must be int64, got \(value.typeName)")
    }
    guard t.rank <= 1 else {
      throw shapeFailure("\(what) must be a 1-D tensor, got shape \(t.shape)")
    }
    return t.storage
  }

  /// The one-element float at optional input `index` (Clip's min and max, Pad's value).
  func floatScalar(_ inputs: [Value?], _ index: Int, what: String) throws -> Float? {
    guard let value = OperatorInputs.optional(inputs, index) else { return nil }
    guard case .float(let t) = value, t.count == 1 else {
      throw shapeFailure(
        "\(what) (input \(index)) must be one float, got \(value.typeName) \(value.shape)")
    }
    return t.storage[0]
  }

  /// The input at `index`, whatever its element type.
  func anyInput(_ inputs: [Value?], _ index: Int) throws -> Value {
    guard let value = OperatorInputs.optional(inputs, index) else {
      throw shapeFailure("input \(index) is missing")
    }
    return value
  }
}

extension Value {
  /// The same layout change applied to whichever tensor the value holds.
  func relayout(
    float: (Tensor) throws -> Tensor, int: (IntTensor) throws -> IntTensor
  ) rethrows -> Value {
    switch self {
    case .float(let t): return .float(try float(t))
    case .int64(let t): return .int64(try int(t))
    }
  }

  /// The value under a new shape with the same element count.
  func reshaped(_ shape: [Int]) -> Value {
    relayout(float: { $0.reshaped(shape) }, int: { $0.reshaped(shape) })
  }
}

extension BackwardContext {
  /// Whether input `index` is wanted and holds float data (int64 inputs have no gradient).
  func wantsFloat(_ index: Int) -> Bool {
    index < wanted.count && wanted[index] && inputs[index]?.floatTensor != nil
  }
}
