// ONNX builders for the activations: Relu, LeakyRelu, Sigmoid, Tanh, Clip, Softmax, LogSoftmax.
import Engine
import Network

/// Builders for the Activation ops.
let activationBuilders: [String: OperatorBuilder] = [
  "Relu": unary(.relu), "Sigmoid": unary(.sigmoid), "Tanh": unary(.tanh),
  "LeakyRelu": { context in
    try context.requireInputs(1...1)
    return UnaryOperator(
      opType: "LeakyRelu", function: .leakyRelu(alpha: try context.float("alpha", default: 0.01)))
  },
  "Clip": buildClip,
  "Softmax": softmax(log: false), "LogSoftmax": softmax(log: true),
]

/// Clip: `min`/`max` attributes before opset 11, optional scalar inputs 1 and 2 from 11.
private func buildClip(_ context: ONNXNodeContext) throws -> any Operator {
  if context.opset < 11 {
    try context.requireInputs(1...1)
    return ClipOperator(
      low: try context.float("min", default: -.infinity),
      high: try context.float("max", default: .infinity))
  }
  try context.requireInputs(1...3)
  for index in 1...2 {
    if case .float(let t)? = context.constantInput(index), t.count != 1 {
      throw context.nodeError(
        "\(index == 1 ? "min" : "max") must be a scalar, got shape \(t.shape)")
    }
  }
  return ClipOperator()
}

/// Softmax/LogSoftmax: before opset 13 `axis` (default 1) flattens to 2-D; from 13 `axis`
/// (default -1) is the one axis normalised.
private func softmax(log: Bool) -> OperatorBuilder {
  { context in
    try context.requireInputs(1...1)
    let modern = context.opset >= 13
    return SoftmaxOperator(
      axis: try context.intValue("axis", default: modern ? -1 : 1), log: log, flattened: !modern)
  }
}
