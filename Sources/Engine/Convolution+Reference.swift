// Plain-loop convolution: the oracle every fast path is tested against. Kept obvious, not fast.

/// The reference implementation: direct loops over every output and tap.
public enum ReferenceConvolution {
  /// `y[n, m, oh, ow] = b[m] + sum x[n, c, ih, iw] * w[m, c - g*Cg, kh, kw]`, with
  /// `ih = oh*sh - pt + kh*dh`, `iw = ow*sw - pl + kw*dw`, `c` in the group `g` of `m`.
  /// - Returns: `[N, M, OH, OW]`.
  public static func forward(
    _ x: Tensor, weights w: Tensor, bias: Tensor?, geometry g: ConvolutionGeometry
  ) -> Tensor {
    var y = Tensor(zeros: g.outputShape)
    let (oh, ow) = (g.outHeight, g.outWidth)
    for n in 0..<g.batch {
      for m in 0..<g.outChannels {
        let group = m / g.groupOutChannels
        for i in 0..<oh {
          for j in 0..<ow {
            var sum: Float = bias?.storage[m] ?? 0
            forEachTap(g, i, j) { c, ih, iw, kh, kw in
              let ci = group * g.groupInChannels + c
              sum += x.storage[((n * g.inChannels + ci) * g.height + ih) * g.width + iw]
                * w.storage[((m * g.groupInChannels + c) * g.kernelHeight + kh) * g.kernelWidth + kw]
            }
            y.storage[((n * g.outChannels + m) * oh + i) * ow + j] = sum
          }
        }
      }
    }
    return y
  }

  /// Input gradient: `dx[n, c, ih, iw] = sum over (m, oh, ow, kh, kw) reaching it of
  /// dy[n, m, oh, ow] * w[m, c - g*Cg, kh, kw]` (scatter form of the forward sum).
  /// - Returns: `[N, C, H, W]`.
  public static func backwardData(
    _ dy: Tensor, weights w: Tensor, geometry g: ConvolutionGeometry
  ) -> Tensor {
    var dx = Tensor(zeros: g.inputShape)
    let (oh, ow) = (g.outHeight, g.outWidth)
    for n in 0..<g.batch {
      for m in 0..<g.outChannels {
        let group = m / g.groupOutChannels
        for i in 0..<oh {
          for j in 0..<ow {
            let d = dy.storage[((n * g.outChannels + m) * oh + i) * ow + j]
            forEachTap(g, i, j) { c, ih, iw, kh, kw in
              let ci = group * g.groupInChannels + c
              dx.storage[((n * g.inChannels + ci) * g.height + ih) * g.width + iw] +=
                d * w.storage[((m * g.groupInChannels + c) * g.kernelHeight + kh) * g.kernelWidth + kw]
            }
          }
        }
      }
    }
    return dx
  }

  /// Weight and bias gradients: `dw[m, c, kh, kw] = sum_{n, oh, ow} dy[n, m, oh, ow] *
  /// x[n, c', ih, iw]`, `db[m] = sum_{n, oh, ow} dy[n, m, oh, ow]`.
  /// - Returns: `([M, Cg, KH, KW], [M])`.
  public static func backwardWeights(
    _ dy: Tensor, input x: Tensor, geometry g: ConvolutionGeometry
  ) -> (weights: Tensor, bias: Tensor) {
    var dw = Tensor(zeros: g.weightShape)
    var db = Tensor(zeros: [g.outChannels])
    let (oh, ow) = (g.outHeight, g.outWidth)
    for n in 0..<g.batch {
      for m in 0..<g.outChannels {
        let group = m / g.groupOutChannels
        for i in 0..<oh {
          for j in 0..<ow {
            let d = dy.storage[((n * g.outChannels + m) * oh + i) * ow + j]
            db.storage[m] += d
            forEachTap(g, i, j) { c, ih, iw, kh, kw in
              let ci = group * g.groupInChannels + c
              dw.storage[((m * g.groupInChannels + c) * g.kernelHeight + kh) * g.kernelWidth + kw] +=
                d * x.storage[((n * g.inChannels + ci) * g.height + ih) * g.width + iw]
            }
          }
        }
      }
    }
    return (dw, db)
  }

  /// Calls `body(c, ih, iw, kh, kw)` for every in-range tap of output `(i, j)`, `c` within
  /// the group.
  @inline(__always)
  static func forEachTap(
    _ g: ConvolutionGeometry, _ i: Int, _ j: Int, _ body: (Int, Int, Int, Int, Int) -> Void
  ) {
    for c in 0..<g.groupInChannels {
      for kh in 0..<g.kernelHeight {
        let ih = i * g.strideH - g.padTop + kh * g.dilationH
        if ih < 0 || ih >= g.height { continue }
        for kw in 0..<g.kernelWidth {
          let iw = j * g.strideW - g.padLeft + kw * g.dilationW
          if iw < 0 || iw >= g.width { continue }
          body(c, ih, iw, kh, kw)
        }
      }
    }
  }
}
