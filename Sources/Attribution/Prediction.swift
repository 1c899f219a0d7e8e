// Turning logits into the ranked table `predict` shows.
public import Engine

/// One ranked class of a prediction.
public struct RankedClass: Sendable, Equatable {
  public var rank: Int
  public var label: ClassLabel
  public var probability: Float
  public var logit: Float
}

/// Numerically stable softmax of one row of logits, computed in Double.
public func softmax(_ logits: ArraySlice<Float>) -> [Float] {
  let peak = Double(logits.max() ?? 0)
  let exps = logits.map { Foundation.exp(Double($0) - peak) }
  let total = exps.reduce(0, +)
  return exps.map { Float($0 / total) }
}

/// The `k` most probable classes of each batch item of `[N, classes]` logits, best first.
/// - Precondition: the logits are 2-D with as many columns as `labels` has classes.
public func topClasses(logits: Tensor, labels: ClassLabels, k: Int) -> [[RankedClass]] {
  precondition(logits.rank == 2 && logits.shape[1] == labels.count, "logits \(logits.shape) vs \(labels.count) labels")
  let classes = logits.shape[1]
  return (0..<logits.shape[0]).map { n in
    let row = logits.storage[(n * classes)..<((n + 1) * classes)]
    let probabilities = softmax(row)
    // Ranked by logit, not probability: softmax is monotone in the logits, but when one logit
    // dominates (an untrained model, a very confident one) the others' probabilities all
    // underflow to 0 and their order would fall back to the class index.
    let order = (0..<classes).sorted {
      row[row.startIndex + $0] > row[row.startIndex + $1]
        || (row[row.startIndex + $0] == row[row.startIndex + $1] && $0 < $1)
    }
    return order.prefix(max(0, k)).enumerated().map { rank, index in
      RankedClass(
        rank: rank + 1, label: labels[index], probability: probabilities[index],
        logit: row[row.startIndex + index])
    }
  }
}

import Foundation
