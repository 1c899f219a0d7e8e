// Element-wise activations and unary maths (ONNX Relu, LeakyRelu, Clip, Sigmoid, Tanh, Erf,
// Exp, Sqrt, Neg, Abs), each forward with its VJP directly below it.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A unary element-wise function of float data.
public enum UnaryFunction: Sendable, Equatable {
  case relu
  /// `x` for `x >= 0`, else `alpha·x`.
  case leakyRelu(alpha: Float)
  case sigmoid, tanh, erf, exp, sqrt, neg, abs
}

/// Applies `function` element-wise: `y = f(x)`, same shape.
public func apply(_ function: UnaryFunction, _ x: Tensor) -> Tensor {
  switch function {
  case .relu: return map(x) { $0 > 0 ? $0 : 0 }
  case .leakyRelu(let alpha): return map(x) { $0 >= 0 ? $0 : alpha * $0 }
  // For very negative v, expf(-v) is +inf and 1/inf is exactly 0: no NaN, no branch.
  case .sigmoid: return map(x) { v in 1 / (1 + expf(-v)) }
  case .tanh: return map(x) { tanhf($0) }
  case .erf: return map(x) { erff($0) }
  case .exp: return map(x) { expf($0) }
  case .sqrt: return map(x) { $0.squareRoot() }
  case .neg: return map(x) { -$0 }
  case .abs: return map(x) { Swift.abs($0) }
  }
}

/// VJP of ``apply(_:_:)``: `g · f'(x)`, using the forward output `y` where it is cheaper.
///
/// Relu's derivative is taken as 0 at 0 and Abs's as 0 at 0 (PyTorch's choice).
public func applyBackward(_ function: UnaryFunction, x: Tensor, y: Tensor, g: Tensor) -> Tensor {
  switch function {
  case .relu: return zipMap(g, x) { gi, xi in xi > 0 ? gi : 0 }
  case .leakyRelu(let alpha): return zipMap(g, x) { gi, xi in xi >= 0 ? gi : alpha * gi }
  case .sigmoid: return zipMap(g, y) { gi, yi in gi * yi * (1 - yi) }
  case .tanh: return zipMap(g, y) { gi, yi in gi * (1 - yi * yi) }
  case .erf:
    let twoOverRootPi: Float = 1.1283791670955126
    return zipMap(g, x) { gi, xi in gi * twoOverRootPi * expf(-xi * xi) }
  case .exp: return zipMap(g, y) { gi, yi in gi * yi }
  case .sqrt: return zipMap(g, y) { gi, yi in gi * 0.5 / yi }
  case .neg: return map(g) { -$0 }
  case .abs: return zipMap(g, x) { gi, xi in xi > 0 ? gi : (xi < 0 ? -gi : 0) }
  }
}

/// Clips every element to `[low, high]` (ONNX Clip; Relu6 is `clip(x, 0, 6)`).
///
/// NaN stays NaN. `low > high` gives `high` everywhere, as `min(max(x, low), high)` does.
public func clip(_ x: Tensor, low: Float, high: Float) -> Tensor {
  map(x) { v in v.isNaN ? v : Swift.min(Swift.max(v, low), high) }
}

/// VJP of ``clip(_:low:high:)`` for `x`: `g` strictly inside `(low, high)`, 0 outside and at
/// the bounds (PyTorch's hardtanh convention).
public func clipBackward(x: Tensor, low: Float, high: Float, g: Tensor) -> Tensor {
  zipMap(g, x) { gi, xi in xi > low && xi < high ? gi : 0 }
}

/// VJP of ``clip(_:low:high:)`` for its bounds: the sums of `g` where `x` fell below `low`
/// (for `low`) and above `high` (for `high`), where the output equals that bound.
public func clipBoundsBackward(x: Tensor, low: Float, high: Float, g: Tensor) -> (Float, Float) {
  var below: Float = 0
  var above: Float = 0
  x.storage.withUnsafeBufferPointer { px in
    g.storage.withUnsafeBufferPointer { pg in
      guard let s = px.baseAddress, let t = pg.baseAddress else { return }
      for i in 0..<x.count {
        if s[i] < low { below += t[i] } else if s[i] > high { above += t[i] }
      }
    }
  }
  return (below, above)
}

// MARK: - Element loops
// NB: these take closures, so they only run fast when called from this file (debug builds
// compile files separately and never inline a closure across files); other files use the
// concrete helpers below.

/// `-x`.
func negated(_ x: Tensor) -> Tensor { map(x) { -$0 } }

/// `k·x`.
func scaled(_ x: Tensor, by k: Float) -> Tensor { map(x) { $0 * k } }

/// `g` where `a == y` (`whereEqual`) or where `a != y` (otherwise), 0 elsewhere: routes Max
/// and Min gradients to the chosen operand.
func selectGradient(_ g: Tensor, _ a: Tensor, _ y: Tensor, whereEqual: Bool) -> Tensor {
  whereEqual
    ? zip3Map(g, a, y) { gi, ai, yi in ai == yi ? gi : 0 }
    : zip3Map(g, a, y) { gi, ai, yi in ai == yi ? 0 : gi }
}

/// `f(x)` element by element, on raw pointers.
@inline(__always)
func map(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
  let storage = [Float](unsafeUninitializedCapacity: x.count) { buffer, initialized in
    x.storage.withUnsafeBufferPointer { src in
      guard let d = buffer.baseAddress, let s = src.baseAddress else { return }
      for i in 0..<x.count { d[i] = f(s[i]) }
    }
    initialized = x.count
  }
  return Tensor(shape: x.shape, storage: storage)
}

/// `f(a, b)` element by element over two same-shaped tensors.
@inline(__always)
func zipMap(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
  precondition(a.shape == b.shape, "zipMap: \(a.shape) vs \(b.shape)")
  let storage = [Float](unsafeUninitializedCapacity: a.count) { buffer, initialized in
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        guard let d = buffer.baseAddress, let x = pa.baseAddress, let y = pb.baseAddress else {
          return
        }
        for i in 0..<a.count { d[i] = f(x[i], y[i]) }
      }
    }
    initialized = a.count
  }
  return Tensor(shape: a.shape, storage: storage)
}

/// `f(a, b, c)` element by element over three same-shaped tensors.
@inline(__always)
func zip3Map(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
  precondition(a.shape == b.shape && b.shape == c.shape, "zip3Map: shapes differ")
  let storage = [Float](unsafeUninitializedCapacity: a.count) { buffer, initialized in
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        c.storage.withUnsafeBufferPointer { pc in
          guard let d = buffer.baseAddress, let x = pa.baseAddress, let y = pb.baseAddress,
            let z = pc.baseAddress
          else { return }
          for i in 0..<a.count { d[i] = f(x[i], y[i], z[i]) }
        }
      }
    }
    initialized = a.count
  }
  return Tensor(shape: a.shape, storage: storage)
}
