// ModelProto -> ONNXModel: the messages and fields of onnx.proto Glimpse reads.
//
// Field numbers are onnx.proto's (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
// Unknown fields are skipped by wire type. The parser descends only into the message types
// listed here (model > graph > node > attribute > tensor > entry; value info > type > shape >
// dimension), never into unknown or graph-valued fields, so nesting depth is bounded by the
// schema and no input can drive recursion.

extension ONNXFile {
  /// Parses the model's graph, opsets and tensors' locations (tensor bytes are not read).
  /// - Throws: ``ModelImportError/malformed(offset:message:)`` or
  ///   ``ModelImportError/truncated(offset:message:)`` naming the byte where the bad field starts.
  public func parseModel() throws -> ONNXModel {
    var reader = ProtobufReader(base: base, range: 0..<count)
    return try reader.modelProto()
  }
}

extension ProtobufReader {
  /// ModelProto.
  mutating func modelProto() throws -> ONNXModel {
    var irVersion: Int64 = 0
    var producer = ""
    var opsets: [String: Int64] = [:]
    var graph: ONNXGraph?
    while let key = try nextField() {
      switch key.number {
      case 1: irVersion = try readInt64(key, "ModelProto.ir_version")
      case 2: producer = try readString(key, "ModelProto.producer_name")
      case 7:
        var message = try readMessage(key, "ModelProto.graph")
        graph = try message.graphProto()
      case 8:
        var message = try readMessage(key, "ModelProto.opset_import")
        let (domain, version) = try message.operatorSetID()
        opsets[domain] = version
      default: try skip(key)
      }
    }
    // NB: a file cut exactly between two top-level fields is valid protobuf; requiring the graph
    // and an opset (which ONNX requires anyway) turns most such cuts into errors.
    guard let graph else {
      throw ModelImportError.malformed(offset: end, message: "the model has no graph")
    }
    guard !opsets.isEmpty else {
      throw ModelImportError.malformed(offset: end, message: "the model declares no opset_import")
    }
    return ONNXModel(
      irVersion: irVersion, producerName: producer, opsetImports: opsets, graph: graph)
  }

  /// OperatorSetIdProto: (domain, version).
  mutating func operatorSetID() throws -> (String, Int64) {
    var domain = ""
    var version: Int64 = 0
    while let key = try nextField() {
      switch key.number {
      case 1: domain = try readString(key, "OperatorSetIdProto.domain")
      case 2: version = try readInt64(key, "OperatorSetIdProto.version")
      default: try skip(key)
      }
    }
    return (domain, version)
  }

  /// GraphProto.
  mutating func graphProto() throws -> ONNXGraph {
    var graph = ONNXGraph()
    while let key = try nextField() {
      switch key.number {
      case 1:
        var message = try readMessage(key, "GraphProto.node")
        graph.nodes.append(try message.nodeProto())
      case 2: graph.name = try readString(key, "GraphProto.name")
      case 5:
        var message = try readMessage(key, "GraphProto.initializer")
        graph.initializers.append(try message.tensorProto(at: key.offset))
      case 11:
        var message = try readMessage(key, "GraphProto.input")
        graph.inputs.append(try message.valueInfoProto())
      case 12:
        var message = try readMessage(key, "GraphProto.output")
        graph.outputs.append(try message.valueInfoProto())
      case 13:
        var message = try readMessage(key, "GraphProto.value_info")
        graph.valueInfo.append(try message.valueInfoProto())
      default: try skip(key)
      }
    }
    return graph
  }

  /// NodeProto.
  mutating func nodeProto() throws -> ONNXNode {
    var node = ONNXNode(opType: "", inputs: [], outputs: [])
    while let key = try nextField() {
      switch key.number {
      case 1: node.inputs.append(try readString(key, "NodeProto.input"))
      case 2: node.outputs.append(try readString(key, "NodeProto.output"))
      case 3: node.name = try readString(key, "NodeProto.name")
      case 4: node.opType = try readString(key, "NodeProto.op_type")
      case 5:
        var message = try readMessage(key, "NodeProto.attribute")
        let (name, value) = try message.attributeProto(at: key.offset)
        node.attributes[name] = value
      case 7: node.domain = try readString(key, "NodeProto.domain")
      default: try skip(key)
      }
    }
    return node
  }

  /// ValueInfoProto: name, and element type and shape when it is a tensor type.
  mutating func valueInfoProto() throws -> ONNXValueInfo {
    var info = ONNXValueInfo(name: "")
    while let key = try nextField() {
      switch key.number {
      case 1: info.name = try readString(key, "ValueInfoProto.name")
      case 2:
        var type = try readMessage(key, "ValueInfoProto.type")
        while let typeKey = try type.nextField() {
          // TypeProto.tensor_type; sequences, maps and optionals leave the type undeclared.
          guard typeKey.number == 1 else {
            try type.skip(typeKey)
            continue
          }
          var tensorType = try type.readMessage(typeKey, "TypeProto.tensor_type")
          try tensorType.tensorTypeProto(into: &info)
        }
      default: try skip(key)
      }
    }
    return info
  }

  /// TypeProto.Tensor: elem_type and shape.
  mutating func tensorTypeProto(into info: inout ONNXValueInfo) throws {
    while let key = try nextField() {
      switch key.number {
      case 1:
        info.elementType = Int32(
          truncatingIfNeeded: try readInt64(key, "TypeProto.Tensor.elem_type"))
      case 2:
        var shape = try readMessage(key, "TypeProto.Tensor.shape")
        var dims: [Int?] = []
        while let dimKey = try shape.nextField() {
          guard dimKey.number == 1 else {
            try shape.skip(dimKey)
            continue
          }
          var dim = try shape.readMessage(dimKey, "TensorShapeProto.dim")
          dims.append(try dim.dimension())
        }
        info.shape = dims
      default: try skip(key)
      }
    }
  }

  /// TensorShapeProto.Dimension: its fixed size, or nil when symbolic (dim_param) or unknown.
  mutating func dimension() throws -> Int? {
    var size: Int?
    while let key = try nextField() {
      switch key.number {
      case 1:
        let value = try readInt64(key, "Dimension.dim_value")
        // Some exporters write -1 for "unknown"; treat any negative size as unknown.
        size = value >= 0 ? Int(value) : nil
      case 2:
        _ = try readString(key, "Dimension.dim_param")
        size = nil
      default: try skip(key)
      }
    }
    return size
  }
}
