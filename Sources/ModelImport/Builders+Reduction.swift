// ONNX builders for the Reduction ops.

/// Builders for the Reduction ops.
let reductionBuilders: [String: OperatorBuilder] = [:]
