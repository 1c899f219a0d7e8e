// ONNX builders for the element-wise arithmetic and unary maths ops.
import Engine
import Network

/// Builders for Add, Sub, Mul, Div, Sum, Mean, Max, Min, Neg, Abs, Exp, Sqrt, Erf.
///
/// Opset 7 dropped the legacy `broadcast`/`axis` attributes, so every supported opset
/// broadcasts numpy-style and nothing here depends on the opset.
let elementwiseBuilders: [String: OperatorBuilder] = [
  "Add": binary(.add), "Sub": binary(.subtract), "Mul": binary(.multiply), "Div": binary(.divide),
  "Sum": variadic(.sum), "Mean": variadic(.mean), "Max": variadic(.max), "Min": variadic(.min),
  "Neg": unary(.neg), "Abs": unary(.abs), "Exp": unary(.exp), "Sqrt": unary(.sqrt),
  "Erf": unary(.erf),
]

private func binary(_ operation: BinaryArithmetic) -> OperatorBuilder {
  { context in
    try context.requireInputs(2...2)
    return ArithmeticOperator(opType: context.node.opType, operation: operation)
  }
}

private func variadic(_ kind: VariadicOperator.Kind) -> OperatorBuilder {
  { context in
    try context.requireInputs(1...Int.max)
    return VariadicOperator(kind: kind)
  }
}

/// A builder for a unary op without attributes (also used by the activation family).
func unary(_ function: UnaryFunction) -> OperatorBuilder {
  { context in
    try context.requireInputs(1...1)
    return UnaryOperator(opType: context.node.opType, function: function)
  }
}

extension ONNXNodeContext {
  /// Throws unless the node has a number of given inputs in `range` (omitted trailing ones
  /// do not count).
  func requireInputs(_ range: ClosedRange<Int>) throws {
    let count = (node.inputs.lastIndex { !$0.isEmpty } ?? -1) + 1
    guard range.contains(count) else {
      let want =
        range.upperBound == Int.max
        ? "at least \(range.lowerBound)"
        : range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
      throw nodeError("has \(count) inputs; needs \(want)")
    }
  }

  /// An integer attribute as an `Int`.
  func intValue(_ attribute: String, default defaultValue: Int64? = nil) throws -> Int {
    Int(clamping: try int(attribute, default: defaultValue))
  }

  /// An integer-list attribute as `[Int]`, or nil when absent.
  func intList(_ attribute: String) throws -> [Int]? {
    has(attribute) ? try ints(attribute).map { Int(clamping: $0) } : nil
  }
}
