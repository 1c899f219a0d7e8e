// Batch normalisation in inference form (Ioffe and Szegedy 2015, arXiv:1502.03167; ONNX
// BatchNormalization with running statistics), with its VJP for the input and parameters.

/// Per-channel parameters of inference batch normalisation, each of `channels` elements.
public struct BatchNormParameters: Sendable {
  public var scale: Tensor, bias: Tensor, mean: Tensor, variance: Tensor
  public var epsilon: Float

  public init(scale: Tensor, bias: Tensor, mean: Tensor, variance: Tensor, epsilon: Float) {
    self.scale = scale
    self.bias = bias
    self.mean = mean
    self.variance = variance
    self.epsilon = epsilon
  }

  /// Number of channels, checked equal across the four tensors.
  /// - Throws: ``TensorShapeError`` when their element counts differ.
  public func channels() throws -> Int {
    let counts = [scale.count, bias.count, mean.count, variance.count]
    guard Set(counts).count == 1 else {
      throw TensorShapeError("scale, B, mean and var have \(counts) elements; they must agree")
    }
    return counts[0]
  }

  /// `scale / sqrt(var + epsilon)` per channel: the factor applied to `x - mean`.
  func factors() -> [Float] {
    (0..<scale.count).map { scale.storage[$0] / (variance.storage[$0] + epsilon).squareRoot() }
  }
}

/// `y = (x - mean) · scale / sqrt(var + epsilon) + B` with per-channel parameters.
///
/// `x` is viewed as `[batch, channels, inner]`: for NCHW `inner = H·W`; ONNX opset 7's
/// `spatial = 0` (one parameter per activation) is `channels = C·H·W, inner = 1`.
public func batchNorm(_ x: Tensor, _ p: BatchNormParameters, channels: Int, inner: Int) -> Tensor {
  precondition(
    x.count % max(1, channels * inner) == 0, "batchNorm: \(x.shape) vs \(channels)x\(inner)")
  let factor = p.factors()
  var y = x
  let batch = channels * inner == 0 ? 0 : x.count / (channels * inner)
  y.storage.withUnsafeMutableBufferPointer { buffer in
    guard let base = buffer.baseAddress else { return }
    for b in 0..<batch {
      for c in 0..<channels {
        let row = base + (b * channels + c) * inner
        let k = factor[c]
        let shift = p.bias.storage[c] - p.mean.storage[c] * factor[c]
        for i in 0..<inner { row[i] = row[i] * k + shift }
      }
    }
  }
  return y
}

/// ``batchNorm(_:_:channels:inner:)`` on an image in either layout (`[N, C, H, W]` or
/// channels-last `[N, H, W, C]`), with an activation applied as the result is written (so a
/// following Relu costs no extra pass).
public func batchNormImage(
  _ x: Tensor, _ p: BatchNormParameters, layout: ImageLayout, activation: ConvolutionActivation
) -> Tensor {
  precondition(x.rank == 4, "batchNormImage needs a 4-D image, got \(x.shape)")
  guard layout == .nhwc else {
    var y = batchNorm(x, p, channels: x.shape[1], inner: x.shape[2] * x.shape[3])
    y.storage.withUnsafeMutableBufferPointer { activation.apply($0.baseAddress!, count: $0.count) }
    return y
  }
  let channels = x.shape[3]
  precondition(channels == p.scale.count, "batchNormImage: \(x.shape) vs \(p.scale.count) channels")
  let factor = p.factors()
  let shift = (0..<channels).map { p.bias.storage[$0] - p.mean.storage[$0] * factor[$0] }
  var y = x
  let pixels = x.count / max(1, channels)
  y.storage.withUnsafeMutableBufferPointer { buffer in
    guard let base = buffer.baseAddress else { return }
    factor.withUnsafeBufferPointer { k in
      shift.withUnsafeBufferPointer { b in
        for pixel in 0..<pixels {
          let row = base + pixel * channels
          for c in 0..<channels { row[c] = row[c] * k[c] + b[c] }
        }
      }
    }
    activation.apply(base, count: buffer.count)
  }
  return y
}

/// Gradients of ``batchNorm(_:_:channels:inner:)`` for `x`, scale, B, mean and var.
public struct BatchNormGradients: Sendable {
  public var x: Tensor?
  public var scale: Tensor, bias: Tensor, mean: Tensor, variance: Tensor
}

/// VJP of ``batchNorm(_:_:channels:inner:)`` with `k = scale / sqrt(var + eps)`:
/// `dx = g·k`, `dB = Σg`, `dscale = Σ g·(x - mean) / sqrt(var + eps)`, `dmean = -k·Σg`,
/// `dvar = -½ · scale · (var + eps)^(-3/2) · Σ g·(x - mean)` (sums over batch and inner).
public func batchNormBackward(
  _ x: Tensor, _ p: BatchNormParameters, channels: Int, inner: Int, g: Tensor, wantX: Bool
) -> BatchNormGradients {
  let factor = p.factors()
  let batch = channels * inner == 0 ? 0 : x.count / (channels * inner)
  var sumG = [Double](repeating: 0, count: channels)
  var sumGX = [Double](repeating: 0, count: channels)  // Σ g·(x - mean)
  var dx: Tensor? = wantX ? g : nil
  x.storage.withUnsafeBufferPointer { px in
    g.storage.withUnsafeBufferPointer { pg in
      guard let xs = px.baseAddress, let gs = pg.baseAddress else { return }
      for b in 0..<batch {
        for c in 0..<channels {
          let start = (b * channels + c) * inner
          let mean = p.mean.storage[c]
          var s: Float = 0
          var sx: Float = 0
          for i in 0..<inner {
            s += gs[start + i]
            sx += gs[start + i] * (xs[start + i] - mean)
          }
          sumG[c] += Double(s)
          sumGX[c] += Double(sx)
        }
      }
    }
  }
  if wantX {
    dx!.storage.withUnsafeMutableBufferPointer { buffer in
      guard let d = buffer.baseAddress else { return }
      for b in 0..<batch {
        for c in 0..<channels {
          let row = d + (b * channels + c) * inner
          for i in 0..<inner { row[i] *= factor[c] }
        }
      }
    }
  }
  func perChannel(_ like: Tensor, _ f: (Int) -> Double) -> Tensor {
    Tensor(shape: like.shape, storage: (0..<channels).map { Float(f($0)) })
  }
  let root = (0..<channels).map { Double(p.variance.storage[$0] + p.epsilon).squareRoot() }
  return BatchNormGradients(
    x: dx,
    scale: perChannel(p.scale) { sumGX[$0] / root[$0] },
    bias: perChannel(p.bias) { sumG[$0] },
    mean: perChannel(p.mean) { -Double(factor[$0]) * sumG[$0] },
    variance: perChannel(p.variance) {
      -0.5 * Double(p.scale.storage[$0]) * sumGX[$0] / (root[$0] * root[$0] * root[$0])
    })
}
