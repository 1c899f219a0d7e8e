// ONNX ops whose outputs carry no float gradient: Constant, ConstantOfShape, Shape, Cast.
// The importer folds them when their inputs are known, so most never run at all.
public import Engine

/// ONNX Constant: a fixed value.
public struct ConstantOperator: Operator {
  public var opType: String { "Constant" }
  public let value: Value
  public init(value: Value) { self.value = value }

  public func forward(_ inputs: [Value?]) throws -> [Value] { [value] }
  public func backward(_ context: BackwardContext) throws -> [Tensor?] { [] }
}

/// ONNX ConstantOfShape: a tensor of the int64 input's shape filled with one value.
public struct ConstantOfShapeOperator: Operator {
  public var opType: String { "ConstantOfShape" }
  /// The fill (float 0 unless the `value` attribute says otherwise).
  public let fill: Value
  public init(fill: Value = .float(Tensor(scalar: 0))) { self.fill = fill }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let spec = try OperatorInputs.int64(inputs, 0, op: opType)
    guard spec.rank <= 1, spec.storage.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else {
      throw shapeFailure("shape must be a 1-D list of extents, got \(spec.storage)")
    }
    let shape = spec.storage.map { Int($0) }
    guard shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).partialValue }) <= 1 << 31 else {
      throw shapeFailure("shape \(shape) is too large")
    }
    switch fill {
    case .float(let t): return [.float(Tensor(repeating: t.storage[0], shape: shape))]
    case .int64(let t): return [.int64(IntTensor(repeating: t.storage[0], shape: shape))]
    }
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] { [nil] }
}

/// ONNX Shape: the input's extents `[start, end)` as a 1-D int64 tensor (start/end: opset 15).
public struct ShapeOperator: Operator {
  public var opType: String { "Shape" }
  public let start: Int
  public let end: Int?
  public init(start: Int = 0, end: Int? = nil) {
    self.start = start
    self.end = end
  }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let shape = try anyInput(inputs, 0).shape
    let r = shape.count
    // Out-of-range start and end are clamped, as the spec says.
    let from = min(max(start < 0 ? start + r : start, 0), r)
    let to = min(max((end ?? r) < 0 ? (end ?? r) + r : (end ?? r), 0), r)
    let dims = from < to ? shape[from..<to].map { Int64($0) } : []
    return [.int64(IntTensor(shape: [dims.count], storage: dims))]
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] { [nil] }
}

/// ONNX Cast between float and integer types (each carried as float32 or int64 here).
public struct CastOperator: Operator {
  public var opType: String { "Cast" }
  /// The ONNX TensorProto.DataType code of the target.
  public let target: Int32

  /// Target codes stored as float32: float, float16, double, bfloat16.
  public static let floatTargets: Set<Int32> = [1, 10, 11, 16]
  /// Target codes stored as int64: the integer types and bool.
  public static let integerTargets: Set<Int32> = [2, 3, 4, 5, 6, 7, 9, 12, 13]

  public init(target: Int32) { self.target = target }

  public func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try anyInput(inputs, 0)
    if Self.floatTargets.contains(target) {
      switch x {
      case .float: return [x]
      case .int64(let t):
        return [.float(Tensor(shape: t.shape, storage: t.storage.map { Float($0) }))]
      }
    }
    guard Self.integerTargets.contains(target) else {
      throw shapeFailure("cannot cast to data type \(target)")
    }
    let ints: IntTensor
    switch x {
    case .int64(let t): ints = t
    case .float(let t):
      // Truncation toward zero, as C casts; non-finite values have no integer.
      var out = [Int64](repeating: 0, count: t.count)
      for i in 0..<t.count {
        let v = t.storage[i]
        if target == 9 {
          out[i] = v != 0 ? 1 : 0
          continue
        }
        guard v.isFinite && Swift.abs(v) < 9.2e18 else {
          throw shapeFailure("cannot cast \(v) to an integer")
        }
        out[i] = Int64(v)
      }
      ints = IntTensor(shape: t.shape, storage: out)
    }
    return [.int64(IntTensor(shape: ints.shape, storage: ints.storage.map(narrow)))]
  }

  /// Wraps an int64 to the target's width (and bool to 0/1), as a C cast would.
  private func narrow(_ v: Int64) -> Int64 {
    switch target {
    case 2: return Int64(UInt8(truncatingIfNeeded: v))
    case 3: return Int64(Int8(truncatingIfNeeded: v))
    case 4: return Int64(UInt16(truncatingIfNeeded: v))
    case 5: return Int64(Int16(truncatingIfNeeded: v))
    case 6: return Int64(Int32(truncatingIfNeeded: v))
    case 12: return Int64(UInt32(truncatingIfNeeded: v))
    case 9: return v != 0 ? 1 : 0
    default: return v
    }
  }

  public func backward(_ context: BackwardContext) throws -> [Tensor?] {
    // Float to float is the identity; across types there is no gradient.
    guard context.wantsFloat(0), Self.floatTargets.contains(target) else { return [nil] }
    return [context.outputGradient()]
  }
}
