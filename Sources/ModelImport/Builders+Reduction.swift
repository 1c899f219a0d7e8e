// ONNX builders for ReduceSum and ReduceMean.
import Engine
import Network

/// Builders for the Reduction ops.
let reductionBuilders: [String: OperatorBuilder] = [
  // The opset from which `axes` is an input (and `noop_with_empty_axes` exists).
  "ReduceSum": reduction(mean: false, axesInputFrom: 13),
  "ReduceMean": reduction(mean: true, axesInputFrom: 18),
]

private func reduction(mean: Bool, axesInputFrom: Int64) -> OperatorBuilder {
  { context in
    let keepDims = try context.int("keepdims", default: 1) != 0
    if context.opset < axesInputFrom {
      try context.requireInputs(1...1)
      return ReduceOperator(
        mean: mean, axes: try context.intList("axes"), keepDims: keepDims,
        noopWithEmptyAxes: false)
    }
    try context.requireInputs(1...2)
    let noop = try context.int("noop_with_empty_axes", default: 0) != 0
    return ReduceOperator(mean: mean, axes: nil, keepDims: keepDims, noopWithEmptyAxes: noop)
  }
}
