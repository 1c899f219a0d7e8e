// Matrix products for Gemm and MatMul, through OpenBLAS (sgemv when one side is a vector).
import CBLAS

/// Dense layers and batched matrix products, with their gradients.
public enum Dense {
  /// `c[m, n] = alpha * op(a) op(b) + beta * c`, row-major, `op` transposing when asked.
  ///
  /// `a` is `[m, k]` (`[k, m]` if `transA`), `b` is `[k, n]` (`[n, k]` if `transB`).
  /// NB: a single row or column (batch-1 dense layers) is memory-bound, and `cblas_sgemv` runs
  /// it about 2x faster than `sgemm` with n = 1.
  @inlinable
  public static func multiply(
    _ a: UnsafePointer<Float>, transA: Bool, _ b: UnsafePointer<Float>, transB: Bool,
    m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0, into c: UnsafeMutablePointer<Float>
  ) {
    if m == 0 || n == 0 { return }
    if k == 0 {
      for i in 0..<m * n { c[i] = beta == 0 ? 0 : beta * c[i] }
      return
    }
    let (m32, n32, k32) = (Int32(m), Int32(n), Int32(k))
    if m == 1 {
      // c[n] = op(b)^T a: a is a contiguous vector whichever way it is stored.
      if transB {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, n32, k32, alpha, b, k32, a, 1, beta, c, 1)
      } else {
        cblas_sgemv(CblasRowMajor, CblasTrans, k32, n32, alpha, b, n32, a, 1, beta, c, 1)
      }
    } else if n == 1 {
      // c[m] = op(a) b.
      if transA {
        cblas_sgemv(CblasRowMajor, CblasTrans, k32, m32, alpha, a, m32, b, 1, beta, c, 1)
      } else {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, m32, k32, alpha, a, k32, b, 1, beta, c, 1)
      }
    } else {
      cblas_sgemm(
        CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
        m32, n32, k32, alpha, a, transA ? m32 : k32, b, transB ? k32 : n32, beta, c, n32)
    }
  }

  /// ONNX Gemm: `y = alpha * op(A) op(B) + beta * C`, `C` broadcast to `[M, N]`.
  /// - Parameters: `a` `[M, K]` (or `[K, M]`), `b` `[K, N]` (or `[N, K]`), `c` of a shape
  ///   unidirectionally broadcastable to `[M, N]` (`[]`, `[N]`, `[1, N]`, `[M, 1]`, `[M, N]`).
  /// - Returns: `[M, N]`.
  public static func gemm(
    _ a: Tensor, _ b: Tensor, c: Tensor?, transA: Bool, transB: Bool, alpha: Float, beta: Float
  ) -> Tensor {
    let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let n = transB ? b.shape[0] : b.shape[1]
    precondition((transB ? b.shape[1] : b.shape[0]) == k, "gemm inner sizes")
    var y = [Float](repeating: 0, count: m * n)
    var accumulate: Float = 0
    if let c, beta != 0 {
      let (cm, cn) = broadcastExtents(c.shape)
      for i in 0..<m {
        for j in 0..<n { y[i * n + j] = beta * c.storage[(cm == 1 ? 0 : i) * cn + (cn == 1 ? 0 : j)] }
      }
      accumulate = 1
    }
    a.storage.withUnsafeBufferPointer { ap in
      b.storage.withUnsafeBufferPointer { bp in
        y.withUnsafeMutableBufferPointer { yp in
          multiply(
            ap.baseAddress!, transA: transA, bp.baseAddress!, transB: transB, m: m, n: n, k: k,
            alpha: alpha, beta: accumulate, into: yp.baseAddress!)
        }
      }
    }
    return Tensor(shape: [m, n], storage: y)
  }

  /// Gradients of ``gemm(_:_:c:transA:transB:alpha:beta:)`` given `dy` `[M, N]`.
  ///
  /// `dA = alpha dY op(B)^T` (transposed back when `transA`), `dB = alpha op(A)^T dY`
  /// (likewise), `dC = beta dY` summed over the axes `C` broadcast along.
  ///
  /// `wantA` and `wantB` skip a gradient nobody reads (returned as nil): VGG16's fc1 weight
  /// gradient alone is a 411 MB product that explanations, which want `dA` only, never use.
  public static func gemmBackward(
    _ dy: Tensor, _ a: Tensor, _ b: Tensor, c: Tensor?, transA: Bool, transB: Bool,
    alpha: Float, beta: Float, wantA: Bool = true, wantB: Bool = true
  ) -> (a: Tensor?, b: Tensor?, c: Tensor?) {
    let (m, n) = (dy.shape[0], dy.shape[1])
    let k = transA ? a.shape[0] : a.shape[1]
    var da = [Float](repeating: 0, count: wantA ? a.count : 0)
    var db = [Float](repeating: 0, count: wantB ? b.count : 0)
    dy.storage.withUnsafeBufferPointer { dp in
      a.storage.withUnsafeBufferPointer { ap in
        b.storage.withUnsafeBufferPointer { bp in
          let (d, av, bv) = (dp.baseAddress!, ap.baseAddress!, bp.baseAddress!)
          if wantA { da.withUnsafeMutableBufferPointer { out in
            if transA {  // dA [K, M] = op(B) dY^T
              multiply(bv, transA: transB, d, transB: true, m: k, n: m, k: n, alpha: alpha, into: out.baseAddress!)
            } else {  // dA [M, K] = dY op(B)^T
              multiply(d, transA: false, bv, transB: !transB, m: m, n: k, k: n, alpha: alpha, into: out.baseAddress!)
            }
          } }
          if wantB { db.withUnsafeMutableBufferPointer { out in
            if transB {  // dB [N, K] = dY^T op(A)
              multiply(d, transA: true, av, transB: transA, m: n, n: k, k: m, alpha: alpha, into: out.baseAddress!)
            } else {  // dB [K, N] = op(A)^T dY
              multiply(av, transA: !transA, d, transB: false, m: k, n: n, k: m, alpha: alpha, into: out.baseAddress!)
            }
          } }
        }
      }
    }
    var dc: Tensor? = nil
    if let c {
      let (cm, cn) = broadcastExtents(c.shape)
      var sums = [Float](repeating: 0, count: cm * cn)
      for i in 0..<m {
        for j in 0..<n { sums[(cm == 1 ? 0 : i) * cn + (cn == 1 ? 0 : j)] += beta * dy.storage[i * n + j] }
      }
      dc = Tensor(shape: c.shape, storage: sums)
    }
    return (
      wantA ? Tensor(shape: a.shape, storage: da) : nil,
      wantB ? Tensor(shape: b.shape, storage: db) : nil, dc
    )
  }

  /// The `(rows, cols)` a Gemm `C` of this shape spans before broadcasting.
  static func broadcastExtents(_ shape: [Int]) -> (Int, Int) {
    switch shape.count {
    case 0: return (1, 1)
    case 1: return (1, shape[0])
    default: return (shape[shape.count - 2], shape[shape.count - 1])
    }
  }
}
