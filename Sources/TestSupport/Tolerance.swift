// Comparisons with tolerances, reported so a failing test says where and by how much.
public import Engine

/// Summary statistics of the difference between two float arrays.
public struct Difference: CustomStringConvertible, Sendable {
  public var maxAbs: Double
  public var maxAbsIndex: Int
  /// `||a - b|| / ||b||`.
  public var relativeL2: Double
  /// `a·b / (|a||b|)`.
  public var cosine: Double

  public var description: String {
    "max|diff| \(maxAbs) at \(maxAbsIndex), relative L2 \(relativeL2), cosine \(cosine)"
  }
}

/// Compares `actual` with `expected` element by element.
public func difference(_ actual: [Float], _ expected: [Float]) -> Difference {
  precondition(actual.count == expected.count, "length \(actual.count) vs \(expected.count)")
  var maxAbs = 0.0, maxIndex = 0, diff2 = 0.0, ref2 = 0.0, act2 = 0.0, dot = 0.0
  for i in 0..<actual.count {
    let a = Double(actual[i]), b = Double(expected[i])
    let d = abs(a - b)
    if d > maxAbs || d.isNaN { maxAbs = d; maxIndex = i }
    diff2 += d * d
    ref2 += b * b
    act2 += a * a
    dot += a * b
  }
  let cosine = (act2 > 0 && ref2 > 0) ? dot / (act2.squareRoot() * ref2.squareRoot()) : (act2 == ref2 ? 1 : 0)
  return Difference(
    maxAbs: maxAbs, maxAbsIndex: maxIndex,
    relativeL2: ref2 > 0 ? (diff2 / ref2).squareRoot() : diff2.squareRoot(), cosine: cosine)
}

/// Compares two tensors (shapes must match).
public func difference(_ actual: Tensor, _ expected: Tensor) -> Difference {
  precondition(actual.shape == expected.shape, "shape \(actual.shape) vs \(expected.shape)")
  return difference(actual.storage, expected.storage)
}
