// ONNX builders for the Pooling ops.

/// Builders for the Pooling ops.
let poolingBuilders: [String: OperatorBuilder] = [:]
