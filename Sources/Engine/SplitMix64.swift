// The seeded generator behind every sampled method (SmoothGrad noise, expected-gradient
// draws, RISE masks) and every seeded test, so a seed reproduces a map on any machine.
import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014): one 64-bit word of state, a Weyl step and a
/// three-round mix; simple enough to re-implement elsewhere and regenerate a map exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64
  /// The second normal deviate of the last Box-Muller pair, not yet handed out.
  private var spareNormal: Double?

  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A double uniform in `[0, 1)`, from the top 53 bits.
  public mutating func nextUnit() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// A double uniform in `range`, from the top 53 bits.
  public mutating func nextUniform(in range: ClosedRange<Double> = 0...1) -> Double {
    range.lowerBound + nextUnit() * (range.upperBound - range.lowerBound)
  }

  /// A float tensor of the given shape with elements uniform in `range`.
  public mutating func tensor(_ shape: [Int], in range: ClosedRange<Double> = -1...1) -> Tensor {
    Tensor(shape: shape, storage: (0..<shape.reduce(1, *)).map { _ in Float(nextUniform(in: range)) })
  }

  /// An integer uniform in `0..<bound` (multiply-shift; the bias is below 2^-32 for small bounds).
  public mutating func nextIndex(below bound: Int) -> Int {
    precondition(bound > 0, "empty range")
    return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
  }

  /// A standard normal deviate (Box-Muller, both values of each pair used).
  public mutating func nextNormal() -> Double {
    if let spare = spareNormal {
      spareNormal = nil
      return spare
    }
    let u1 = 1 - nextUnit()  // in (0, 1]: log never sees 0
    let u2 = nextUnit()
    let radius = (-2 * log(u1)).squareRoot()
    let angle = 2 * Double.pi * u2
    spareNormal = radius * sin(angle)
    return radius * cos(angle)
  }
}
