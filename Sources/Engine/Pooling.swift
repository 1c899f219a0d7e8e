// Max pooling (ONNX MaxPool) and its gradient, which routes each output's gradient to its argmax.

/// The resolved sizes of a 2-D pooling call.
public struct PoolingGeometry: Sendable, Hashable {
  public var batch: Int, channels: Int, height: Int, width: Int
  public var kernelHeight: Int, kernelWidth: Int
  public var strideH: Int, strideW: Int, dilationH: Int, dilationW: Int
  public var padTop: Int, padLeft: Int, padBottom: Int, padRight: Int
  public var outHeight: Int, outWidth: Int

  /// Resolves `window` for an input `[N, C, H, W]`.
  ///
  /// Output extent: `floor((in + pads - ext) / stride) + 1` (`ceil` in ceil mode, dropping a
  /// last window that would start inside the end padding); `ceil(in / stride)` for SAME_*.
  public init(input: [Int], window w: Window2D, ceilMode: Bool) {
    precondition(input.count == 4, "pooling input \(input)")
    (batch, channels, height, width) = (input[0], input[1], input[2], input[3])
    (kernelHeight, kernelWidth) = (w.kernelHeight, w.kernelWidth)
    (strideH, strideW, dilationH, dilationW) = (w.strideH, w.strideW, w.dilationH, w.dilationW)
    (padTop, padLeft, padBottom, padRight) = w.resolvedPads(height: height, width: width)
    func extent(_ size: Int, _ k: Int, _ s: Int, _ d: Int, _ p0: Int, _ p1: Int) -> Int {
      if w.autoPad == .sameUpper || w.autoPad == .sameLower { return (size + s - 1) / s }
      let span = size + p0 + p1 - (d * (k - 1) + 1)
      if span < 0 || s < 1 { return 0 }
      var out = (ceilMode ? (span + s - 1) / s : span / s) + 1
      if ceilMode && (out - 1) * s >= size + p0 { out -= 1 }
      return out
    }
    outHeight = extent(height, kernelHeight, strideH, dilationH, padTop, padBottom)
    outWidth = extent(width, kernelWidth, strideW, dilationW, padLeft, padRight)
  }

  public var inputShape: [Int] { [batch, channels, height, width] }
  public var outputShape: [Int] { [batch, channels, outHeight, outWidth] }

  /// Why these sizes cannot be pooled, or nil when they can.
  public var problem: String? {
    if min(kernelHeight, kernelWidth) < 1 { return "kernel_shape must be positive" }
    if min(strideH, strideW, dilationH, dilationW) < 1 { return "strides and dilations must be positive" }
    if min(padTop, padLeft, padBottom, padRight) < 0 { return "pads must not be negative" }
    // A window lying wholly in the padding would have nothing to pool.
    if max(padTop, padBottom) >= dilationH * (kernelHeight - 1) + 1
      || max(padLeft, padRight) >= dilationW * (kernelWidth - 1) + 1
    {
      return "pads must be smaller than the kernel"
    }
    if outHeight < 1 || outWidth < 1 { return "the window does not fit the \(height)x\(width) input" }
    return nil
  }

  /// Calls `body(ih, iw)` for each in-image tap of output `(i, j)`.
  @inline(__always)
  func forEachTap(_ i: Int, _ j: Int, _ body: (Int, Int) -> Void) {
    for kh in 0..<kernelHeight {
      let ih = i * strideH - padTop + kh * dilationH
      if ih < 0 || ih >= height { continue }
      for kw in 0..<kernelWidth {
        let iw = j * strideW - padLeft + kw * dilationW
        if iw < 0 || iw >= width { continue }
        body(ih, iw)
      }
    }
  }
}

/// Max and average pooling over NCHW planes.
public enum Pooling {
  /// `y[n, c, i, j] = max` over the window's in-image taps; also the flat NCHW index of each
  /// maximum (the first one on ties), as ONNX's optional `Indices` output.
  public static func maxPool(_ x: Tensor, geometry g: PoolingGeometry) -> (values: Tensor, indices: [Int]) {
    let (oh, ow, plane) = (g.outHeight, g.outWidth, g.height * g.width)
    let count = g.batch * g.channels * oh * ow
    var y = [Float](repeating: 0, count: count)
    var indices = [Int](repeating: 0, count: count)
    x.storage.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in
        indices.withUnsafeMutableBufferPointer { ip in
          let (xs, ys, ids) = (xp.baseAddress!, yp.baseAddress!, ip.baseAddress!)
          parallelFor(g.batch * g.channels, workPerTask: oh * ow * g.kernelHeight * g.kernelWidth) { p in
            let src = xs + p * plane
            for i in 0..<oh {
              for j in 0..<ow {
                var best = -Float.infinity, at = -1
                g.forEachTap(i, j) { ih, iw in
                  let v = src[ih * g.width + iw]
                  if v > best || at < 0 { (best, at) = (v, ih * g.width + iw) }
                }
                let o = (p * oh + i) * ow + j
                (ys[o], ids[o]) = (best, p * plane + at)
              }
            }
          }
        }
      }
    }
    return (Tensor(shape: g.outputShape, storage: y), indices)
  }

  /// Max-pool gradient: each `dy` element is added to `dx` at its window's argmax.
  public static func maxPoolBackward(_ dy: Tensor, input x: Tensor, geometry g: PoolingGeometry) -> Tensor {
    let indices = maxPool(x, geometry: g).indices
    var dx = [Float](repeating: 0, count: x.count)
    for (o, at) in indices.enumerated() { dx[at] += dy.storage[o] }
    return Tensor(shape: x.shape, storage: dx)
  }
}
