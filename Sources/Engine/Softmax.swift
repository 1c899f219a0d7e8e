// Softmax and log-softmax along one axis of a tensor viewed as [outer, n, inner], with VJPs.
// ONNX before opset 13 flattens to 2-D at `axis` ([outer, n·inner] with inner 1); from
// opset 13 the axis alone is normalised: both are this one kernel with different views.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a tensor is split around the normalised axis: `[outer, n, inner]` elements.
public struct SoftmaxView: Sendable, Equatable {
  public var outer: Int, n: Int, inner: Int
  public init(outer: Int, n: Int, inner: Int) {
    self.outer = outer
    self.n = n
    self.inner = inner
  }

  /// The view normalising axis `axis` of `shape` alone (opset 13 and later).
  public static func axis(_ axis: Int, of shape: [Int]) -> SoftmaxView {
    SoftmaxView(
      outer: shape[..<axis].reduce(1, *), n: shape[axis], inner: shape[(axis + 1)...].reduce(1, *))
  }

  /// The view normalising everything from `axis` on as one row (before opset 13).
  public static func flattened(at axis: Int, of shape: [Int]) -> SoftmaxView {
    SoftmaxView(outer: shape[..<axis].reduce(1, *), n: shape[axis...].reduce(1, *), inner: 1)
  }
}

/// Softmax along the view's middle axis: `y_i = exp(x_i - max x) / Σ_j exp(x_j - max x)`;
/// with `log`, `y_i = x_i - max x - log Σ_j exp(x_j - max x)`.
public func softmax(_ x: Tensor, view: SoftmaxView, log: Bool = false) -> Tensor {
  precondition(view.outer * view.n * view.inner == x.count, "softmax view \(view) vs \(x.shape)")
  var y = x
  let n = view.n
  let inner = view.inner
  guard n > 0 else { return y }
  y.storage.withUnsafeMutableBufferPointer { buffer in
    guard let base = buffer.baseAddress else { return }
    for o in 0..<view.outer {
      for j in 0..<inner {
        let p = base + o * n * inner + j
        var top = -Float.infinity
        for i in 0..<n { top = Swift.max(top, p[i * inner]) }
        var total: Float = 0
        if log {
          for i in 0..<n { total += expf(p[i * inner] - top) }
          let shift = top + logf(total)
          for i in 0..<n { p[i * inner] -= shift }
        } else {
          for i in 0..<n {
            let e = expf(p[i * inner] - top)
            p[i * inner] = e
            total += e
          }
          let scale = 1 / total
          for i in 0..<n { p[i * inner] *= scale }
        }
      }
    }
  }
  return y
}

/// VJP of ``softmax(_:view:log:)`` from its output `y`:
/// softmax `dx = y ⊙ (g - Σ g⊙y)`; log-softmax `dx = g - exp(y) · Σ g`.
public func softmaxBackward(y: Tensor, g: Tensor, view: SoftmaxView, log: Bool = false) -> Tensor {
  precondition(y.shape == g.shape, "softmaxBackward: \(y.shape) vs \(g.shape)")
  var dx = g
  let n = view.n
  let inner = view.inner
  dx.storage.withUnsafeMutableBufferPointer { buffer in
    y.storage.withUnsafeBufferPointer { py in
      guard let d = buffer.baseAddress, let ys = py.baseAddress else { return }
      for o in 0..<view.outer {
        for j in 0..<inner {
          let start = o * n * inner + j
          let q = d + start
          let r = ys + start
          var total: Float = 0
          if log {
            for i in 0..<n { total += q[i * inner] }
            for i in 0..<n { q[i * inner] -= expf(r[i * inner]) * total }
          } else {
            for i in 0..<n { total += q[i * inner] * r[i * inner] }
            for i in 0..<n { q[i * inner] = r[i * inner] * (q[i * inner] - total) }
          }
        }
      }
    }
  }
  return dx
}
