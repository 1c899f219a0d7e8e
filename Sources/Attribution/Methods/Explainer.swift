// The entry point of the explanation methods: a model plus how to batch work on it.
import Engine
import Foundation
public import Network

/// How many images one forward (or forward and backward) call takes.
///
/// Perturbation and sampling methods evaluate many variants of one image; each batch row
/// holds roughly `factor x input bytes` while it runs (a forward pass keeps a few live
/// activations; a backward pass keeps every activation downstream of the gradient target),
/// so the batch size is `budget / (factor x input bytes)`, clamped to `1...maxBatch`.
/// The default factors were measured on EfficientNet-Lite0 at 224 x 224 (peak resident memory
/// at batch 8 vs batch 1): about 33x the input per row forward, 120x forward and backward.
public struct BatchPolicy: Sendable, Equatable {
  /// Memory one batch may use, in megabytes.
  public var budgetMB: Double
  /// Bytes per row of a forward-only batch, as a multiple of the input's bytes.
  public var forwardFactor: Double
  /// Bytes per row of a forward-and-backward batch, as a multiple of the input's bytes.
  public var backwardFactor: Double
  /// Upper bound on the batch size (larger batches stop paying off on a CPU).
  public var maxBatch: Int
  /// A fixed batch size that overrides the budget, or nil.
  public var fixedSize: Int?

  public init(
    budgetMB: Double = 512, forwardFactor: Double = 40, backwardFactor: Double = 128,
    maxBatch: Int = 32, fixedSize: Int? = nil
  ) {
    self.budgetMB = budgetMB
    self.forwardFactor = forwardFactor
    self.backwardFactor = backwardFactor
    self.maxBatch = maxBatch
    self.fixedSize = fixedSize
  }

  /// The batch size for items of `elements` floats.
  public func size(itemElements elements: Int, backward: Bool) -> Int {
    if let fixedSize { return max(1, fixedSize) }
    let rowBytes = Double(max(1, elements) * 4) * (backward ? backwardFactor : forwardFactor)
    let fitting = Int((budgetMB * 1_048_576 / rowBytes).rounded(.down))
    return min(max(1, fitting), max(1, maxBatch))
  }
}

/// Progress reporting and stopping for a long method.
public struct RunControl {
  /// Called after each batch with (items done, items in total).
  public var progress: ((Int, Int) -> Void)?
  /// Checked between batches (and by the network between nodes).
  public var cancellation: Cancellation?

  public init(progress: ((Int, Int) -> Void)? = nil, cancellation: Cancellation? = nil) {
    self.progress = progress
    self.cancellation = cancellation
  }

  /// Throws ``NetworkError/cancelled`` when a stop was requested.
  func check() throws { try cancellation?.check() }
}

/// Runs explanation methods on one model.
///
/// Every method takes one image `[1, C, H, W]` in the model's input space and a
/// ``TargetSelection`` (resolved against the image's own logits), and returns one
/// ``AttributionMap`` per target, in target order.
public struct Explainer: Sendable {
  public var model: DifferentiableModel
  public var batching: BatchPolicy

  public init(model: DifferentiableModel, batching: BatchPolicy = BatchPolicy()) {
    self.model = model
    self.batching = batching
  }

  /// Checks that `input` is one image and returns its `[C, H, W]`.
  func imageShape(_ input: Tensor) throws -> [Int] {
    guard input.rank == 4, input.shape[0] == 1, input.count > 0 else {
      throw AttributionError.badInput(
        "the input must be one image [1, C, H, W], got \(input.shape)")
    }
    return Array(input.shape.dropFirst())
  }
}

/// The maps with the final cost of the call that made them.
func stamped(_ maps: [AttributionMap], _ meter: CostMeter) -> [AttributionMap] {
  let cost = meter.cost
  return maps.map { map in
    var map = map
    map.cost = cost
    return map
  }
}

/// Counts passes and measures time for one method call.
final class CostMeter {
  private let start = DispatchTime.now().uptimeNanoseconds
  var forwardPasses = 0
  var backwardPasses = 0
  var imagesEvaluated = 0

  /// The cost so far.
  var cost: Cost {
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    return Cost(
      forwardPasses: forwardPasses, backwardPasses: backwardPasses,
      imagesEvaluated: imagesEvaluated, milliseconds: elapsed)
  }
}
