// ONNX Add, Sub, Mul, Div (two operands) and Sum, Mean, Max, Min (any number), all with
// numpy broadcasting, on float data and int64 shape arithmetic.
public import Engine

/// A binary broadcasting op: `y = a ∘ b`.
public struct ArithmeticOperator: ElementwiseOperator {
  public let opType: String
  public let operation: BinaryArithmetic

  public init(opType: String, operation: BinaryArithmetic) {
    self.opType = opType
    self.operation = operation
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let a = try anyInput(inputs, 0)
    let b = try anyInput(inputs, 1)
    return [try combine(a, b)]
  }

  /// `a ∘ b` for two values of the same element type.
  func combine(_ a: Value, _ b: Value) throws -> Value {
    try checkingShapes {
      switch (a, b) {
      case (.float(let x), .float(let y)): return .float(try arithmetic(operation, x, y))
      case (.int64(let x), .int64(let y)): return .int64(try arithmetic(operation, x, y))
      default: throw shapeFailure("operands are \(a.typeName) and \(b.typeName); they must match")
      }
    }
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    guard case .float(let a) = context.inputs[0], case .float(let b) = context.inputs[1],
      case .float(let y) = context.outputs[0]
    else { return [nil, nil] }
    let (ga, gb) = try checkingShapes {
      try arithmeticBackward(
        operation, a, b, y: y, g: context.outputGradient(),
        wanted: (context.wanted[0], context.wanted[1]))
    }
    return [ga, gb]
  }
}

/// A variadic broadcasting op (Sum, Mean, Max, Min): a left fold of its binary form.
public struct VariadicOperator: Operator {
  /// What the op computes over its inputs.
  public enum Kind: String, Sendable { case sum, mean, max, min }
  public let kind: Kind
  public var opType: String {
    switch kind {
    case .sum: return "Sum"
    case .mean: return "Mean"
    case .max: return "Max"
    case .min: return "Min"
    }
  }

  public init(kind: Kind) { self.kind = kind }

  private var pairwise: ArithmeticOperator {
    let operation: BinaryArithmetic
    switch kind {
    case .sum, .mean: operation = .add
    case .max: operation = .maximum
    case .min: operation = .minimum
    }
    return ArithmeticOperator(opType: opType, operation: operation)
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    guard !inputs.isEmpty else { throw shapeFailure("needs at least one input") }
    var result = try anyInput(inputs, 0)
    let binary = pairwise
    for index in 1..<inputs.count {
      result = try binary.combine(result, try anyInput(inputs, index))
    }
    if kind == .mean {
      guard case .float(let total) = result else { throw shapeFailure("Mean needs float inputs") }
      let scale = 1 / Float(inputs.count)
      result = .float(Tensor(shape: total.shape, storage: total.storage.map { $0 * scale }))
    }
    return [result]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    guard case .float(let y) = context.outputs[0] else {
      return context.inputs.map { _ in nil }
    }
    var g = context.outputGradient()
    if kind == .mean {
      let scale = 1 / Float(context.inputs.count)
      g = Tensor(shape: g.shape, storage: g.storage.map { $0 * scale })
    }
    if kind == .sum || kind == .mean {
      return context.inputs.indices.map { i in
        guard context.wantsFloat(i), let x = context.inputs[i] else { return nil }
        return sumToShape(g, x.shape)
      }
    }
    // Max/Min: each output element's gradient goes to the first input that attains it.
    var claimed = [Bool](repeating: false, count: y.count)
    var result: [Tensor?] = []
    for i in context.inputs.indices {
      guard case .float(let x) = context.inputs[i] else {
        result.append(nil)
        continue
      }
      let wide = try checkingShapes { try expand(x, to: y.shape) }
      var share = Tensor(zeros: y.shape)
      for k in 0..<y.count where !claimed[k] && wide.storage[k] == y.storage[k] {
        claimed[k] = true
        share.storage[k] = g.storage[k]
      }
      result.append(context.wanted[i] ? sumToShape(share, x.shape) : nil)
    }
    return result
  }
}

/// ONNX Expand: broadcasts the input to the broadcast of its shape and a shape input.
public struct ExpandOperator: Operator {
  public var opType: String { "Expand" }
  public init() {}

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try anyInput(inputs, 0)
    guard let spec = try intList(inputs, 1, what: "shape") else {
      throw shapeFailure("shape is missing")
    }
    guard spec.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else {
      throw shapeFailure("shape \(spec) has a bad extent")
    }
    return [
      try checkingShapes {
        let shape = try broadcastShape(x.shape, spec.map { Int($0) })
        return try x.relayout(
          float: { try expand($0, to: shape) }, int: { try expand($0, to: shape) })
      }
    ]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    guard context.wantsFloat(0), let x = context.inputs[0] else { return [nil, nil] }
    return [sumToShape(context.outputGradient(), x.shape), nil]
  }
}
