// Direct depthwise convolution (groups == channels): per plane, per tap, a branch-free row loop.
//
// A per-tap bounds check makes the naive loop run at 0.5 GFLOP/s; computing each tap's valid
// output range once per row and looping over it without branches reaches 11-13 GFLOP/s
// (memory-bound), and the loops auto-vectorise when the stride is 1.

/// Depthwise convolution with channel multiplier `Mg` (output channel `m` reads channel `m / Mg`).
enum DepthwiseConvolution {
  /// Whether the direct path applies: one input channel per group.
  static func applies(to g: ConvolutionGeometry) -> Bool {
    g.groups == g.inChannels && g.groupInChannels == 1
  }

  /// `y[n, m, oh, ow] = b[m] + sum_{kh, kw} x[n, m / Mg, ih, iw] * w[m, 0, kh, kw]`.
  static func forward(
    _ x: UnsafePointer<Float>, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    geometry g: ConvolutionGeometry, into y: UnsafeMutablePointer<Float>
  ) {
    let (oh, ow, h, wd) = (g.outHeight, g.outWidth, g.height, g.width)
    let (kh, kw, mg) = (g.kernelHeight, g.kernelWidth, g.groupOutChannels)
    let (sw, pixels) = (g.strideW, g.outHeight * g.outWidth)
    parallelFor(g.batch * g.outChannels, workPerTask: pixels * kh * kw) { plane in
      let (n, m) = (plane / g.outChannels, plane % g.outChannels)
      let src = x + (n * g.inChannels + m / mg) * h * wd
      let dst = y + plane * pixels
      let taps = w + m * kh * kw
      dst.update(repeating: bias?[m] ?? 0, count: pixels)
      for r in 0..<oh {
        let line = dst + r * ow
        for i in 0..<kh {
          let ih = r * g.strideH - g.padTop + i * g.dilationH
          if ih < 0 || ih >= h { continue }
          for j in 0..<kw {
            let offset = j * g.dilationW - g.padLeft
            let (lo, hi) = validRange(offset: offset, stride: sw, size: wd, count: ow)
            let tap = taps[i * kw + j]
            let row = src + ih * wd + offset
            if sw == 1 {
              for k in lo..<hi { line[k] += tap * row[k] }
            } else {
              for k in lo..<hi { line[k] += tap * row[k * sw] }
            }
          }
        }
      }
    }
  }

  /// `dx[n, c, ih, iw] = sum over m in c's outputs and taps reaching (ih, iw) of
  /// dy[n, m, oh, ow] * w[m, 0, kh, kw]` (the forward's scatter, plane by plane).
  static func backwardData(
    _ dy: UnsafePointer<Float>, weights w: UnsafePointer<Float>, geometry g: ConvolutionGeometry,
    into dx: UnsafeMutablePointer<Float>
  ) {
    let (oh, ow, h, wd) = (g.outHeight, g.outWidth, g.height, g.width)
    let (kh, kw, mg) = (g.kernelHeight, g.kernelWidth, g.groupOutChannels)
    let sw = g.strideW
    parallelFor(g.batch * g.inChannels, workPerTask: oh * ow * kh * kw * mg) { plane in
      let (n, c) = (plane / g.inChannels, plane % g.inChannels)
      let dst = dx + plane * h * wd
      dst.update(repeating: 0, count: h * wd)
      for m in c * mg..<(c + 1) * mg {
        let src = dy + (n * g.outChannels + m) * oh * ow
        let taps = w + m * kh * kw
        for r in 0..<oh {
          let line = src + r * ow
          for i in 0..<kh {
            let ih = r * g.strideH - g.padTop + i * g.dilationH
            if ih < 0 || ih >= h { continue }
            for j in 0..<kw {
              let offset = j * g.dilationW - g.padLeft
              let (lo, hi) = validRange(offset: offset, stride: sw, size: wd, count: ow)
              let tap = taps[i * kw + j]
              let row = dst + ih * wd + offset
              if sw == 1 {
                for k in lo..<hi { row[k] += tap * line[k] }
              } else {
                for k in lo..<hi { row[k * sw] += tap * line[k] }
              }
            }
          }
        }
      }
    }
  }
}
