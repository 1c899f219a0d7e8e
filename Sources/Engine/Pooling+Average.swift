// Average pooling (ONNX AveragePool) and global average and max pooling, with gradients.

extension Pooling {
  /// `y = sum(window taps) / divisor`; the divisor counts in-image taps, or with
  /// `countIncludePad` every tap inside the padded input (a ceil-mode window hanging past
  /// the end padding still counts only up to it).
  public static func averagePool(
    _ x: Tensor, geometry g: PoolingGeometry, countIncludePad: Bool
  ) -> Tensor {
    let (oh, ow, plane) = (g.outHeight, g.outWidth, g.height * g.width)
    var y = [Float](repeating: 0, count: g.batch * g.channels * oh * ow)
    let divisors = averageDivisors(g, countIncludePad: countIncludePad)  // [OH*OW]
    x.storage.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in
        let (xs, ys) = (xp.baseAddress!, yp.baseAddress!)
        parallelFor(g.batch * g.channels, workPerTask: oh * ow * g.kernelHeight * g.kernelWidth) { p in
          let src = xs + p * plane
          for i in 0..<oh {
            for j in 0..<ow {
              var sum: Float = 0
              g.forEachTap(i, j) { ih, iw in sum += src[ih * g.width + iw] }
              ys[(p * oh + i) * ow + j] = sum / divisors[i * ow + j]
            }
          }
        }
      }
    }
    return Tensor(shape: g.outputShape, storage: y)
  }

  /// Average-pool gradient: each tap of a window receives `dy / divisor`.
  public static func averagePoolBackward(
    _ dy: Tensor, geometry g: PoolingGeometry, countIncludePad: Bool
  ) -> Tensor {
    let (oh, ow, plane) = (g.outHeight, g.outWidth, g.height * g.width)
    var dx = [Float](repeating: 0, count: g.batch * g.channels * plane)
    let divisors = averageDivisors(g, countIncludePad: countIncludePad)
    for p in 0..<g.batch * g.channels {
      for i in 0..<oh {
        for j in 0..<ow {
          let share = dy.storage[(p * oh + i) * ow + j] / divisors[i * ow + j]
          g.forEachTap(i, j) { ih, iw in dx[p * plane + ih * g.width + iw] += share }
        }
      }
    }
    return Tensor(shape: g.inputShape, storage: dx)
  }

  /// The divisor of each output position (the same for every plane).
  static func averageDivisors(_ g: PoolingGeometry, countIncludePad: Bool) -> [Float] {
    var divisors = [Float](repeating: 1, count: g.outHeight * g.outWidth)
    for i in 0..<g.outHeight {
      for j in 0..<g.outWidth {
        var n = 0
        if countIncludePad {
          for kh in 0..<g.kernelHeight {
            let ih = i * g.strideH - g.padTop + kh * g.dilationH
            if ih < -g.padTop || ih >= g.height + g.padBottom { continue }
            for kw in 0..<g.kernelWidth {
              let iw = j * g.strideW - g.padLeft + kw * g.dilationW
              if iw >= -g.padLeft && iw < g.width + g.padRight { n += 1 }
            }
          }
        } else {
          g.forEachTap(i, j) { _, _ in n += 1 }
        }
        divisors[i * g.outWidth + j] = Float(max(n, 1))
      }
    }
    return divisors
  }

  /// Global average or max over every axis after the first two: `[N, C, ...]` → `[N, C, 1, ...]`.
  public static func global(_ x: Tensor, max useMax: Bool) -> Tensor {
    let planes = x.shape[0] * x.shape[1], size = x.count / max(planes, 1)
    var y = [Float](repeating: 0, count: planes)
    x.storage.withUnsafeBufferPointer { xp in
      for p in 0..<planes {
        let src = xp.baseAddress! + p * size
        if useMax {
          var best = -Float.infinity
          for i in 0..<size where src[i] > best { best = src[i] }
          y[p] = best
        } else {
          var sum: Float = 0
          for i in 0..<size { sum += src[i] }
          y[p] = sum / Float(size)
        }
      }
    }
    return Tensor(shape: Array(x.shape.prefix(2)) + Array(repeating: 1, count: x.rank - 2), storage: y)
  }

  /// Gradient of ``global(_:max:)``: `dy / size` to every element, or all of `dy` to the
  /// (first) maximum.
  public static func globalBackward(_ dy: Tensor, input x: Tensor, max useMax: Bool) -> Tensor {
    let planes = x.shape[0] * x.shape[1], size = x.count / max(planes, 1)
    var dx = [Float](repeating: 0, count: x.count)
    for p in 0..<planes {
      if useMax {
        var at = 0
        for i in 1..<max(size, 1) where x.storage[p * size + i] > x.storage[p * size + at] { at = i }
        dx[p * size + at] = dy.storage[p]
      } else {
        let share = dy.storage[p] / Float(size)
        for i in 0..<size { dx[p * size + i] = share }
      }
    }
    return Tensor(shape: x.shape, storage: dx)
  }
}
