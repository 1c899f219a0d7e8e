// The values that flow along a network's edges.
public import Engine

/// A tensor flowing along a graph edge: float data, or int64 shape arithmetic.
public enum Value: Sendable, Equatable {
  case float(Tensor)
  case int64(IntTensor)

  /// The tensor's shape, whatever its element type.
  public var shape: [Int] {
    switch self {
    case .float(let t): return t.shape
    case .int64(let t): return t.shape
    }
  }

  /// Element type name as ONNX spells it, for error messages.
  public var typeName: String {
    switch self {
    case .float: return "float"
    case .int64: return "int64"
    }
  }

  /// The float tensor, or nil for an int64 value.
  public var floatTensor: Tensor? {
    if case .float(let t) = self { return t }
    return nil
  }

  /// The int64 tensor, or nil for a float value.
  public var intTensor: IntTensor? {
    if case .int64(let t) = self { return t }
    return nil
  }
}
