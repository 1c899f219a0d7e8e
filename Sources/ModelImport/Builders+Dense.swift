// ONNX builders for the Dense ops.

/// Builders for the Dense ops.
let denseBuilders: [String: OperatorBuilder] = [:]
