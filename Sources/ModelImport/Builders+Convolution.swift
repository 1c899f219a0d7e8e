// ONNX builders for the Convolution ops.

/// Builders for the Convolution ops.
let convolutionBuilders: [String: OperatorBuilder] = [:]
