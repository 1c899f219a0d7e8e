// ONNX builders for BatchNormalization (inference form) and Dropout (inference: identity).
import Engine
import Network

/// Builders for the Normalization ops.
let normalizationBuilders: [String: OperatorBuilder] = [
  "BatchNormalization": buildBatchNorm,
  "Dropout": buildDropout,
]

/// BatchNormalization with running statistics. Opset 7's `spatial = 0` normalises per
/// activation; training (opset 14's `training_mode = 1`, or asking for the running-statistics
/// outputs) is refused: Glimpse explains trained models, it does not train them.
private func buildBatchNorm(_ context: ONNXNodeContext) throws -> any Operator {
  try context.requireInputs(5...5)
  if try context.int("training_mode", default: 0) != 0 {
    throw context.attributeError("training_mode", "= 1 (training) is not supported")
  }
  if context.node.outputs.dropFirst().contains(where: { !$0.isEmpty }) {
    throw context.nodeError("training outputs (running mean and variance) are not supported")
  }
  let spatial = context.opset < 9 ? try context.int("spatial", default: 1) : 1
  let epsilon = try context.float("epsilon", default: 1e-5)
  guard epsilon >= 0 else {
    throw context.attributeError("epsilon", "must not be negative, got \(epsilon)")
  }
  return BatchNormOperator(epsilon: epsilon, perActivation: spatial == 0)
}

/// Dropout: `ratio` attribute before opset 12, `ratio` and `training_mode` inputs from 12;
/// the inference form passes data through (and an all-ones mask).
private func buildDropout(_ context: ONNXNodeContext) throws -> any Operator {
  try context.requireInputs(1...3)
  if context.opset >= 12 && context.hasInput(2) {
    // Training mode would drop random units: a different function, so it must be known off.
    switch context.constantInput(2) {
    case nil: throw context.nodeError("training_mode must be a constant")
    case .int64(let t) where t.storage.allSatisfy({ $0 == 0 }): break
    case .float(let t) where t.storage.allSatisfy({ $0 == 0 }): break
    default: throw context.nodeError("training_mode = true is not supported")
    }
  }
  return IdentityOperator(opType: "Dropout")
}
