// Bringing a coarse map (7x7 Grad-CAM, 14x14 activations) to the display image's size.

extension ScalarMap {
  /// The map resized to `width` x `height` by bilinear interpolation with half-pixel centres.
  ///
  /// Output pixel `x` samples the source at `(x + 0.5) * width_in / width - 0.5`, clamped to the
  /// first and last source centres: `cv2.resize(INTER_LINEAR)` and PyTorch's `interpolate(...,
  /// align_corners=False)`, which pytorch-grad-cam and most CAM code use, so a map's cells stay
  /// centred on the image regions they describe. Also shrinks (without antialiasing).
  public func upsampled(width outWidth: Int, height outHeight: Int) -> ScalarMap {
    precondition(outWidth > 0 && outHeight > 0, "upsampling to an empty size")
    let xs = ScalarMap.taps(from: width, to: outWidth)
    let ys = ScalarMap.taps(from: height, to: outHeight)
    var out = [Float](repeating: 0, count: outWidth * outHeight)
    // Rows first: each source row is interpolated horizontally once, then rows are mixed.
    var rows = [Float](repeating: 0, count: outWidth * height)  // [height, outWidth]
    values.withUnsafeBufferPointer { src in
      rows.withUnsafeMutableBufferPointer { dst in
        let s = src.baseAddress!, d = dst.baseAddress!
        for y in 0..<height {
          let srow = s + y * width, drow = d + y * outWidth
          for x in 0..<outWidth {
            let t = xs[x]
            drow[x] = srow[t.i0] + (srow[t.i1] - srow[t.i0]) * t.w
          }
        }
      }
    }
    rows.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        let s = src.baseAddress!, d = dst.baseAddress!
        for y in 0..<outHeight {
          let t = ys[y]
          let r0 = s + t.i0 * outWidth, r1 = s + t.i1 * outWidth, drow = d + y * outWidth
          for x in 0..<outWidth { drow[x] = r0[x] + (r1[x] - r0[x]) * t.w }
        }
      }
    }
    return ScalarMap(width: outWidth, height: outHeight, values: out)
  }

  /// Source indices and the weight of the second for each output position along one axis.
  static func taps(from n: Int, to m: Int) -> [(i0: Int, i1: Int, w: Float)] {
    let scale = Double(n) / Double(m)
    return (0..<m).map { x in
      let at = min(max((Double(x) + 0.5) * scale - 0.5, 0), Double(n - 1))
      let i0 = Int(at.rounded(.down))
      return (i0, min(i0 + 1, n - 1), Float(at - Double(i0)))
    }
  }
}
