// A tiny seeded generator so tests and sampled methods are reproducible everywhere.
public import Engine

/// SplitMix64 (Steele, Lea and Flood 2014): a fast, well-mixed 64-bit generator with a
/// one-word state, reimplementable in any language so fixtures can be regenerated exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A double uniform in `range`, from the top 53 bits.
  public mutating func nextUniform(in range: ClosedRange<Double> = 0...1) -> Double {
    let unit = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    return range.lowerBound + unit * (range.upperBound - range.lowerBound)
  }

  /// A float tensor of the given shape with elements uniform in `range`.
  public mutating func tensor(_ shape: [Int], in range: ClosedRange<Double> = -1...1) -> TensorOf<Float> {
    TensorOf<Float>(shape: shape, storage: (0..<shape.reduce(1, *)).map { _ in Float(nextUniform(in: range)) })
  }
}
