// ONNX LRN: local response normalisation across channels.
public import Engine

/// ONNX `LRN` (opset 1-13): `y = x / (bias + alpha/size * sum of x^2 over nearby channels)^beta`.
public struct LRN: Operator {
  public let opType = "LRN"
  public let parameters: LocalResponseNorm.Parameters

  public init(_ parameters: LocalResponseNorm.Parameters) { self.parameters = parameters }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    [.float(LocalResponseNorm.forward(try input(inputs), parameters))]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    guard context.wanted[0] else { return [nil] }
    let x = try input(context.inputs)
    return [LocalResponseNorm.backward(context.outputGradient(), input: x, parameters)]
  }

  private func input(_ inputs: [Value?]) throws -> Tensor {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    guard x.rank >= 3 else {
      throw OperatorError.invalidInput(op: opType, message: "input must be [N, C, ...], got shape \(x.shape)")
    }
    return x
  }
}
