// ONNX builders for the Shape ops.

/// Builders for the Shape ops.
let shapeBuilders: [String: OperatorBuilder] = [:]
