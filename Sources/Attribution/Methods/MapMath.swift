// Small map operations the methods share: normalising, resizing, blurring, reducing channels.
public import Engine
import Foundation

/// How a signed `[C, H, W]` pixel map becomes one `[H, W]` picture (a display choice, kept
/// apart from the methods so the raw map stays available).
public enum ChannelReduction: String, Sendable, CaseIterable {
  /// `max_c |v|`: the usual saliency display (Simonyan et al. 2013).
  case maxAbs
  /// `sum_c |v|`.
  case sumAbs
  /// `sum_c v`, signed: what IG and SHAP pictures show in red and blue.
  case sum
  /// `sqrt(sum_c v^2)`.
  case l2
}

/// Reduces a `[C, H, W]` (or `[1, C, H, W]`) map over its channels to `[H, W]`.
/// - Precondition: the map has rank 3, or rank 4 with batch 1.
public func reduceChannels(_ map: Tensor, _ reduction: ChannelReduction) -> Tensor {
  let s = map.shape
  precondition(s.count == 3 || (s.count == 4 && s[0] == 1), "expected [C, H, W], got \(s)")
  let channels = s[s.count - 3]
  let plane = s[s.count - 2] * s[s.count - 1]
  var out = [Float](repeating: 0, count: plane)
  for c in 0..<channels {
    for i in 0..<plane {
      let v = map.storage[c * plane + i]
      switch reduction {
      case .maxAbs: out[i] = max(out[i], abs(v))
      case .sumAbs: out[i] += abs(v)
      case .sum: out[i] += v
      case .l2: out[i] += v * v
      }
    }
  }
  if reduction == .l2 { out = out.map { $0.squareRoot() } }
  return Tensor(shape: [s[s.count - 2], s[s.count - 1]], storage: out)
}

/// The (row, column) of the largest element of a 2-D map (first one on ties).
public func peak(of map: Tensor) -> (row: Int, column: Int) {
  precondition(map.rank == 2, "peak needs a 2-D map, got \(map.shape)")
  var best = 0
  for i in 1..<max(1, map.count) where map.storage[i] > map.storage[best] { best = i }
  return (best / map.shape[1], best % map.shape[1])
}

/// `(v - min) / (max - min)`; all zeros when the values are constant.
public func minMaxNormalised(_ values: [Float]) -> [Float] {
  guard let low = values.min(), let high = values.max(), high > low else {
    return [Float](repeating: 0, count: values.count)
  }
  let scale = 1 / (high - low)
  return values.map { ($0 - low) * scale }
}

/// Bilinear resize of an `[h, w]` plane to `[outH, outW]` with half-pixel centres and edge
/// clamp (`align_corners=False`, no antialiasing), computed per output pixel as
/// `s = max((d + 0.5) * in / out - 0.5, 0)`, interpolating between `floor(s)` and the next
/// source pixel (clamped to the edge).
public func resizeBilinear(
  _ plane: [Float], height h: Int, width w: Int, toHeight outH: Int, width outW: Int
) -> [Float] {
  precondition(plane.count == h * w, "plane of \(plane.count) values is not \(h)x\(w)")
  let rows = interpolationTaps(from: h, to: outH)
  let columns = interpolationTaps(from: w, to: outW)
  var out = [Float](repeating: 0, count: outH * outW)
  plane.withUnsafeBufferPointer { src in
    let p = src.baseAddress!
    for y in 0..<outH {
      let (y0, y1, ty) = rows[y]
      for x in 0..<outW {
        let (x0, x1, tx) = columns[x]
        let top = (1 - tx) * p[y0 * w + x0] + tx * p[y0 * w + x1]
        let bottom = (1 - tx) * p[y1 * w + x0] + tx * p[y1 * w + x1]
        out[y * outW + x] = (1 - ty) * top + ty * bottom
      }
    }
  }
  return out
}

/// Source indices and weight for each destination index of a half-pixel bilinear resize.
private func interpolationTaps(from size: Int, to out: Int) -> [(Int, Int, Float)] {
  (0..<out).map { d in
    let s = max((Double(d) + 0.5) * Double(size) / Double(out) - 0.5, 0)
    let i0 = min(Int(s.rounded(.down)), size - 1)
    return (i0, min(i0 + 1, size - 1), Float(s - Double(i0)))
  }
}

/// A Gaussian-blurred copy of an `[N, C, H, W]` tensor, each plane separately, edges clamped.
/// The kernel spans `±ceil(3 sigma)` pixels; `sigma <= 0` returns the input.
public func gaussianBlurred(_ image: Tensor, sigma: Double) -> Tensor {
  precondition(image.rank == 4, "expected [N, C, H, W], got \(image.shape)")
  guard sigma > 0 else { return image }
  let radius = Int((3 * sigma).rounded(.up))
  var kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
  let total = kernel.reduce(0, +)
  kernel = kernel.map { $0 / total }
  let h = image.shape[2]
  let w = image.shape[3]
  let planes = image.shape[0] * image.shape[1]
  var out = image
  var line = [Float](repeating: 0, count: h * w)
  for p in 0..<planes {
    let base = p * h * w
    for y in 0..<h {  // along rows
      for x in 0..<w {
        var acc: Float = 0
        for k in -radius...radius {
          acc += kernel[k + radius] * image.storage[base + y * w + min(max(x + k, 0), w - 1)]
        }
        line[y * w + x] = acc
      }
    }
    for y in 0..<h {  // along columns
      for x in 0..<w {
        var acc: Float = 0
        for k in -radius...radius {
          acc += kernel[k + radius] * line[min(max(y + k, 0), h - 1) * w + x]
        }
        out.storage[base + y * w + x] = acc
      }
    }
  }
  return out
}
