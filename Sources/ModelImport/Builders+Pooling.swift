// ONNX builders for the pooling ops and LRN.
import Engine
import Network

/// Builders for the Pooling ops.
let poolingBuilders: [String: OperatorBuilder] = [
  "MaxPool": buildMaxPool,
  "AveragePool": buildAveragePool,
  "GlobalAveragePool": { _ in GlobalPool(max: false) },
  "GlobalMaxPool": { _ in GlobalPool(max: true) },
  "LRN": buildLRN,
]

private func buildMaxPool(_ context: ONNXNodeContext) throws -> any Operator {
  let attributes = try poolingWindow(context)
  let wantsIndices = context.node.outputs.count > 1 && !context.node.outputs[1].isEmpty
  if wantsIndices, try context.int("storage_order", default: 0) != 0 {
    throw context.attributeError("storage_order", "1 (column-major Indices) is not supported")
  }
  return Pool(.max(indices: wantsIndices), attributes: attributes, ceilMode: try ceilMode(context))
}

private func buildAveragePool(_ context: ONNXNodeContext) throws -> any Operator {
  let attributes = try poolingWindow(context)
  let include = try context.int("count_include_pad", default: 0)
  guard include == 0 || include == 1 else {
    throw context.attributeError("count_include_pad", "must be 0 or 1, got \(include)")
  }
  return Pool(.average(countIncludePad: include == 1), attributes: attributes, ceilMode: try ceilMode(context))
}

private func buildLRN(_ context: ONNXNodeContext) throws -> any Operator {
  let size = try context.int("size")
  guard size >= 1 else { throw context.attributeError("size", "must be at least 1, got \(size)") }
  return LRN(LocalResponseNorm.Parameters(
    size: Int(size), alpha: try context.float("alpha", default: 1e-4),
    beta: try context.float("beta", default: 0.75), bias: try context.float("bias", default: 1)))
}

/// The window of a pooling node: `kernel_shape` is required and fixes the spatial rank.
private func poolingWindow(_ context: ONNXNodeContext) throws -> WindowAttributes {
  let attributes = try context.windowAttributes()
  guard let kernel = attributes.kernelShape else { throw context.attributeError("kernel_shape", "is required") }
  try context.checkWindow(attributes, kernel: kernel)
  return attributes
}

private func ceilMode(_ context: ONNXNodeContext) throws -> Bool {
  let value = try context.int("ceil_mode", default: 0)
  guard value == 0 || value == 1 else { throw context.attributeError("ceil_mode", "must be 0 or 1, got \(value)") }
  return value == 1
}
