// Turns a parsed ONNX graph into a runnable Network.
import Engine
public import Network

/// Builds a ``Network`` from an ``ONNXModel``: one operator per node through the
/// ``OperatorTable``, with nodes whose inputs are all constant evaluated once at import
/// (constant folding: ConstantOfShape-filled weights, shape arithmetic on fixed shapes).
public struct ONNXImporter: Sendable {
  /// Opset versions of the default domain the builders implement.
  public static let supportedOpsets: ClosedRange<Int64> = 7...21

  /// Converts an initializer or attribute tensor to a value (reads the model file).
  let tensorValue: @Sendable (ONNXTensor) throws -> Value

  public init(tensorValue: @escaping @Sendable (ONNXTensor) throws -> Value) {
    self.tensorValue = tensorValue
  }

  /// Builds the network.
  /// - Throws: ``ModelImportError`` naming the node, op or tensor at fault.
  public func makeNetwork(_ model: ONNXModel, name: String) throws -> Network {
    let opset = model.defaultOpset
    guard Self.supportedOpsets.contains(opset) else {
      throw ModelImportError.unsupportedOpset(domain: "", version: opset)
    }
    var constants: [String: Value] = [:]
    for initializer in model.graph.initializers {
      constants[initializer.name] = try tensorValue(initializer)
    }
    // Graph inputs that are also initializers are constants with a default (old exports).
    let inputs = model.graph.inputs.filter { constants[$0.name] == nil }.map(Self.spec)
    guard !inputs.isEmpty else { throw ModelImportError.invalidGraph("the graph has no runtime input") }
    let outputs = model.graph.outputs.map(Self.spec)

    var nodes: [Node] = []
    var usedNames = Set<String>()
    for onnxNode in model.graph.nodes {
      let node = try makeNode(onnxNode, opset: opset, constants: constants, usedNames: &usedNames)
      if let folded = try fold(node, constants: constants) {
        for (name, value) in zip(node.outputs, folded) where !name.isEmpty { constants[name] = value }
      } else {
        nodes.append(node)
      }
    }
    let referenced = Set(nodes.flatMap(\.inputs)).union(outputs.map(\.name))
    constants = constants.filter { referenced.contains($0.key) }
    do {
      return try Network(name: name, inputs: inputs, outputs: outputs, nodes: nodes, constants: constants)
    } catch let error as NetworkError {
      throw ModelImportError.invalidGraph("\(error)")
    }
  }

  private func makeNode(
    _ onnxNode: ONNXNode, opset: Int64, constants: [String: Value], usedNames: inout Set<String>
  ) throws -> Node {
    let context = ONNXNodeContext(
      node: onnxNode, opset: opset,
      constantInputs: onnxNode.inputs.map { $0.isEmpty ? nil : constants[$0] },
      tensorValue: tensorValue)
    guard onnxNode.domain.isEmpty || onnxNode.domain == "ai.onnx" else {
      throw ModelImportError.unsupportedOp(
        opType: onnxNode.opType, domain: onnxNode.domain, node: context.name)
    }
    guard let builder = OperatorTable.builders[onnxNode.opType] else {
      throw ModelImportError.unsupportedOp(opType: onnxNode.opType, domain: "", node: context.name)
    }
    let op = try builder(context)
    var name = context.name
    if usedNames.contains(name) { name = onnxNode.outputs.first ?? name }
    usedNames.insert(name)
    return Node(name: name, op: op, inputs: onnxNode.inputs, outputs: onnxNode.outputs)
  }

  /// Runs a node now when all its inputs are known; nil when any is computed at run time.
  private func fold(_ node: Node, constants: [String: Value]) throws -> [Value]? {
    var args: [Value?] = []
    for input in node.inputs {
      if input.isEmpty { args.append(nil); continue }
      guard let value = constants[input] else { return nil }
      args.append(value)
    }
    do {
      return try node.op.forward(args)
    } catch {
      throw ModelImportError.badNode(node: node.name, opType: node.op.opType, message: "\(error)")
    }
  }

  static func spec(_ info: ONNXValueInfo) -> TensorSpec {
    let type: TensorSpec.ElementType = info.elementType == ONNXDataType.int64.rawValue ? .int64 : .float
    return TensorSpec(name: info.name, elementType: type, shape: info.shape)
  }
}
