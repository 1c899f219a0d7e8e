// One-axis resampling tables and the separable pass that applies them.
//
// Every method maps destination index d to source positions with half-pixel centres
// (align_corners = False) and reads outside the image as the edge pixel. None antialiases:
// downscaling samples, it does not average (except `area`, which averages by definition).
// Weights are Double; sums are accumulated in Double and rounded once to Float.

/// How a resize computes each destination pixel from the source.
public enum Interpolation: String, Sendable, CaseIterable {
  /// PIL's NEAREST, which Keras `load_img` uses by default: `s = min(floor((d + 0.5) * in/out), in-1)`.
  case nearest
  /// Bilinear, as torch `interpolate(mode="bilinear", align_corners=False, antialias=False)`:
  /// `s = max((d + 0.5) * in/out - 0.5, 0)`, taps `floor(s)` and `min(floor(s)+1, in-1)`.
  case bilinear
  /// Cubic convolution with a = -0.75 as torch `interpolate(mode="bicubic",
  /// align_corners=False)`: `s = (d + 0.5) * in/out - 0.5` (not clamped), four taps
  /// `floor(s)-1 ... floor(s)+2` clamped to the edge. (PIL's BICUBIC uses a = -0.5, renormalises
  /// at the borders and antialiases; it gives different values.) Can overshoot 0...255.
  case bicubic
  /// Box average over `floor(d * in/out) ..< ceil((d+1) * in/out)`, as torch `mode="area"`
  /// (adaptive average pooling); windows overlap when `in/out` is not an integer.
  case area
}

/// For each destination index along one axis: `taps` source indices and their weights.
struct ResampleAxis {
  let count: Int
  let taps: Int
  /// `[count * taps]` source indices, already clamped to `0..<input`.
  var index: [Int]
  /// `[count * taps]` weights; a destination's weights sum to 1.
  var weight: [Double]

  /// The table for resizing an axis of length `input` to `output`.
  init(input: Int, output: Int, interpolation: Interpolation) {
    precondition(input > 0 && output > 0, "resampling needs non-empty axes")
    let last = input - 1
    count = output
    switch interpolation {
    case .nearest: taps = 1
    case .bilinear: taps = 2
    case .bicubic: taps = 4
    case .area: taps = (input + output - 1) / output + 1
    }
    index = [Int](repeating: 0, count: output * taps)
    weight = [Double](repeating: 0, count: output * taps)
    for d in 0..<output {
      let base = d * taps
      switch interpolation {
      case .nearest:
        let s = (Double(d) + 0.5) * Double(input) / Double(output)
        index[base] = min(Int(s.rounded(.down)), last)
        weight[base] = 1
      case .bilinear:
        let s = max((Double(d) + 0.5) * Double(input) / Double(output) - 0.5, 0)
        let i0 = Int(s.rounded(.down))
        let t = s - Double(i0)
        index[base] = min(i0, last)
        index[base + 1] = min(i0 + 1, last)
        weight[base] = 1 - t
        weight[base + 1] = t
      case .bicubic:
        let s = (Double(d) + 0.5) * Double(input) / Double(output) - 0.5
        let i0 = Int(s.rounded(.down))
        let cubic = Self.cubicWeights(s - Double(i0))
        for k in 0..<4 {
          index[base + k] = min(max(i0 - 1 + k, 0), last)
          weight[base + k] = cubic[k]
        }
      case .area:
        // Integer arithmetic, as torch's adaptive pooling: no rounding at exact boundaries.
        let start = d * input / output, end = ((d + 1) * input + output - 1) / output
        for k in 0..<(end - start) {
          index[base + k] = start + k
          weight[base + k] = 1 / Double(end - start)
        }
      }
    }
  }

  /// Keys' cubic convolution weights (a = -0.75) for taps at -1, 0, 1, 2 around fraction `t`.
  static func cubicWeights(_ t: Double) -> [Double] {
    let a = -0.75
    func near(_ x: Double) -> Double { ((a + 2) * x - (a + 3)) * x * x + 1 }  // |x| <= 1
    func far(_ x: Double) -> Double { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }  // 1 < |x| < 2
    return [far(t + 1), near(t), near(1 - t), far(2 - t)]
  }

  /// Destinations `offset ..< offset + length` of this table (a centre crop of the resize).
  func slice(offset: Int, length: Int) -> ResampleAxis {
    precondition(offset >= 0 && offset + length <= count, "crop outside the resized axis")
    let range = (offset * taps)..<((offset + length) * taps)
    return ResampleAxis(
      count: length, taps: taps, index: Array(index[range]), weight: Array(weight[range]))
  }

  private init(count: Int, taps: Int, index: [Int], weight: [Double]) {
    self.count = count
    self.taps = taps
    self.index = index
    self.weight = weight
  }
}
