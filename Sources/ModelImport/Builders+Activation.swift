// ONNX builders for the Activation ops.

/// Builders for the Activation ops.
let activationBuilders: [String: OperatorBuilder] = [:]
