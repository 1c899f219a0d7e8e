// ONNX builders for the Elementwise ops.

/// Builders for the Elementwise ops.
let elementwiseBuilders: [String: OperatorBuilder] = [:]
