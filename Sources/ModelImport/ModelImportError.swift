// Everything that can be wrong with a model file, named so the user can find it.

/// A model that cannot be read or built, with the place (byte offset, node, op) to look at.
public enum ModelImportError: Error, Equatable, Sendable {
  /// The file cannot be opened or mapped.
  case io(path: String, message: String)
  /// The bytes are not a valid protobuf message where a field starts at `offset`.
  case malformed(offset: Int, message: String)
  /// The file ends inside a field that began at `offset`.
  case truncated(offset: Int, message: String)
  /// The model uses an opset Glimpse does not implement.
  case unsupportedOpset(domain: String, version: Int64)
  /// No builder exists for this op type.
  case unsupportedOp(opType: String, domain: String, node: String)
  /// An attribute is missing, of the wrong type, or has a value the op does not accept.
  case badAttribute(node: String, opType: String, attribute: String, message: String)
  /// A node cannot be built for another reason (e.g. a constant input of the wrong shape).
  case badNode(node: String, opType: String, message: String)
  /// A tensor's type, dims and data disagree, or its type is not supported.
  case badTensor(name: String, message: String)
  /// The graph is not runnable (undefined values, no inputs, ...).
  case invalidGraph(String)
}

extension ModelImportError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .io(let path, let message): return "cannot read '\(path)': \(message)"
    case .malformed(let offset, let message): return "not a valid ONNX file: \(message) at byte \(offset)"
    case .truncated(let offset, let message):
      return "the ONNX file is truncated: \(message) (field starting at byte \(offset))"
    case .unsupportedOpset(let domain, let version):
      return "opset \(version) of domain '\(domain.isEmpty ? "ai.onnx" : domain)' is not supported"
    case .unsupportedOp(let opType, let domain, let node):
      let qualified = domain.isEmpty || domain == "ai.onnx" ? opType : "\(domain).\(opType)"
      return "unsupported op \(qualified) (node '\(node)')"
    case .badAttribute(let node, let opType, let attribute, let message):
      return "node '\(node)' (\(opType)): attribute '\(attribute)' \(message)"
    case .badNode(let node, let opType, let message): return "node '\(node)' (\(opType)): \(message)"
    case .badTensor(let name, let message): return "tensor '\(name)': \(message)"
    case .invalidGraph(let message): return "invalid graph: \(message)"
    }
  }
}
