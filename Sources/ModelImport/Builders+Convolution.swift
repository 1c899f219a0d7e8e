// ONNX builders for Conv, and the window-attribute parsing Conv and pooling share.
import Engine
import Network

/// Builders for the Convolution ops.
let convolutionBuilders: [String: OperatorBuilder] = [
  "Conv": buildConv
]

private func buildConv(_ context: ONNXNodeContext) throws -> any Operator {
  let group = try context.int("group", default: 1)
  guard group >= 1 else { throw context.attributeError("group", "must be at least 1, got \(group)") }
  let attributes = try context.windowAttributes()
  let weights = context.constantInput(1)?.floatTensor
  let bias = context.hasInput(2) ? context.constantInput(2)?.floatTensor : nil
  if let weights {
    guard weights.rank >= 3 else {
      throw context.nodeError("W must have shape [M, C/group, kernel...], got \(weights.shape)")
    }
    try context.checkWindow(attributes, kernel: Array(weights.shape.dropFirst(2)))
    guard weights.shape[0] % Int(group) == 0 else {
      throw context.attributeError("group", "\(group) does not divide the \(weights.shape[0]) output channels of W")
    }
  } else if let kernel = attributes.kernelShape {
    try context.checkWindow(attributes, kernel: kernel)
  }
  // Prepare the engine convolution only when every parameter is known now.
  let constant = weights != nil && (!context.hasInput(2) || bias != nil)
  do {
    return try Conv(
      group: Int(group), attributes: attributes, weights: constant ? weights : nil,
      bias: constant ? bias : nil)
  } catch {
    throw context.nodeError("\(error)")
  }
}

extension ONNXNodeContext {
  /// `kernel_shape`, `strides`, `dilations`, `pads` and `auto_pad`, type-checked.
  func windowAttributes() throws -> WindowAttributes {
    func list(_ name: String) throws -> [Int]? {
      has(name) ? try ints(name).map { Int($0) } : nil
    }
    let padding = try string("auto_pad", default: "NOTSET")
    guard let autoPad = AutoPad(rawValue: padding) else {
      throw attributeError("auto_pad", "must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '\(padding)'")
    }
    return WindowAttributes(
      kernelShape: try list("kernel_shape"), strides: try list("strides"),
      dilations: try list("dilations"), pads: try list("pads"), autoPad: autoPad)
  }

  /// Throws a ``ModelImportError/badAttribute`` naming the attribute when the window does
  /// not fit a kernel of spatial extents `kernel`.
  func checkWindow(_ attributes: WindowAttributes, kernel: [Int]) throws {
    do {
      _ = try attributes.window(kernel: kernel)
    } catch {
      throw attributeError(error.attribute, error.message)
    }
  }
}
