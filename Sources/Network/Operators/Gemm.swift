// ONNX Gemm: a dense layer, Y = alpha * op(A) op(B) + beta * C.
public import Engine

/// ONNX `Gemm` (opset 7-13): `Y = alpha * A' B' + beta * C`, `A'` = `A` or `A^T`, `B'` likewise,
/// `C` optional and unidirectionally broadcast to `[M, N]`.
public struct Gemm: Operator {
  public let opType = "Gemm"
  public let transA: Bool, transB: Bool
  public let alpha: Float, beta: Float
  /// The layer as `x W^T + b` (oneDNN inner product), built when `B` and `C` are constants,
  /// `A` is not transposed and `C` is a row.
  let prepared: InnerProduct?

  /// - Parameters:
  ///   - weights, bias: the constant `B` and `C`, when known at import (`C` nil: the layer
  ///     has none; pass no weights when `C` is computed at run time).
  public init(
    transA: Bool = false, transB: Bool = false, alpha: Float = 1, beta: Float = 1,
    weights: Tensor? = nil, bias: Tensor? = nil
  ) {
    (self.transA, self.transB, self.alpha, self.beta) = (transA, transB, alpha, beta)
    prepared = weights.flatMap {
      Self.innerProduct($0, bias, transA: transA, transB: transB, alpha: alpha, beta: beta)
    }
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let (a, b, c) = try operands(inputs)
    if let prepared, a.shape[1] == prepared.inputs {
      return [.float(prepared.forward(a))]
    }
    return [.float(Dense.gemm(a, b, c: c, transA: transA, transB: transB, alpha: alpha, beta: beta))]
  }

  /// `W = alpha op(B)^T` and `b = beta C` `[N]`; nil when the layer does not have that form
  /// (A transposed, B not 2-D, C not a row) or its weights are too large to duplicate
  /// (``InnerProduct/maximumWeightBytes``).
  static func innerProduct(
    _ b: Tensor, _ c: Tensor?, transA: Bool, transB: Bool, alpha: Float, beta: Float
  ) -> InnerProduct? {
    guard !transA, b.rank == 2, b.count * 4 <= InnerProduct.maximumWeightBytes else { return nil }
    let n = transB ? b.shape[0] : b.shape[1]
    var bias: Tensor?
    if let c {
      let row = c.count == 1 || (c.count == n && (c.rank == 1 || (c.rank == 2 && c.shape[0] == 1)))
      guard row, c.rank <= 2 else { return nil }
      bias = Tensor(shape: [n], storage: (0..<n).map { beta * c.storage[c.count == 1 ? 0 : $0] })
    }
    // B as stored: [N, K] with transB, else [K, N] (the layer reads it transposed, no copy).
    var w = b
    if alpha != 1 { for i in 0..<w.count { w.storage[i] *= alpha } }
    return InnerProduct(weights: w, transposed: !transB, bias: bias)
  }

  /// `dA = alpha dY B'^T`, `dB = alpha A'^T dY` (transposed back as stored), `dC = beta dY`
  /// summed over C's broadcast axes.
  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let (a, b, c) = try operands(context.inputs)
    if let prepared, a.shape[1] == prepared.inputs,
      !context.wanted.dropFirst().contains(true)
    {
      var grads: [Tensor?] = Array(repeating: nil, count: context.inputs.count)
      if context.wanted[0] { grads[0] = prepared.backwardData(context.outputGradient()) }
      return grads
    }
    let g = Dense.gemmBackward(
      context.outputGradient(), a, b, c: c, transA: transA, transB: transB, alpha: alpha, beta: beta,
      wantA: context.wanted[0], wantB: context.wanted.count > 1 && context.wanted[1])
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
