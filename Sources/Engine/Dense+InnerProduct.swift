// A dense layer with constant weights, run by oneDNN's inner product.
import Synchronization

/// `y = x W^T + b` with `W` fixed: a Gemm layer whose weights are known at import.
///
/// NB: oneDNN's inner product, with the weights reordered once, reads them in one stream:
/// VGG16's fc1 (25088 -> 4096) took 23 ms at batch 8 against 45-71 ms for OpenBLAS sgemm,
/// and about the same as sgemv at batch 1. It also runs on the OpenMP threads the
/// convolutions use, while OpenBLAS's own threads spin in `sched_yield` for a long while after
/// each call and took a core from the convolutions that followed.
public final class InnerProduct: Sendable {
  /// `W`: `[N, K]`, or `[K, N]` when ``transposed``.
  public let weights: Tensor
  /// Whether ``weights`` is stored `[K, N]` (a Gemm's B without transB: kept as it is, so the
  /// layer shares the model's storage instead of copying it).
  public let transposed: Bool
  /// `[N]`, or nil.
  public let bias: Tensor?
  /// `K`, the input features.
  public var inputs: Int { weights.shape[transposed ? 0 : 1] }
  /// `N`, the output features.
  public var outputs: Int { weights.shape[transposed ? 1 : 0] }
  private let plans = Mutex<[PlanKey: DNNLPrimitive]>([:])

  /// Weights above this size stay with BLAS: oneDNN keeps its own arranged copy of them, which
  /// for VGG16's fc1 (411 MB) would add 80 % to the model's memory for 1 % of its time.
  public static let maximumWeightBytes = 64 << 20

  /// - Precondition: `weights` has rank 2 and `bias`, if any, has `N` elements.
  public init(weights: Tensor, transposed: Bool = false, bias: Tensor?) {
    precondition(weights.rank == 2, "inner product weights must be 2-D, got \(weights.shape)")
    self.weights = weights
    self.transposed = transposed
    self.bias = bias
    precondition(bias == nil || bias!.count == outputs, "bias size")
  }

  /// `[M, K]` → `[M, N]`.
  public func forward(_ x: Tensor) -> Tensor {
    let (m, k, n) = (x.shape[0], inputs, outputs)
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
            Dense.multiply(
              input, transA: false, $0.baseAddress!, transB: !transposed, m: m, n: n, k: k,
              into: output)
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
    let (m, k, n) = (dy.shape[0], inputs, outputs)
    precondition(dy.rank == 2 && dy.shape[1] == n, "inner product gradient \(dy.shape) for weights \(weights.shape)")
    let dx = [Float](unsafeUninitializedCapacity: m * k) { xp, initialised in
      dy.storage.withUnsafeBufferPointer { dp in
        if let plan = plan(PlanKey(rows: m, backwardData: true)) {
          plan.run(input: dp.baseAddress!, bias: nil, output: xp.baseAddress!)
        } else {
          weights.storage.withUnsafeBufferPointer {
            Dense.multiply(
              dp.baseAddress!, transA: false, $0.baseAddress!, transB: transposed, m: m, n: k, k: n,
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
          rows: key.rows, inputs: inputs, outputs: outputs, backwardData: key.backwardData,
          hasBias: bias != nil, weights: w.baseAddress!, transposed: transposed)
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
