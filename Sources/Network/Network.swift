// A named graph of operators: the model as the executor sees it.
import Engine

/// The declared name, element type and shape of a graph input or output.
public struct TensorSpec: Sendable, Equatable {
  /// Element types a graph boundary can carry.
  public enum ElementType: String, Sendable { case float, int64 }
  public var name: String
  public var elementType: ElementType
  /// Extent per axis; `nil` for a dynamic axis (the batch, usually).
  public var shape: [Int?]?

  public init(name: String, elementType: ElementType = .float, shape: [Int?]?) {
    self.name = name
    self.elementType = elementType
    self.shape = shape
  }
}

/// One operator application: which values it reads and which it defines.
public struct Node: Sendable {
  /// The node's name, unique in its network (falls back to its first output's name).
  public var name: String
  public var op: any Operator
  /// Names of the values read, in the operator's order; `""` marks an omitted optional input.
  public var inputs: [String]
  /// Names of the values defined.
  public var outputs: [String]

  public init(name: String, op: any Operator, inputs: [String], outputs: [String]) {
    self.name = name
    self.op = op
    self.inputs = inputs
    self.outputs = outputs
  }
}

/// A feed-forward graph in topological order, with its constant tensors.
///
/// Immutable once built: run it from any thread with ``forward(_:keeping:gradientsFor:cancellation:)``.
public final class Network: Sendable {
  public let name: String
  public let inputs: [TensorSpec]
  public let outputs: [TensorSpec]
  /// Operators in an order where every value is defined before it is read.
  public let nodes: [Node]
  /// Constant values (ONNX initializers), read like any other value.
  public let constants: [String: Value]
  /// The node that defines each value name.
  public let producer: [String: Int]
  /// The nodes that read each value name, in graph order (a node reading a name twice is
  /// listed twice).
  let readers: [String: [Int]]

  /// Builds a network, checking that the graph is well formed.
  /// - Throws: ``NetworkError`` when a value is read before it is defined, defined twice,
  ///   or an output is never defined.
  public init(
    name: String, inputs: [TensorSpec], outputs: [TensorSpec], nodes: [Node],
    constants: [String: Value]
  ) throws {
    var defined = Set(inputs.map(\.name)).union(constants.keys)
    var producer: [String: Int] = [:]
    for (index, node) in nodes.enumerated() {
      for input in node.inputs where !input.isEmpty && !defined.contains(input) {
        throw NetworkError.undefinedValue(input, node: node.name)
      }
      for output in node.outputs where !output.isEmpty {
        guard defined.insert(output).inserted else {
          throw NetworkError.duplicateValue(output, node: node.name)
        }
        producer[output] = index
      }
    }
    for output in outputs where !defined.contains(output.name) {
      throw NetworkError.undefinedValue(output.name, node: "graph output")
    }
    self.name = name
    self.inputs = inputs
    self.outputs = outputs
    self.nodes = nodes
    self.constants = constants
    self.producer = producer
    var readers: [String: [Int]] = [:]
    for (index, node) in nodes.enumerated() {
      for input in node.inputs where !input.isEmpty { readers[input, default: []].append(index) }
    }
    self.readers = readers
  }

  /// Every value a node defines, in graph order (the names users pick layers from).
  public var intermediateNames: [String] { nodes.flatMap { $0.outputs.filter { !$0.isEmpty } } }

  /// Number of float parameters in the constants.
  public var parameterCount: Int {
    constants.values.reduce(0) { total, value in
      if case .float(let t) = value { return total + t.count }
      return total
    }
  }
}

/// A graph that cannot run as given, or a run that failed inside a node.
public enum NetworkError: Error, Equatable, Sendable {
  case undefinedValue(String, node: String)
  case duplicateValue(String, node: String)
  /// A feed is missing, unknown, or of the wrong type or shape.
  case badFeed(String)
  /// A value name that the caller asked for does not exist.
  case unknownValue(String)
  /// An operator threw; the node and op type say where.
  case nodeFailed(node: String, opType: String, message: String)
  /// The run was cancelled through its ``Cancellation``.
  case cancelled
}

extension NetworkError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .undefinedValue(let value, let node): return "node '\(node)' reads '\(value)', which nothing defines before it"
    case .duplicateValue(let value, let node): return "node '\(node)' defines '\(value)' a second time"
    case .badFeed(let message): return message
    case .unknownValue(let name): return "no value named '\(name)' in the network"
    case .nodeFailed(let node, let opType, let message): return "node '\(node)' (\(opType)): \(message)"
    case .cancelled: return "cancelled"
    }
  }
}
