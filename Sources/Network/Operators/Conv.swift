// ONNX Conv: 1-D and 2-D convolution with groups, through Engine's backend seam.
public import Engine

/// ONNX `Conv` (opset 1-22): `Y = conv(X, W) + B`, NCHW, `W` `[M, C/group, kH, kW]`.
///
/// With constant weights (the usual case) the engine ``Convolution`` is built once, so its
/// caches (oneDNN primitives, reordered weights) live as long as the network.
public struct Conv: ChannelsLastOperator {
  public let opType = "Conv"
  public let group: Int
  public let attributes: WindowAttributes
  /// Built at import when `W` (and `B`, if given) are constants.
  let prepared: Convolution?

  /// - Parameters:
  ///   - weights, bias: the constant `W` and `B`, when known at import.
  /// - Throws: ``OperatorError`` when the constant weights do not fit the attributes.
  public init(group: Int, attributes: WindowAttributes, weights: Tensor? = nil, bias: Tensor? = nil) throws {
    self.group = group
    self.attributes = attributes
    if let weights {
      prepared = try Self.convolution(weights, bias, group: group, attributes: attributes, reused: true)
    } else {
      prepared = nil
    }
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    let conv = try convolution(inputs)
    let x4 = try OperatorInputs.asNCHW(x, op: opType)
    try check(x4, conv)
    return [.float(OperatorInputs.restoreRank(conv.forward(x4), rank: x.rank))]
  }

  /// Its backward never reads its output: a fused activation may replace it.
  public var appliesActivations: Bool { true }

  /// Constant weights and a 2-D image input: oneDNN's channels-last path applies.
  public func supportsChannelsLast(_ inputs: [Value?]) -> Bool {
    prepared != nil && inputs.first??.shape.count == 4
  }

  public func forward(
    _ inputs: [Value?], layout: ImageLayout, outputLayout: ImageLayout,
    activation: ConvolutionActivation
  ) throws -> [Value] {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    guard let conv = prepared, x.rank == 4 else {
      throw OperatorError.invalidInput(op: opType, message: "channels-last needs constant W and a 4-D X")
    }
    try check(x, conv, layout: layout)
    return [
      .float(conv.forward(x, layout: layout, outputLayout: outputLayout, activation: activation))
    ]
  }

  /// `dX = conv_transpose(dY, W)`; `dW`, `dB` by im2col products when wanted.
  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let x = try context.floatInput(0, of: opType)
    let conv = try convolution(context.inputs)
    let x4 = try OperatorInputs.asNCHW(x, op: opType)
    let dy = context.outputGradient().reshaped(conv.geometry(input: x4.shape).outputShape)
    var grads: [Tensor?] = Array(repeating: nil, count: context.inputs.count)
    if context.wanted[0] {
      grads[0] = conv.backwardData(dy, inputShape: x4.shape).reshaped(x.shape)
    }
    let wantsWeights = context.wanted.count > 1 && context.wanted[1]
    let wantsBias = context.wanted.count > 2 && context.wanted[2] && context.inputs[2] != nil
    if wantsWeights || wantsBias {
      let (dw, db) = conv.backwardWeights(dy, input: x4)
      if wantsWeights { grads[1] = dw.reshaped(try context.floatInput(1, of: opType).shape) }
      if wantsBias { grads[2] = db }
    }
    return grads
  }

  private func convolution(_ inputs: [Value?]) throws -> Convolution {
    if let prepared { return prepared }
    let w = try OperatorInputs.float(inputs, 1, op: opType)
    let b = try OperatorInputs.optional(inputs, 2).map { _ in try OperatorInputs.float(inputs, 2, op: opType) }
    return try Self.convolution(w, b, group: group, attributes: attributes, reused: false)
  }

  /// Checks weights, bias and attributes together and builds the engine convolution.
  static func convolution(
    _ w: Tensor, _ b: Tensor?, group: Int, attributes: WindowAttributes, reused: Bool
  ) throws -> Convolution {
    guard w.rank == 3 || w.rank == 4 else {
      throw OperatorError.invalidInput(op: "Conv", message: "W must be [M, C/group, kH, kW] or [M, C/group, k], got shape \(w.shape)")
    }
    guard group >= 1, w.shape[0] % group == 0 else {
      throw OperatorError.invalidInput(op: "Conv", message: "group \(group) must divide the \(w.shape[0]) output channels of W")
    }
    if let b, b.shape != [w.shape[0]] {
      throw OperatorError.invalidInput(op: "Conv", message: "B must have shape [\(w.shape[0])], got \(b.shape)")
    }
    let window: Window2D
    do {
      window = try attributes.window(kernel: Array(w.shape.dropFirst(2)))
    } catch {
      throw OperatorError.invalidInput(op: "Conv", message: "attribute '\(error.attribute)' \(error.message)")
    }
    let w4 = w.rank == 3 ? w.reshaped([w.shape[0], w.shape[1], 1, w.shape[2]]) : w
    return Convolution(weights: w4, bias: b, groups: group, window: window, isReused: reused)
  }

  private func check(_ x: Tensor, _ conv: Convolution, layout: ImageLayout = .nchw) throws {
    let channels = conv.weights.shape[1] * group
    let logical = layout.logicalShape(x.shape)
    guard logical[1] == channels else {
      throw OperatorError.invalidInput(
        op: opType,
        message: "X has \(logical[1]) channels but W expects \(channels) (\(conv.weights.shape[1]) per group x group \(group))")
    }
    if let problem = conv.geometry(input: logical).problem {
      throw OperatorError.invalidInput(op: opType, message: "\(problem) (input \(logical))")
    }
  }
}
