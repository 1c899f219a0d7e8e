// Sum and mean over a set of axes (ONNX ReduceSum, ReduceMean), with their VJPs: reducing is
// summing back to a shape with 1 on the reduced axes, and its adjoint is broadcasting.

/// How a reduction maps shapes: which axes go, and whether they stay as extent 1.
public struct Reduction: Sendable, Equatable {
  /// The reduced axes, each in `0..<rank`.
  public var axes: Set<Int>
  public var keepDims: Bool
  public var mean: Bool

  public init(axes: Set<Int>, keepDims: Bool, mean: Bool) {
    self.axes = axes
    self.keepDims = keepDims
    self.mean = mean
  }

  /// `shape` with the reduced axes set to 1.
  func keptShape(_ shape: [Int]) -> [Int] {
    shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
  }

  /// The output shape for an input of `shape`.
  public func outputShape(_ shape: [Int]) -> [Int] {
    keepDims ? keptShape(shape) : shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
  }

  /// Number of input elements folded into each output element.
  func groupSize(_ shape: [Int]) -> Int { axes.map { shape[$0] }.reduce(1, *) }
}

/// Sums (or averages) `x` over the reduction's axes.
///
/// The mean of an empty group is NaN (0/0), as numpy gives.
/// - Precondition: every axis is in `0..<x.rank`.
public func reduce(_ x: Tensor, _ reduction: Reduction) -> Tensor {
  precondition(
    reduction.axes.allSatisfy { $0 >= 0 && $0 < x.rank },
    "reduce axes \(reduction.axes) vs \(x.shape)")
  var sum = sumToShape(x, reduction.keptShape(x.shape))
  if reduction.mean {
    let scale = 1 / Float(reduction.groupSize(x.shape))
    sum = scaled(sum, by: scale)
  }
  return sum.reshaped(reduction.outputShape(x.shape))
}

/// VJP of ``reduce(_:_:)``: `g` broadcast back over the reduced axes (divided by the group
/// size for a mean).
public func reduceBackward(inputShape: [Int], _ reduction: Reduction, g: Tensor) -> Tensor {
  let kept = g.reshaped(reduction.keptShape(inputShape))
  var dx = expandImpl(kept, to: inputShape)
  if reduction.mean {
    let scale = 1 / Float(reduction.groupSize(inputShape))
    dx = scaled(dx, by: scale)
  }
  return dx
}
