// ONNX BatchNormalization in inference form (running mean and variance).
public import Engine

/// Inference batch normalisation of `[N, C, ...]` input with per-channel scale, B, mean, var.
///
/// Channels-last capable, so chains like Xception's separable convolution -> BN -> Relu stay
/// NHWC between oneDNN's convolutions, with the Relu applied as BN writes its output.
public struct BatchNormOperator: ChannelsLastOperator {
  public var opType: String { "BatchNormalization" }
  public let epsilon: Float
  /// Opset 7's `spatial = 0`: one parameter per activation (`C·H·W` of them), not per channel.
  public let perActivation: Bool

  public init(epsilon: Float, perActivation: Bool = false) {
    self.epsilon = epsilon
    self.perActivation = perActivation
  }

  /// Inputs 1-4: scale, B, mean, var.
  private func parameters(_ inputs: [Value?]) throws -> BatchNormParameters {
    BatchNormParameters(
      scale: try OperatorInputs.float(inputs, 1, op: opType),
      bias: try OperatorInputs.float(inputs, 2, op: opType),
      mean: try OperatorInputs.float(inputs, 3, op: opType),
      variance: try OperatorInputs.float(inputs, 4, op: opType), epsilon: epsilon)
  }

  private func prepare(_ inputs: [Value?]) throws -> (Tensor, BatchNormParameters, Int, Int) {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    let p = try parameters(inputs)
    guard x.rank >= 2 else { throw shapeFailure("X must be at least 2-D, got shape \(x.shape)") }
    let count = try checkingShapes { try p.channels() }
    let channels = perActivation ? x.shape[1...].reduce(1, *) : x.shape[1]
    guard count == channels else {
      throw shapeFailure("X has \(channels) channels but scale has \(count) elements")
    }
    let inner = perActivation ? 1 : x.shape[2...].reduce(1, *)
    return (x, p, channels, inner)
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let (x, p, channels, inner) = try prepare(inputs)
    return [.float(batchNorm(x, p, channels: channels, inner: inner))]
  }

  /// Its backward reads its input, never its output: a fused activation may replace it.
  public var appliesActivations: Bool { true }

  /// Per-channel parameters and a 4-D image.
  public func supportsChannelsLast(_ inputs: [Value?]) -> Bool {
    !perActivation && inputs.count == 5 && inputs.first??.shape.count == 4
  }

  public func forward(
    _ inputs: [Value?], layout: ImageLayout, outputLayout: ImageLayout,
    activation: ConvolutionActivation
  ) throws -> [Value] {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    let p = try parameters(inputs)
    let count = try checkingShapes { try p.channels() }
    let channels = layout == .nhwc ? x.shape[3] : x.shape[1]
    guard x.rank == 4, count == channels else {
      throw shapeFailure("X of shape \(x.shape) (\(layout)) does not have \(count) channels")
    }
    // Computed in the layout it arrives in; converted only when asked for the other one.
    let y = batchNormImage(x, p, layout: layout, activation: activation)
    if layout == outputLayout { return [.float(y)] }
    return [.float(outputLayout == .nhwc ? toChannelsLast(y) : toChannelsFirst(y))]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let (x, p, channels, inner) = try prepare(context.inputs)
    let grads = batchNormBackward(
      x, p, channels: channels, inner: inner, g: context.outputGradient(),
      wantX: context.wanted[0])
    let w = context.wanted
    return [
      grads.x, w[1] ? grads.scale : nil, w[2] ? grads.bias : nil, w[3] ? grads.mean : nil,
      w[4] ? grads.variance : nil,
    ]
  }
}
