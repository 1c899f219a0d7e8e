// ONNX builders for Gemm and MatMul.
import Engine
import Network

/// Builders for the Dense ops.
let denseBuilders: [String: OperatorBuilder] = [
  "Gemm": buildGemm,
  "MatMul": { _ in MatMul() },
]

private func buildGemm(_ context: ONNXNodeContext) throws -> any Operator {
  func flag(_ name: String) throws -> Bool {
    let value = try context.int(name, default: 0)
    guard value == 0 || value == 1 else { throw context.attributeError(name, "must be 0 or 1, got \(value)") }
    return value == 1
  }
  // Constant B (and C, when given) let the layer run as a oneDNN inner product with weights
  // arranged once.
  let bias = context.constantInput(2)?.floatTensor
  let constant = !context.hasInput(2) || bias != nil
  return Gemm(
    transA: try flag("transA"), transB: try flag("transB"),
    alpha: try context.float("alpha", default: 1), beta: try context.float("beta", default: 1),
    weights: constant ? context.constantInput(1)?.floatTensor : nil, bias: bias)
}
