// ONNX MaxPool and AveragePool over 1-D and 2-D windows.
public import Engine

/// ONNX `MaxPool` (opset 1-22) and `AveragePool` (opset 1-22).
public struct Pool: ChannelsLastOperator {
  /// Which reduction a window applies.
  public enum Kind: Sendable, Equatable {
    /// `Indices`: also output the flat NCHW argmax of each window (int64).
    case max(indices: Bool)
    case average(countIncludePad: Bool)
  }

  public let kind: Kind
  public let attributes: WindowAttributes
  public let ceilMode: Bool
  public var opType: String { if case .max = kind { "MaxPool" } else { "AveragePool" } }

  /// - Precondition: `attributes.kernelShape` is set (the builder requires it).
  public init(_ kind: Kind, attributes: WindowAttributes, ceilMode: Bool = false) {
    precondition(attributes.kernelShape != nil, "pooling needs kernel_shape")
    (self.kind, self.attributes, self.ceilMode) = (kind, attributes, ceilMode)
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    let (x4, g) = try geometry(x)
    switch kind {
    case .max(let wantsIndices):
      let (y, indices) = Pooling.maxPool(x4, geometry: g)
      let values = Value.float(OperatorInputs.restoreRank(y, rank: x.rank))
      guard wantsIndices else { return [values] }
      let idx = IntTensor(shape: y.shape, storage: indices.map { Int64($0) })
      return [values, .int64(idx.reshaped(OperatorInputs.restoreRank(y, rank: x.rank).shape))]
    case .average(let include):
      let y = Pooling.averagePool(x4, geometry: g, countIncludePad: include)
      return [.float(OperatorInputs.restoreRank(y, rank: x.rank))]
    }
  }

  /// Max pooling's backward reads its output's window maxima: no activation may replace them.
  public var appliesActivations: Bool { false }

  /// Max pooling without indices, on a 2-D image.
  public func supportsChannelsLast(_ inputs: [Value?]) -> Bool {
    kind == .max(indices: false) && inputs.first??.shape.count == 4
  }

  public func forward(
    _ inputs: [Value?], layout: ImageLayout, outputLayout: ImageLayout,
    activation: ConvolutionActivation
  ) throws -> [Value] {
    precondition(activation == .none, "pooling applies no activation")
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    guard supportsChannelsLast(inputs) else {
      throw OperatorError.invalidInput(op: opType, message: "channels-last needs max pooling of a 4-D X")
    }
    // The geometry only reads the logical shape.
    let (_, g) = try geometry(x.reshaped(layout.logicalShape(x.shape)))
    let y = Pooling.maxPoolChannelsLast(layout == .nhwc ? x : toChannelsLast(x), geometry: g)
    return [.float(outputLayout == .nhwc ? y : toChannelsFirst(y))]
  }

  /// Max: `dy` to each window's argmax; average: `dy / divisor` to every tap.
  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    guard context.wanted[0] else { return [nil] }
    let x = try context.floatInput(0, of: opType)
    let (x4, g) = try geometry(x)
    let dy = context.outputGradient(0).reshaped(g.outputShape)
    switch kind {
    case .max:
      return [Pooling.maxPoolBackward(dy, input: x4, geometry: g).reshaped(x.shape)]
    case .average(let include):
      return [Pooling.averagePoolBackward(dy, geometry: g, countIncludePad: include).reshaped(x.shape)]
    }
  }

  private func geometry(_ x: Tensor) throws -> (Tensor, PoolingGeometry) {
    let x4 = try OperatorInputs.asNCHW(x, op: opType)
    let kernel = attributes.kernelShape ?? []
    guard kernel.count == x.rank - 2 else {
      throw OperatorError.invalidInput(
        op: opType, message: "kernel_shape \(kernel) does not match input of shape \(x.shape)")
    }
    let window: Window2D
    do {
      window = try attributes.window(kernel: kernel)
    } catch {
      throw OperatorError.invalidInput(op: opType, message: "attribute '\(error.attribute)' \(error.message)")
    }
    let g = PoolingGeometry(input: x4.shape, window: window, ceilMode: ceilMode)
    if let problem = g.problem {
      throw OperatorError.invalidInput(op: opType, message: "\(problem) (input \(x.shape))")
    }
    return (x4, g)
  }
}

/// ONNX `GlobalAveragePool` and `GlobalMaxPool`: one value per channel, `[N, C, ...]` →
/// `[N, C, 1, ...]`.
public struct GlobalPool: Operator {
  public let max: Bool
  public var opType: String { max ? "GlobalMaxPool" : "GlobalAveragePool" }

  public init(max: Bool) { self.max = max }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try input(inputs)
    return [.float(Pooling.global(x, max: max))]
  }

  /// Average: `dy / size` everywhere; max: `dy` to the (first) maximum.
  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    guard context.wanted[0] else { return [nil] }
    let x = try input(context.inputs)
    return [Pooling.globalBackward(context.outputGradient(), input: x, max: max)]
  }

  private func input(_ inputs: [Value?]) throws -> Tensor {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    guard x.rank >= 3, x.count > 0 else {
      throw OperatorError.invalidInput(op: opType, message: "input must be [N, C, spatial...], got shape \(x.shape)")
    }
    return x
  }
}
