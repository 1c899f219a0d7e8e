// ONNX Gemm: a dense layer, Y = alpha * op(A) op(B) + beta * C.
public import Engine

/// ONNX `Gemm` (opset 7-13): `Y = alpha * A' B' + beta * C`, `A'` = `A` or `A^T`, `B'` likewise,
/// `C` optional and unidirectionally broadcast to `[M, N]`.
public struct Gemm: Operator {
  public let opType = "Gemm"
  public let transA: Bool, transB: Bool
  public let alpha: Float, beta: Float

  public init(transA: Bool = false, transB: Bool = false, alpha: Float = 1, beta: Float = 1) {
    (self.transA, self.transB, self.alpha, self.beta) = (transA, transB, alpha, beta)
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let (a, b, c) = try operands(inputs)
    return [.float(Dense.gemm(a, b, c: c, transA: transA, transB: transB, alpha: alpha, beta: beta))]
  }

  /// `dA = alpha dY B'^T`, `dB = alpha A'^T dY` (transposed back as stored), `dC = beta dY`
  /// summed over C's broadcast axes.
  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let (a, b, c) = try operands(context.inputs)
    let g = Dense.gemmBackward(
      context.outputGradient(), a, b, c: c, transA: transA, transB: transB, alpha: alpha, beta: beta)
    // C may have been viewed as a scalar: hand back its gradient in C's own shape.
    let originalC = OperatorInputs.optional(context.inputs, 2)?.shape
    var grads: [Tensor?] = [g.a, g.b, originalC.flatMap { g.c?.reshaped($0) }]
    for i in grads.indices where i >= context.wanted.count || !context.wanted[i] { grads[i] = nil }
    return Array(grads.prefix(context.inputs.count))
  }

  private func operands(_ inputs: [Value?]) throws -> (Tensor, Tensor, Tensor?) {
    let a = try OperatorInputs.float(inputs, 0, op: opType)
    let b = try OperatorInputs.float(inputs, 1, op: opType)
    try OperatorInputs.requireRank(a, 2, op: opType, what: "A")
    try OperatorInputs.requireRank(b, 2, op: opType, what: "B")
    let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (kb, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    guard k == kb else {
      throw OperatorError.invalidInput(
        op: opType,
        message: "A\(transA ? "^T" : "") is \(m)x\(k) but B\(transB ? "^T" : "") is \(kb)x\(n): inner sizes differ")
    }
    guard OperatorInputs.optional(inputs, 2) != nil else { return (a, b, nil) }
    let c = try OperatorInputs.float(inputs, 2, op: opType)
    let fits: Bool
    switch c.rank {
    case 0: fits = true
    case 1: fits = c.shape[0] == n || c.shape[0] == 1
    case 2: fits = (c.shape[0] == m || c.shape[0] == 1) && (c.shape[1] == n || c.shape[1] == 1)
    default: fits = false
    }
    guard fits else {
      throw OperatorError.invalidInput(op: opType, message: "C of shape \(c.shape) does not broadcast to [\(m), \(n)]")
    }
    // [1] and [1, 1] broadcast like a scalar; [k] with k == n like a row.
    let normalised = c.rank == 1 && c.shape[0] == 1 && n != 1 ? c.reshaped([]) : c
    return (a, b, normalised)
  }
}
