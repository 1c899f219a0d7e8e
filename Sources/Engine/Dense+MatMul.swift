// Batched matrix products with numpy broadcasting (ONNX MatMul), and their gradients.

extension Dense {
  /// The sizes of one MatMul: batch shapes broadcast, `[.., M, K] x [.., K, N]`.
  public struct MatMulShape: Sendable, Equatable {
    public var m: Int, k: Int, n: Int
    /// Broadcast batch shape of the output.
    public var batch: [Int]
    /// Row-major batch strides of `a` and `b` over `batch`, 0 along broadcast axes.
    var aStrides: [Int], bStrides: [Int]
    /// The result's shape, with the axes of 1-D operands dropped.
    public var outputShape: [Int]

    /// Sizes for operands of shapes `a` and `b`, or nil when they do not multiply.
    ///
    /// A 1-D `a` is a row `[1, K]` and a 1-D `b` a column `[K, 1]`; the added axis is
    /// removed from the result, as numpy does.
    public init?(_ a: [Int], _ b: [Int]) {
      guard !a.isEmpty, !b.isEmpty else { return nil }
      let a2 = a.count == 1 ? [1, a[0]] : a, b2 = b.count == 1 ? [b[0], 1] : b
      (m, k, n) = (a2[a2.count - 2], a2[a2.count - 1], b2[b2.count - 1])
      guard b2[b2.count - 2] == k else { return nil }
      let ab = Array(a2.dropLast(2)), bb = Array(b2.dropLast(2))
      let rank = max(ab.count, bb.count)
      let ap = Array(repeating: 1, count: rank - ab.count) + ab
      let bp = Array(repeating: 1, count: rank - bb.count) + bb
      var batch: [Int] = []
      for (x, y) in zip(ap, bp) {
        guard x == y || x == 1 || y == 1 else { return nil }
        batch.append(x == 1 ? y : x)
      }
      self.batch = batch
      let (aRow, bRow) = (TensorOf<Float>.strides(of: ap), TensorOf<Float>.strides(of: bp))
      aStrides = zip(ap, aRow).map { $0 == 1 ? 0 : $1 }
      bStrides = zip(bp, bRow).map { $0 == 1 ? 0 : $1 }
      outputShape = batch + (a.count == 1 ? [] : [m]) + (b.count == 1 ? [] : [n])
    }

    /// Number of matrix products.
    public var count: Int { batch.reduce(1, *) }

    /// For output batch index `i`: the batch index of `a` and of `b`.
    func operands(_ i: Int) -> (Int, Int) {
      var (rest, ai, bi) = (i, 0, 0)
      for axis in stride(from: batch.count - 1, through: 0, by: -1) {
        let coordinate = rest % batch[axis]
        rest /= batch[axis]
        ai += coordinate * aStrides[axis]
        bi += coordinate * bStrides[axis]
      }
      return (ai, bi)
    }

    /// Whether `b` is one matrix shared by every batch item and `a` is dense over the batch,
    /// so the whole product is one `[count*M, K] x [K, N]` sgemm.
    var foldsIntoOneProduct: Bool { bStrides.allSatisfy { $0 == 0 } && count > 1 && (0..<count).allSatisfy { operands($0).0 == $0 } }
  }

  /// `y[..] = a[..] b[..]` over the broadcast batch. - Precondition: `MatMulShape(a, b)` exists.
  public static func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    guard let s = MatMulShape(a.shape, b.shape) else { preconditionFailure("matmul \(a.shape) x \(b.shape)") }
    var y = [Float](repeating: 0, count: s.count * s.m * s.n)
    a.storage.withUnsafeBufferPointer { ap in
      b.storage.withUnsafeBufferPointer { bp in
        y.withUnsafeMutableBufferPointer { yp in
          let (av, bv, yv) = (ap.baseAddress!, bp.baseAddress!, yp.baseAddress!)
          if s.foldsIntoOneProduct {
            multiply(av, transA: false, bv, transB: false, m: s.count * s.m, n: s.n, k: s.k, into: yv)
            return
          }
          for i in 0..<s.count {
            let (ai, bi) = s.operands(i)
            multiply(
              av + ai * s.m * s.k, transA: false, bv + bi * s.k * s.n, transB: false,
              m: s.m, n: s.n, k: s.k, into: yv + i * s.m * s.n)
          }
        }
      }
    }
    return Tensor(shape: s.outputShape, storage: y)
  }

  /// Gradients of ``matmul(_:_:)``: `dA = dY B^T`, `dB = A^T dY`, each summed over the batch
  /// axes its operand was broadcast along.
  public static func matmulBackward(_ dy: Tensor, _ a: Tensor, _ b: Tensor) -> (a: Tensor, b: Tensor) {
    guard let s = MatMulShape(a.shape, b.shape) else { preconditionFailure("matmul \(a.shape) x \(b.shape)") }
    precondition(dy.count == s.count * s.m * s.n, "matmul backward: dy \(dy.shape)")
    var da = [Float](repeating: 0, count: a.count)
    var db = [Float](repeating: 0, count: b.count)
    dy.storage.withUnsafeBufferPointer { dp in
      a.storage.withUnsafeBufferPointer { ap in
        b.storage.withUnsafeBufferPointer { bp in
          da.withUnsafeMutableBufferPointer { dap in
            db.withUnsafeMutableBufferPointer { dbp in
              let (d, av, bv) = (dp.baseAddress!, ap.baseAddress!, bp.baseAddress!)
              let (gA, gB) = (dap.baseAddress!, dbp.baseAddress!)
              if s.foldsIntoOneProduct {
                let rows = s.count * s.m
                multiply(d, transA: false, bv, transB: true, m: rows, n: s.k, k: s.n, into: gA)
                multiply(av, transA: true, d, transB: false, m: s.k, n: s.n, k: rows, into: gB)
                return
              }
              // Broadcast operands collect from several products: accumulate with beta = 1.
              for i in 0..<s.count {
                let (ai, bi) = s.operands(i)
                let dyi = d + i * s.m * s.n
                multiply(
                  dyi, transA: false, bv + bi * s.k * s.n, transB: true, m: s.m, n: s.k, k: s.n,
                  beta: 1, into: gA + ai * s.m * s.k)
                multiply(
                  av + ai * s.m * s.k, transA: true, dyi, transB: false, m: s.k, n: s.n, k: s.m,
                  beta: 1, into: gB + bi * s.k * s.n)
              }
            }
          }
        }
      }
    }
    return (Tensor(shape: a.shape, storage: da), Tensor(shape: b.shape, storage: db))
  }
}
