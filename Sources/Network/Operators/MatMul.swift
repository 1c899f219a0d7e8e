// ONNX MatMul: numpy-style batched matrix product.
public import Engine

/// ONNX `MatMul` (opset 1-13): `Y = A B` with numpy semantics (batch axes broadcast, a 1-D `A`
/// is a row and a 1-D `B` a column, the added axis dropped from `Y`).
public struct MatMul: Operator {
  public let opType = "MatMul"

  public init() {}

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let (a, b) = try operands(inputs)
    return [.float(Dense.matmul(a, b))]
  }

  /// `dA = dY B^T`, `dB = A^T dY`, each summed over the batch axes it was broadcast along.
  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let (a, b) = try operands(context.inputs)
    let g = Dense.matmulBackward(context.outputGradient(), a, b)
    return [context.wanted[0] ? g.a : nil, context.wanted[1] ? g.b : nil]
  }

  private func operands(_ inputs: [Value?]) throws -> (Tensor, Tensor) {
    let a = try OperatorInputs.float(inputs, 0, op: opType)
    let b = try OperatorInputs.float(inputs, 1, op: opType)
    guard Dense.MatMulShape(a.shape, b.shape) != nil else {
      throw OperatorError.invalidInput(
        op: opType, message: "cannot multiply shapes \(a.shape) and \(b.shape)")
    }
    return (a, b)
  }
}
