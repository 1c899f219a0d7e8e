// Max pooling on channels-last tensors: the inner loop runs along contiguous channels.

extension Pooling {
  /// `y[n, i, j, c] = max` over the window's in-image taps, for channels-last `x`
  /// (`[N, H, W, C]` → `[N, OH, OW, C]`); same values as ``maxPool(_:geometry:)``.
  ///
  /// NB: in NCHW each window reads a few scattered floats; here each tap is a run of C
  /// contiguous floats, so the max vectorises across channels (about 10x faster on VGG16).
  /// - Parameter g: the geometry of the logical NCHW problem.
  public static func maxPoolChannelsLast(_ x: Tensor, geometry g: PoolingGeometry) -> Tensor {
    precondition(x.shape == [g.batch, g.height, g.width, g.channels], "NHWC pooling input \(x.shape)")
    let (oh, ow, c) = (g.outHeight, g.outWidth, g.channels)
    let count = g.batch * oh * ow * c
    let y = [Float](unsafeUninitializedCapacity: count) { yp, initialised in
      x.storage.withUnsafeBufferPointer { xp in
        let (xs, ys) = (xp.baseAddress!, yp.baseAddress!)
        parallelFor(g.batch * oh, workPerTask: ow * c * g.kernelHeight * g.kernelWidth) { row in
          let n = row / oh, i = row % oh
          let image = xs + n * g.height * g.width * c
          for j in 0..<ow {
            let out = ys + ((row * ow) + j) * c
            var first = true
            g.forEachTap(i, j) { ih, iw in
              let tap = image + (ih * g.width + iw) * c
              if first {
                out.update(from: tap, count: c)
                first = false
              } else {
                // As the NCHW loop: a later tap wins only when strictly greater.
                for k in 0..<c { out[k] = tap[k] > out[k] ? tap[k] : out[k] }
              }
            }
          }
        }
      }
      initialised = count
    }
    return Tensor(shape: [g.batch, oh, ow, c], storage: y)
  }
}
