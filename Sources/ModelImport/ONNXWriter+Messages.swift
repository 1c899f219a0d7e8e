// The graph-level messages ONNXWriter emits.

extension ProtobufWriter {
  mutating func graph(_ graph: ONNXGraph, _ source: ONNXFile?) throws {
    for node in graph.nodes { try message(1) { try $0.node(node, source) } }
    if !graph.name.isEmpty { string(2, graph.name) }
    for tensor in graph.initializers { try message(5) { try $0.tensor(tensor, source) } }
    for info in graph.inputs { message(11) { $0.valueInfo(info) } }
    for info in graph.outputs { message(12) { $0.valueInfo(info) } }
    for info in graph.valueInfo { message(13) { $0.valueInfo(info) } }
  }

  mutating func node(_ node: ONNXNode, _ source: ONNXFile?) throws {
    for input in node.inputs { string(1, input) }
    for output in node.outputs { string(2, output) }
    if !node.name.isEmpty { string(3, node.name) }
    string(4, node.opType)
    for (name, value) in node.attributes.sorted(by: { $0.key < $1.key }) {
      try message(5) { try $0.attribute(name, value, source) }
    }
    if !node.domain.isEmpty { string(7, node.domain) }
  }

  mutating func attribute(_ name: String, _ value: ONNXAttribute, _ source: ONNXFile?) throws {
    string(1, name)
    switch value {
    case .float(let v): float(2, v)
    case .int(let v): int64(3, v)
    case .string(let v): string(4, v)
    case .tensor(let t): try message(5) { try $0.tensor(t, source) }
    case .graph: data(6, [])  // an empty GraphProto: the graph itself is not kept
    case .floats(let vs): for v in vs { float(7, v) }
    case .ints(let vs): for v in vs { int64(8, v) }
    case .strings(let vs): for v in vs { string(9, v) }
    case .tensors(let ts): for t in ts { try message(10) { try $0.tensor(t, source) } }
    case .unsupported: break
    }
    varint(20, UInt64(truncatingIfNeeded: value.typeCode))
  }

  mutating func tensor(_ tensor: ONNXTensor, _ source: ONNXFile?) throws {
    for dim in tensor.dims { int64(1, dim) }
    varint(2, UInt64(truncatingIfNeeded: Int64(tensor.dataType)))
    switch tensor.payload {
    case .floats(let vs): packedFixed(4, vs.map(\.bitPattern))
    case .int32s(let vs): packedVarints(5, vs.map { UInt64(bitPattern: Int64($0)) })
    case .int64s(let vs): packedVarints(7, vs.map { UInt64(bitPattern: $0) })
    default: break
    }
    if !tensor.name.isEmpty { string(8, tensor.name) }
    switch tensor.payload {
    case .bytes(let bytes): data(9, bytes)
    case .raw(let range):
      guard let source, range.lowerBound >= 0, range.upperBound <= source.count else {
        throw ModelImportError.badTensor(
          name: tensor.name, message: "raw payload \(range) without the file it points into")
      }
      data(9, source.bytes(range))
    case .doubles(let vs): packedFixed(10, vs.map(\.bitPattern))
    case .uint64s(let vs): packedVarints(11, vs)
    case .external(let location, let offset, let length):
      message(13) {
        $0.string(1, "location")
        $0.string(2, location)
      }
      message(13) {
        $0.string(1, "offset")
        $0.string(2, String(offset))
      }
      if let length {
        message(13) {
          $0.string(1, "length")
          $0.string(2, String(length))
        }
      }
      varint(14, 1)
    default: break
    }
  }

  mutating func valueInfo(_ info: ONNXValueInfo) {
    string(1, info.name)
    guard info.elementType != 0 || info.shape != nil else { return }
    message(2) {  // TypeProto
      $0.message(1) {  // TypeProto.Tensor
        if info.elementType != 0 {
          $0.varint(1, UInt64(truncatingIfNeeded: Int64(info.elementType)))
        }
        if let shape = info.shape {
          $0.message(2) {  // TensorShapeProto
            for dim in shape {
              // An unknown size is an empty Dimension.
              $0.message(1) { if let dim { $0.varint(1, UInt64(bitPattern: Int64(dim))) } }
            }
          }
        }
      }
    }
  }
}

extension ONNXAttribute {
  /// AttributeProto.type for this value.
  var typeCode: Int {
    switch self {
    case .float: return 1
    case .int: return 2
    case .string: return 3
    case .tensor: return 4
    case .graph: return 5
    case .floats: return 6
    case .ints: return 7
    case .strings: return 8
    case .tensors: return 9
    case .unsupported(let code): return code
    }
  }
}
