// What an explanation explains: a class score (or a difference of two), and the score's scale.
//
// Every gradient method back-propagates from the logits; the softmax and log-softmax are not
// part of the graph, so their derivatives are applied here analytically:
//   p = softmax(z):          d p_c / d z_j = p_c (delta_cj - p_j)
//   log p = log softmax(z):  d log p_c / d z_j = delta_cj - p_j
import Foundation

/// The scale a class score is read on.
public enum ScoreKind: String, Sendable, Equatable, CaseIterable {
  /// The pre-softmax score `z_c` (the default: its gradients do not vanish on confident inputs).
  case logit
  /// The softmax probability `p_c`.
  case probability
  /// The log-probability `log p_c = z_c - logsumexp(z)`.
  case logProbability
}

/// One scalar to explain: the score of `classIndex`, minus the score of `versus` when set.
public struct Target: Sendable, Equatable, CustomStringConvertible {
  /// The class explained.
  public var classIndex: Int
  /// A second class whose score is subtracted (`class vs other`), or nil.
  public var versus: Int?
  /// The scale of both scores.
  public var score: ScoreKind

  public init(classIndex: Int, versus: Int? = nil, score: ScoreKind = .logit) {
    self.classIndex = classIndex
    self.versus = versus
    self.score = score
  }

  public var description: String {
    let base = versus.map { "\(classIndex) vs \($0)" } ?? "\(classIndex)"
    return score == .logit ? base : "\(base) (\(score.rawValue))"
  }

  /// The same target read on another scale.
  public func reading(_ kind: ScoreKind) -> Target {
    Target(classIndex: classIndex, versus: versus, score: kind)
  }

  /// The target's value for one row of logits, computed in Double.
  public func value(logits row: ArraySlice<Float>) -> Double {
    let one = single(classIndex, row)
    guard let versus else { return one }
    return one - single(versus, row)
  }

  /// `d value / d logits` for one row: the seed a backward pass starts from.
  public func seed(logits row: ArraySlice<Float>) -> [Float] {
    var gradient = [Double](repeating: 0, count: row.count)
    addSeed(classIndex, sign: 1, row, into: &gradient)
    if let versus { addSeed(versus, sign: -1, row, into: &gradient) }
    return gradient.map { Float($0) }
  }

  /// Throws unless both classes exist among `classes` outputs.
  public func validate(classes: Int) throws {
    for index in [classIndex] + (versus.map { [$0] } ?? []) where !(0..<classes).contains(index) {
      throw AttributionError.classOutOfRange(index, classes: classes)
    }
  }

  private func single(_ index: Int, _ row: ArraySlice<Float>) -> Double {
    let z = Double(row[row.startIndex + index])
    switch score {
    case .logit: return z
    case .probability: return exp(z - logSumExp(row))
    case .logProbability: return z - logSumExp(row)
    }
  }

  private func addSeed(_ index: Int, sign: Double, _ row: ArraySlice<Float>, into g: inout [Double])
  {
    switch score {
    case .logit:
      g[index] += sign
    case .probability:
      let p = probabilities(row)
      for j in 0..<g.count { g[j] -= sign * p[index] * p[j] }
      g[index] += sign * p[index]
    case .logProbability:
      let p = probabilities(row)
      for j in 0..<g.count { g[j] -= sign * p[j] }
      g[index] += sign
    }
  }
}

/// Which targets a user asked for, before the prediction is known.
public struct TargetSelection: Sendable, Equatable {
  /// The ways to name classes.
  public enum Classes: Sendable, Equatable {
    /// These class indices, in this order.
    case indices([Int])
    /// The `k` most probable classes of the input, best first.
    case top(Int)
    /// One class's score minus another's.
    case contrast(Int, versus: Int)
  }

  public var classes: Classes
  public var score: ScoreKind

  public init(_ classes: Classes, score: ScoreKind = .logit) {
    self.classes = classes
    self.score = score
  }

  /// One class on the given scale.
  public static func index(_ index: Int, score: ScoreKind = .logit) -> TargetSelection {
    TargetSelection(.indices([index]), score: score)
  }

  /// The `k` best classes on the given scale.
  public static func top(_ k: Int, score: ScoreKind = .logit) -> TargetSelection {
    TargetSelection(.top(k), score: score)
  }

  /// The concrete targets for an input whose logits row is `row`.
  /// - Throws: ``AttributionError`` for a class index outside the model's outputs or `k < 1`.
  public func resolve(logits row: ArraySlice<Float>) throws -> [Target] {
    let targets: [Target]
    switch classes {
    case .indices(let list):
      guard !list.isEmpty else { throw AttributionError.badParameter("class", "no class given") }
      targets = list.map { Target(classIndex: $0, score: score) }
    case .top(let k):
      guard k >= 1 else {
        throw AttributionError.badParameter("top", "must be at least 1, got \(k)")
      }
      let base = row.startIndex
      // Ranking by logit equals ranking by probability; ties keep index order.
      let order = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
      targets = order.prefix(k).map { Target(classIndex: $0 - base, score: score) }
    case .contrast(let a, let b):
      targets = [Target(classIndex: a, versus: b, score: score)]
    }
    for target in targets { try target.validate(classes: row.count) }
    return targets
  }
}

/// `log sum_j exp(z_j)`, stable, in Double.
func logSumExp(_ row: ArraySlice<Float>) -> Double {
  let peak = Double(row.max() ?? 0)
  var total = 0.0
  for z in row { total += exp(Double(z) - peak) }
  return peak + log(total)
}

/// Softmax of a row in Double.
func probabilities(_ row: ArraySlice<Float>) -> [Double] {
  let lse = logSumExp(row)
  return row.map { exp(Double($0) - lse) }
}
