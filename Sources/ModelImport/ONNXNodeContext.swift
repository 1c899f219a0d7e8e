// What an op builder sees of one ONNX node: attributes, opset, constant inputs.
public import Network

/// One node as handed to an ``OperatorBuilder``: typed attribute access that throws errors
/// naming the node, the opset in force, and the values of inputs known at import time.
public struct ONNXNodeContext: Sendable {
  public let node: ONNXNode
  /// The default-domain opset version the model declares.
  public let opset: Int64
  /// For each input: its value when it is an initializer or folded constant, else nil.
  public let constantInputs: [Value?]
  /// Converts an attribute's tensor to a value (its payload may live in the model file).
  let tensorValue: @Sendable (ONNXTensor) throws -> Value

  public init(
    node: ONNXNode, opset: Int64, constantInputs: [Value?],
    tensorValue: @escaping @Sendable (ONNXTensor) throws -> Value
  ) {
    self.node = node
    self.opset = opset
    self.constantInputs = constantInputs
    self.tensorValue = tensorValue
  }

  /// The node's display name: its own, or its first output's.
  public var name: String { node.name.isEmpty ? (node.outputs.first ?? node.opType) : node.name }

  /// An error about attribute `attribute` of this node.
  public func attributeError(_ attribute: String, _ message: String) -> ModelImportError {
    .badAttribute(node: name, opType: node.opType, attribute: attribute, message: message)
  }

  /// An error about this node.
  public func nodeError(_ message: String) -> ModelImportError {
    .badNode(node: name, opType: node.opType, message: message)
  }

  /// Whether the attribute is present.
  public func has(_ attribute: String) -> Bool { node.attributes[attribute] != nil }

  /// An integer attribute, or `defaultValue` when absent.
  public func int(_ attribute: String, default defaultValue: Int64? = nil) throws -> Int64 {
    switch node.attributes[attribute] {
    case .int(let v): return v
    case nil:
      if let defaultValue { return defaultValue }
      throw attributeError(attribute, "is required")
    default: throw attributeError(attribute, "must be an integer")
    }
  }

  /// A float attribute, or `defaultValue` when absent.
  public func float(_ attribute: String, default defaultValue: Float? = nil) throws -> Float {
    switch node.attributes[attribute] {
    case .float(let v): return v
    case .int(let v): return Float(v)
    case nil:
      if let defaultValue { return defaultValue }
      throw attributeError(attribute, "is required")
    default: throw attributeError(attribute, "must be a float")
    }
  }

  /// A string attribute, or `defaultValue` when absent.
  public func string(_ attribute: String, default defaultValue: String? = nil) throws -> String {
    switch node.attributes[attribute] {
    case .string(let v): return v
    case nil:
      if let defaultValue { return defaultValue }
      throw attributeError(attribute, "is required")
    default: throw attributeError(attribute, "must be a string")
    }
  }

  /// An integer-list attribute, or `defaultValue` when absent.
  public func ints(_ attribute: String, default defaultValue: [Int64]? = nil) throws -> [Int64] {
    switch node.attributes[attribute] {
    case .ints(let v): return v
    case .int(let v): return [v]
    case nil:
      if let defaultValue { return defaultValue }
      throw attributeError(attribute, "is required")
    default: throw attributeError(attribute, "must be a list of integers")
    }
  }

  /// A float-list attribute, or `defaultValue` when absent.
  public func floats(_ attribute: String, default defaultValue: [Float]? = nil) throws -> [Float] {
    switch node.attributes[attribute] {
    case .floats(let v): return v
    case .float(let v): return [v]
    case nil:
      if let defaultValue { return defaultValue }
      throw attributeError(attribute, "is required")
    default: throw attributeError(attribute, "must be a list of floats")
    }
  }

  /// A tensor attribute converted to a value, or nil when absent.
  public func tensor(_ attribute: String) throws -> Value? {
    switch node.attributes[attribute] {
    case .tensor(let t): return try tensorValue(t)
    case nil: return nil
    default: throw attributeError(attribute, "must be a tensor")
    }
  }

  /// The constant value of input `index`, or nil when it is computed at run time or omitted.
  public func constantInput(_ index: Int) -> Value? {
    index < constantInputs.count ? constantInputs[index] : nil
  }

  /// Whether input `index` is given (present and not the empty name).
  public func hasInput(_ index: Int) -> Bool {
    index < node.inputs.count && !node.inputs[index].isEmpty
  }

  /// The values of a constant int64 input (e.g. Reshape's shape, ReduceMean's axes in opset 18).
  public func constantInts(_ index: Int, what: String) throws -> [Int64]? {
    guard hasInput(index) else { return nil }
    switch constantInput(index) {
    case .int64(let t): return t.storage
    case .float(let t): return t.storage.map { Int64($0) }
    case nil: return nil
    }
  }
}

/// Builds an operator from one node, or throws a ``ModelImportError`` naming it.
public typealias OperatorBuilder = @Sendable (ONNXNodeContext) throws -> any Operator
