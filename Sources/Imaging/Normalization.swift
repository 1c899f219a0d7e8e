// Float maps (saliency, Grad-CAM, SHAP values) and how their values become colormap positions.

/// A 2-D map of floats, row-major with the top row first: `values[y * width + x]`.
public struct ScalarMap: Sendable, Equatable {
  public var width: Int
  public var height: Int
  public var values: [Float]

  /// Makes a map; `values.count` must be `width * height`.
  public init(width: Int, height: Int, values: [Float]) {
    precondition(width > 0 && height > 0, "a map has at least one value")
    precondition(values.count == width * height, "map values do not match its size")
    self.width = width
    self.height = height
    self.values = values
  }

  /// The value at column `x`, row `y`.
  public subscript(x: Int, y: Int) -> Float { values[y * width + x] }
}

/// How a map's values are spread over a colormap.
public enum MapNormalization: Sendable, Equatable {
  /// `min...max` onto `0...1` (Grad-CAM's usual display).
  case minMax
  /// `|v|` over `0...p`, where p is the given percentile of `|v|`, clipped at 1
  /// (saliency maps: a few extreme gradients would otherwise wash the rest out).
  case magnitudePercentile(Double)
  /// `-m...m` onto `0...1` with zero at the centre, m the given percentile of `|v|` (100: the
  /// largest); values past ±m are clipped. For signed maps drawn with a diverging colormap.
  case symmetric(percentile: Double)
}

/// The value range a normalisation chose: which values land on colormap positions 0 and 1.
public struct MapScale: Sendable, Equatable {
  /// The value drawn at position 0.
  public var low: Float
  /// The value drawn at position 1.
  public var high: Float
  /// Whether positions are computed from `|v|` rather than `v`.
  public var usesMagnitude: Bool

  /// Makes a scale; a degenerate range (`high <= low`, e.g. a constant map under min-max) becomes
  /// `low...low + 1`, so its values land on position 0 instead of dividing by zero.
  public init(low: Float, high: Float, usesMagnitude: Bool = false) {
    precondition(low.isFinite && high.isFinite, "a scale needs finite bounds")
    self.low = low
    self.high = high > low ? high : low + 1
    self.usesMagnitude = usesMagnitude
  }

  /// The colormap position of a value, in [0, 1]; NaN is drawn as 0 would be.
  @inline(__always)
  public func position(_ v: Float) -> Float {
    let x = v.isNaN ? 0 : usesMagnitude ? abs(v) : v
    let t = (x - low) / (high - low)
    return t.isNaN ? 0 : min(max(t, 0), 1)
  }

  /// The scale a normalisation picks for a set of maps (one scale shared by several panels).
  public static func fitting(_ maps: [ScalarMap], _ normalization: MapNormalization) -> MapScale {
    // NB: infinities are dropped too: one would make every finite value land on one position.
    let values = maps.flatMap { $0.values.filter { $0.isFinite } }
    guard !values.isEmpty else { return MapScale(low: 0, high: 1) }
    switch normalization {
    case .minMax:
      let lo = values.min()!
      let hi = values.max()!
      return MapScale(low: lo, high: hi)
    case .magnitudePercentile(let p):
      let m = percentile(values.map { abs($0) }, p)
      return MapScale(low: 0, high: m, usesMagnitude: true)
    case .symmetric(let p):
      // An all-zero map keeps zero at the centre: -1...1 rather than a widened 0...1.
      let m = percentile(values.map { abs($0) }, p)
      return m > 0 ? MapScale(low: -m, high: m) : MapScale(low: -1, high: 1)
    }
  }
}

/// The p-th percentile (0...100) with numpy's default linear interpolation between order
/// statistics: position `p / 100 * (n - 1)` in the sorted values.
public func percentile(_ values: [Float], _ p: Double) -> Float {
  precondition(!values.isEmpty, "percentile of no values")
  precondition((0...100).contains(p), "percentile \(p) outside 0...100")
  let sorted = values.sorted()
  let at = p / 100 * Double(sorted.count - 1)
  let i = Int(at.rounded(.down))
  let fraction = Float(at - Double(i))
  guard i + 1 < sorted.count else { return sorted[i] }
  return sorted[i] + (sorted[i + 1] - sorted[i]) * fraction
}

extension ScalarMap {
  /// The map's colormap positions under a normalisation fitted to this map alone.
  public func normalized(_ normalization: MapNormalization) -> ScalarMap {
    normalized(by: MapScale.fitting([self], normalization))
  }

  /// The map's colormap positions under a given scale (values in [0, 1], never NaN).
  public func normalized(by scale: MapScale) -> ScalarMap {
    ScalarMap(width: width, height: height, values: values.map { scale.position($0) })
  }
}
