// A dense layer with constant weights, run by oneDNN's inner product.
import Synchronization

/// `y = x W^T + b` with `W` `[N, K]` fixed: a Gemm layer whose weights are known at import.
///
/// NB: oneDNN's inner product, with the weights reordered once, reads them in one stream:
/// VGG16's fc1 (25088 -> 4096) took 23 ms at batch 8 against 45-71 ms for OpenBLAS sgemm,
/// and about the same as sgemv at batch 1. It also runs on the OpenMP threads the
/// convolutions use, while OpenBLAS's own threads spin in `sched_yield` for a long while after
/// each call and took a core from the convolutions that followed.
public final class InnerProduct: Sendable {
  /// `[N, K]`.
  public let weights: Tensor
  /// `[N]`, or nil.
  public let bias: Tensor?
  private let plans = Mutex<[PlanKey: DNNLPrimitive]>([:])

  /// - Precondition: `weights` has rank 2 and `bias`, if any, has `N` elements.
  public init(weights: Tensor, bias: Tensor?) {
    precondition(weights.rank == 2, "inner product weights must be [N, K], got \(weights.shape)")
    precondition(bias == nil || bias!.count == weights.shape[0], "bias size")
    self.weights = weights
    self.bias = bias
  }

  /// `[M, K]` → `[M, N]`.
  public func forward(_ x: Tensor) -> Tensor {
    let (m, k, n) = (x.shape[0], weights.shape[1], weights.shape[0])
    precondition(x.rank == 2 && x.shape[1] == k, "inner product input \(x.shape) for weights \(weights.shape)")
    let y = [Float](unsafeUninitializedCapacity: m * n) { yp, initialised in
      x.storage.withUnsafeBufferPointer { xp in
        let (input, output) = (xp.baseAddress!, yp.baseAddress!)
        if let plan = plan(PlanKey(rows: m, backwardData: false)) {
          if let bias {
            bias.storage.withUnsafeBufferPointer { plan.run(input: input, bias: $0.baseAddress!, output: output) }
          } else {
            plan.run(input: input, bias: nil, output: output)
          }
        } else {
          // oneDNN refused: BLAS, then the bias row by row.
          weights.storage.withUnsafeBufferPointer {
            Dense.multiply(input, transA: false, $0.baseAddress!, transB: true, m: m, n: n, k: k, into: output)
          }
          if let bias { for i in 0..<m { for j in 0..<n { output[i * n + j] += bias.storage[j] } } }
        }
      }
      initialised = m * n
    }
    return Tensor(shape: [m, n], storage: y)
  }

  /// Input gradient: `dx = dy W`, `[M, N]` → `[M, K]`.
  public func backwardData(_ dy: Tensor) -> Tensor {
    let (m, k, n) = (dy.shape[0], weights.shape[1], weights.shape[0])
    precondition(dy.rank == 2 && dy.shape[1] == n, "inner product gradient \(dy.shape) for weights \(weights.shape)")
    let dx = [Float](unsafeUninitializedCapacity: m * k) { xp, initialised in
      dy.storage.withUnsafeBufferPointer { dp in
        if let plan = plan(PlanKey(rows: m, backwardData: true)) {
          plan.run(input: dp.baseAddress!, bias: nil, output: xp.baseAddress!)
        } else {
          weights.storage.withUnsafeBufferPointer {
            Dense.multiply(
              dp.baseAddress!, transA: false, $0.baseAddress!, transB: false, m: m, n: k, k: n,
              into: xp.baseAddress!)
          }
        }
      }
      initialised = m * k
    }
    return Tensor(shape: [m, k], storage: dx)
  }

  /// oneDNN's implementation name for a cached primitive ("" when none was made).
  public func dnnlImplementation(rows: Int, backwardData: Bool) -> String {
    plans.withLock { $0[PlanKey(rows: rows, backwardData: backwardData)]?.implementation } ?? ""
  }

  private func plan(_ key: PlanKey) -> DNNLPrimitive? {
    if let plan = plans.withLock({ $0[key] }) { return plan }
    // Created outside the lock: primitive creation and the weight reorder take milliseconds.
    guard
      let plan = weights.storage.withUnsafeBufferPointer({ w in
        DNNLPrimitive(
          rows: key.rows, inputs: weights.shape[1], outputs: weights.shape[0],
          backwardData: key.backwardData, hasBias: bias != nil, weights: w.baseAddress!)
      })
    else { return nil }
    return plans.withLock { plans in
      if let existing = plans[key] { return existing }
      plans[key] = plan
      return plan
    }
  }

  private struct PlanKey: Hashable {
    var rows: Int
    var backwardData: Bool
  }
}
