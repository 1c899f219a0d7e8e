// Convolution as a matrix product: im2col (row-wise copies) then cblas_sgemm per image and group.
import CBLAS

/// im2col + sgemm, and the input gradient as a transposed convolution on the same machinery.
enum Im2colConvolution {
  /// `y[n, group] = W_g [Mg, Cg*KH*KW] x col [Cg*KH*KW, OH*OW] (+ bias)`.
  static func forward(
    _ x: UnsafePointer<Float>, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    geometry g: ConvolutionGeometry, into y: UnsafeMutablePointer<Float>
  ) {
    let (oh, ow) = (g.outHeight, g.outWidth)
    let rows = g.groupInChannels * g.kernelHeight * g.kernelWidth  // K of the product
    let pixels = oh * ow
    let pointwise = g.kernelHeight == 1 && g.kernelWidth == 1 && g.strideH == 1 && g.strideW == 1
      && g.padTop == 0 && g.padLeft == 0 && oh == g.height && ow == g.width
    let col = pointwise ? nil : UnsafeMutablePointer<Float>.allocate(capacity: rows * pixels)
    defer { col?.deallocate() }
    let mg = g.groupOutChannels
    for n in 0..<g.batch {
      for group in 0..<g.groups {
        let xg = x + (n * g.inChannels + group * g.groupInChannels) * g.height * g.width
        let yg = y + (n * g.outChannels + group * mg) * pixels
        let source: UnsafePointer<Float>
        if let col {
          im2col(xg, channels: g.groupInChannels, geometry: g, into: col)  // [Cg*KH*KW, OH*OW]
          source = UnsafePointer(col)
        } else {
          source = xg  // a 1x1 stride-1 unpadded conv reads x as [C, H*W] directly
        }
        var beta: Float = 0
        if let bias {
          for m in 0..<mg { (yg + m * pixels).update(repeating: bias[group * mg + m], count: pixels) }
          beta = 1
        }
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(mg), Int32(pixels), Int32(rows), 1,
          w + group * mg * rows, Int32(rows), source, Int32(pixels), beta, yg, Int32(pixels))
      }
    }
  }

  /// Copies the receptive fields of `channels` planes into `col` `[channels*KH*KW, OH*OW]`.
  ///
  /// Row `(c, kh, kw)` holds `x[c, oh*sh - pt + kh*dh, ow*sw - pl + kw*dw]` for every
  /// `(oh, ow)`, zero outside the image. Pads may be negative (a crop), which the transposed
  /// convolution of ``backwardData(_:transposedWeights:geometry:into:)`` needs.
  static func im2col(
    _ x: UnsafePointer<Float>, channels: Int, geometry g: ConvolutionGeometry,
    into col: UnsafeMutablePointer<Float>
  ) {
    let (oh, ow, h, w) = (g.outHeight, g.outWidth, g.height, g.width)
    let (kh, kw) = (g.kernelHeight, g.kernelWidth)
    parallelFor(channels * kh * kw, workPerTask: oh * ow) { row in
      let c = row / (kh * kw), i = (row / kw) % kh, j = row % kw
      let dst = col + row * oh * ow
      let plane = x + c * h * w
      let offset = j * g.dilationW - g.padLeft  // iw = ow*sw + offset
      let (lo, hi) = validRange(offset: offset, stride: g.strideW, size: w, count: ow)
      for r in 0..<oh {
        let ih = r * g.strideH - g.padTop + i * g.dilationH
        let line = dst + r * ow
        guard ih >= 0 && ih < h else { line.update(repeating: 0, count: ow); continue }
        if lo > 0 { line.update(repeating: 0, count: lo) }
        if hi < ow { (line + hi).update(repeating: 0, count: ow - hi) }
        let src = plane + ih * w + offset
        if g.strideW == 1 {
          (line + lo).update(from: src + lo, count: hi - lo)
        } else {
          for k in lo..<hi { line[k] = src[k * g.strideW] }
        }
      }
    }
  }

  /// Input gradient as a stride-1 convolution of `dy` (zero-upsampled by the stride) with
  /// the flipped, channel-transposed weights `[C, Mg, KH, KW]`.
  ///
  /// Pads become `(dh*(KH-1) - pt, dw*(KW-1) - pl)` at the start; the output is `[N, C, H, W]`.
  static func backwardData(
    _ dy: UnsafePointer<Float>, transposedWeights wt: UnsafePointer<Float>,
    geometry g: ConvolutionGeometry, into dx: UnsafeMutablePointer<Float>
  ) {
    let (oh, ow) = (g.outHeight, g.outWidth)
    let uh = (oh - 1) * g.strideH + 1, uw = (ow - 1) * g.strideW + 1
    var t = g
    (t.inChannels, t.height, t.width, t.outChannels) = (g.outChannels, uh, uw, g.inChannels)
    (t.strideH, t.strideW) = (1, 1)
    t.padTop = g.dilationH * (g.kernelHeight - 1) - g.padTop
    t.padLeft = g.dilationW * (g.kernelWidth - 1) - g.padLeft
    t.padBottom = g.height - uh + g.padTop
    t.padRight = g.width - uw + g.padLeft
    precondition(t.outHeight == g.height && t.outWidth == g.width, "transposed conv size")
    if g.strideH == 1 && g.strideW == 1 {
      forward(dy, weights: wt, bias: nil, geometry: t, into: dx)
      return
    }
    // NB: zero insertion wastes stride² work; only stride-2 convs of small channel counts
    // (stems, downsampling) come here, and oneDNN's backward-data is the default for them.
    let planes = g.batch * g.outChannels
    let up = UnsafeMutablePointer<Float>.allocate(capacity: planes * uh * uw)  // [N, M, UH, UW]
    defer { up.deallocate() }
    up.initialize(repeating: 0, count: planes * uh * uw)
    for p in 0..<planes {
      for r in 0..<oh {
        let src = dy + (p * oh + r) * ow, dst = up + (p * uh + r * g.strideH) * uw
        for k in 0..<ow { dst[k * g.strideW] = src[k] }
      }
    }
    forward(up, weights: wt, bias: nil, geometry: t, into: dx)
  }

  /// Weight gradient `dW_g += dy[n, g] [Mg, OH*OW] x col^T [OH*OW, Cg*KH*KW]` (accumulates).
  static func backwardWeights(
    _ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, geometry g: ConvolutionGeometry,
    into dw: UnsafeMutablePointer<Float>
  ) {
    let pixels = g.outHeight * g.outWidth
    let rows = g.groupInChannels * g.kernelHeight * g.kernelWidth
    let col = UnsafeMutablePointer<Float>.allocate(capacity: rows * pixels)
    defer { col.deallocate() }
    let mg = g.groupOutChannels
    for n in 0..<g.batch {
      for group in 0..<g.groups {
        let xg = x + (n * g.inChannels + group * g.groupInChannels) * g.height * g.width
        im2col(xg, channels: g.groupInChannels, geometry: g, into: col)  // [Cg*KH*KW, OH*OW]
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasTrans, Int32(mg), Int32(rows), Int32(pixels), 1,
          dy + (n * g.outChannels + group * mg) * pixels, Int32(pixels), col, Int32(pixels), 1,
          dw + group * mg * rows, Int32(rows))
      }
    }
  }

  /// Weights `[M, Cg, KH, KW]` flipped in space and transposed per group: `[C, Mg, KH, KW]`.
  static func transposedWeights(_ w: [Float], geometry g: ConvolutionGeometry) -> [Float] {
    let (cg, mg, kh, kw) = (g.groupInChannels, g.groupOutChannels, g.kernelHeight, g.kernelWidth)
    var t = [Float](repeating: 0, count: w.count)
    for group in 0..<g.groups {
      for m in 0..<mg {
        for c in 0..<cg {
          for i in 0..<kh {
            for j in 0..<kw {
              let from = (((group * mg + m) * cg + c) * kh + i) * kw + j
              let to = (((group * cg + c) * mg + m) * kh + (kh - 1 - i)) * kw + (kw - 1 - j)
              t[to] = w[from]
            }
          }
        }
      }
    }
    return t
  }
}

/// The outputs `[lo, hi)` of a row whose tap `k*stride + offset` lands inside `0..<size`.
@inline(__always)
func validRange(offset: Int, stride: Int, size: Int, count: Int) -> (Int, Int) {
  // lo = ceil(-offset / stride), hi = floor((size - 1 - offset) / stride) + 1, clamped.
  let lo = min(count, max(0, -floorDivide(offset, stride)))
  let hi = max(lo, min(count, floorDivide(size - 1 - offset, stride) + 1))
  return (lo, hi)
}

/// `floor(a / b)` for `b > 0`.
@inline(__always)
func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
