// The parts of an ONNX ModelProto Glimpse reads, as plain Swift values (onnx.proto3).

/// A parsed `.onnx` file: opsets and the main graph. Tensor payloads stay in the file until
/// ``ONNXFile/value(of:)`` converts them, so parsing costs almost nothing.
public struct ONNXModel: Sendable {
  public var irVersion: Int64
  public var producerName: String
  /// Opset version per domain; `""` is the default `ai.onnx` domain.
  public var opsetImports: [String: Int64]
  public var graph: ONNXGraph

  public init(irVersion: Int64, producerName: String, opsetImports: [String: Int64], graph: ONNXGraph) {
    self.irVersion = irVersion
    self.producerName = producerName
    self.opsetImports = opsetImports
    self.graph = graph
  }

  /// The default-domain opset version (`ai.onnx`), 1 when none is declared.
  public var defaultOpset: Int64 { opsetImports[""] ?? opsetImports["ai.onnx"] ?? 1 }
}

/// GraphProto: nodes in file order, initializers and the declared inputs and outputs.
public struct ONNXGraph: Sendable {
  public var name: String
  public var nodes: [ONNXNode]
  public var initializers: [ONNXTensor]
  public var inputs: [ONNXValueInfo]
  public var outputs: [ONNXValueInfo]
  public var valueInfo: [ONNXValueInfo]

  public init(
    name: String = "", nodes: [ONNXNode] = [], initializers: [ONNXTensor] = [],
    inputs: [ONNXValueInfo] = [], outputs: [ONNXValueInfo] = [], valueInfo: [ONNXValueInfo] = []
  ) {
    self.name = name
    self.nodes = nodes
    self.initializers = initializers
    self.inputs = inputs
    self.outputs = outputs
    self.valueInfo = valueInfo
  }
}

/// NodeProto.
public struct ONNXNode: Sendable {
  public var name: String
  public var opType: String
  public var domain: String
  public var inputs: [String]
  public var outputs: [String]
  public var attributes: [String: ONNXAttribute]

  public init(
    name: String = "", opType: String, domain: String = "", inputs: [String], outputs: [String],
    attributes: [String: ONNXAttribute] = [:]
  ) {
    self.name = name
    self.opType = opType
    self.domain = domain
    self.inputs = inputs
    self.outputs = outputs
    self.attributes = attributes
  }
}

/// AttributeProto's value (graph-valued attributes are recorded but not supported).
public enum ONNXAttribute: Sendable {
  case float(Float)
  case int(Int64)
  case string(String)
  case tensor(ONNXTensor)
  case floats([Float])
  case ints([Int64])
  case strings([String])
  /// TENSORS (type 9): a list of tensors.
  case tensors([ONNXTensor])
  case graph
  case unsupported(type: Int)
}

/// ValueInfoProto: a graph input or output with its element type and shape, when declared.
public struct ONNXValueInfo: Sendable {
  public var name: String
  /// TensorProto.DataType code; 0 when not declared.
  public var elementType: Int32
  /// One entry per axis: a fixed size, or nil for a symbolic or unknown one; nil when no shape.
  public var shape: [Int?]?

  public init(name: String, elementType: Int32 = 0, shape: [Int?]? = nil) {
    self.name = name
    self.elementType = elementType
    self.shape = shape
  }
}

/// TensorProto.DataType codes Glimpse knows by name.
public enum ONNXDataType: Int32, Sendable {
  case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, string = 8
  case bool = 9, float16 = 10, double = 11, uint32 = 12, uint64 = 13, bfloat16 = 16
}

/// TensorProto: name, type, dims, and where its elements are.
public struct ONNXTensor: Sendable {
  public var name: String
  public var dataType: Int32
  public var dims: [Int64]
  public var payload: Payload

  /// Where a tensor's elements live.
  public enum Payload: Sendable {
    /// `raw_data`: little-endian bytes at this byte range of the model file (not aligned).
    case raw(Range<Int>)
    /// Bytes held in memory (a tensor built in code, or raw_data copied out).
    case bytes([UInt8])
    case floats([Float])
    case doubles([Double])
    /// `int32_data`, which also carries int8/16, uint8/16, bool and float16 bit patterns.
    case int32s([Int32])
    case int64s([Int64])
    case uint64s([UInt64])
    /// `data_location: EXTERNAL`: a file beside the model, at an offset, of a length (nil: to the end).
    case external(location: String, offset: Int, length: Int?)
    /// No elements given (all typed fields empty): zero elements, or an error if dims say otherwise.
    case empty
  }

  public init(name: String, dataType: Int32, dims: [Int64], payload: Payload) {
    self.name = name
    self.dataType = dataType
    self.dims = dims
    self.payload = payload
  }
}
