// ONNX builders for the Normalization ops.

/// Builders for the Normalization ops.
let normalizationBuilders: [String: OperatorBuilder] = [:]
