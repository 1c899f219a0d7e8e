// AttributeProto and TensorProto: attribute values, and where a tensor's elements are.
public import Network

/// Parses one serialized TensorProto (an ONNX test-data `.pb` file) and converts its elements.
/// - Returns: the tensor, its payload held in memory, and its value.
/// - Throws: ``ModelImportError`` for bad bytes or a tensor Glimpse cannot convert.
public func parseTensorProto(_ bytes: [UInt8]) throws -> (tensor: ONNXTensor, value: Value) {
  let file = ONNXFile(bytes: bytes)
  var reader = ProtobufReader(base: file.base, range: 0..<file.count)
  var tensor = try reader.tensorProto(at: 0)
  let value = try file.value(of: tensor)
  if case .raw(let range) = tensor.payload { tensor.payload = .bytes(Array(file.bytes(range))) }
  return (tensor, value)
}

/// AttributeProto.type codes.
private enum AttributeType: Int64 {
  case float = 1
  case int = 2
  case string = 3
  case tensor = 4
  case graph = 5
  case floats = 6
  case ints = 7
  case strings = 8
  case tensors = 9
}

extension ProtobufReader {
  /// AttributeProto: its name and value, chosen by `type` (or, when absent, by the field set).
  /// - Parameter start: where the field holding it starts, for errors.
  mutating func attributeProto(at start: Int) throws -> (String, ONNXAttribute) {
    var name = ""
    var type: Int64 = 0
    var float: Float?
    var int: Int64?
    var string: String?
    var tensor: ONNXTensor?
    var hasGraph = false
    var floats: [Float] = []
    var ints: [Int64] = []
    var strings: [String] = []
    var tensors: [ONNXTensor] = []
    while let key = try nextField() {
      switch key.number {
      case 1: name = try readString(key, "AttributeProto.name")
      case 2: float = try readFloat(key, "AttributeProto.f")
      case 3: int = try readInt64(key, "AttributeProto.i")
      case 4: string = try readString(key, "AttributeProto.s")
      case 5:
        var message = try readMessage(key, "AttributeProto.t")
        tensor = try message.tensorProto(at: key.offset)
      case 6:
        try expect(key, .lengthDelimited, "AttributeProto.g")
        _ = try readLengthDelimited(fieldStart: key.offset)  // recorded, not parsed
        hasGraph = true
      case 7: try appendFixed(key, "AttributeProto.floats", to: &floats)
      case 8: try appendVarints(key, "AttributeProto.ints", to: &ints) { Int64(bitPattern: $0) }
      case 9: strings.append(try readString(key, "AttributeProto.strings"))
      case 10:
        var message = try readMessage(key, "AttributeProto.tensors")
        tensors.append(try message.tensorProto(at: key.offset))
      case 20: type = try readInt64(key, "AttributeProto.type")
      default: try skip(key)
      }
    }
    if type == 0 {
      // Files older than IR version 3 may leave `type` unset: infer it from the field present.
      type =
        float != nil
        ? 1
        : int != nil
          ? 2
          : string != nil
            ? 3
            : tensor != nil
              ? 4
              : hasGraph
                ? 5
                : !floats.isEmpty
                  ? 6
                  : !ints.isEmpty
                    ? 7
                    : !strings.isEmpty
                      ? 8
                      : !tensors.isEmpty ? 9 : 0
    }
    let missing = { (field: String) in
      ModelImportError.malformed(
        offset: start, message: "attribute '\(name)' has type \(type) but no field \(field)")
    }
    switch AttributeType(rawValue: type) {
    case .float?:
      guard let float else { throw missing("f") }
      return (name, .float(float))
    case .int?:
      guard let int else { throw missing("i") }
      return (name, .int(int))
    case .string?:
      guard let string else { throw missing("s") }
      return (name, .string(string))
    case .tensor?:
      guard let tensor else { throw missing("t") }
      return (name, .tensor(tensor))
    case .graph?: return (name, .graph)
    case .floats?: return (name, .floats(floats))
    case .ints?: return (name, .ints(ints))
    case .strings?: return (name, .strings(strings))
    case .tensors?: return (name, .tensors(tensors))
    case nil: return (name, .unsupported(type: Int(truncatingIfNeeded: type)))
    }
  }

  /// TensorProto: name, type, dims, and the payload (a byte range of the file for raw_data).
  /// - Parameter start: where the field holding it starts, for errors.
  mutating func tensorProto(at start: Int) throws -> ONNXTensor {
    var tensor = ONNXTensor(name: "", dataType: 0, dims: [], payload: .empty)
    var raw: Range<Int>?
    var floats: [Float] = []
    var doubles: [Double] = []
    var int32s: [Int32] = []
    var int64s: [Int64] = []
    var uint64s: [UInt64] = []
    var isExternal = false
    var external: [String: String] = [:]
    while let key = try nextField() {
      switch key.number {
      case 1: try appendVarints(key, "TensorProto.dims", to: &tensor.dims) { Int64(bitPattern: $0) }
      case 2:
        tensor.dataType = Int32(truncatingIfNeeded: try readInt64(key, "TensorProto.data_type"))
      case 4: try appendFixed(key, "TensorProto.float_data", to: &floats)
      case 5:
        try appendVarints(key, "TensorProto.int32_data", to: &int32s) {
          Int32(truncatingIfNeeded: $0)
        }
      case 7:
        try appendVarints(key, "TensorProto.int64_data", to: &int64s) { Int64(bitPattern: $0) }
      case 8: tensor.name = try readString(key, "TensorProto.name")
      case 9:
        try expect(key, .lengthDelimited, "TensorProto.raw_data")
        raw = try readLengthDelimited(fieldStart: key.offset)
      case 10: try appendFixed(key, "TensorProto.double_data", to: &doubles)
      case 11: try appendVarints(key, "TensorProto.uint64_data", to: &uint64s) { $0 }
      case 13:
        var entry = try readMessage(key, "TensorProto.external_data")
        let (entryKey, value) = try entry.stringStringEntry()
        external[entryKey] = value
      case 14: isExternal = try readInt64(key, "TensorProto.data_location") == 1
      default: try skip(key)
      }
    }
    var payloads: [ONNXTensor.Payload] = []
    if let raw { payloads.append(.raw(raw)) }
    if !floats.isEmpty { payloads.append(.floats(floats)) }
    if !doubles.isEmpty { payloads.append(.doubles(doubles)) }
    if !int32s.isEmpty { payloads.append(.int32s(int32s)) }
    if !int64s.isEmpty { payloads.append(.int64s(int64s)) }
    if !uint64s.isEmpty { payloads.append(.uint64s(uint64s)) }
    if isExternal {
      payloads = [try externalPayload(external, tensor: tensor.name, offset: start)]
    }
    guard payloads.count <= 1 else {
      throw ModelImportError.malformed(
        offset: start, message: "tensor '\(tensor.name)' has its elements in several fields")
    }
    tensor.payload = payloads.first ?? .empty
    return tensor
  }

  /// StringStringEntryProto: (key, value).
  mutating func stringStringEntry() throws -> (String, String) {
    var key = ""
    var value = ""
    while let field = try nextField() {
      switch field.number {
      case 1: key = try readString(field, "StringStringEntryProto.key")
      case 2: value = try readString(field, "StringStringEntryProto.value")
      default: try skip(field)
      }
    }
    return (key, value)
  }

  /// The external-data payload named by `location`, `offset` and `length` entries.
  private func externalPayload(
    _ entries: [String: String], tensor: String, offset start: Int
  ) throws -> ONNXTensor.Payload {
    guard let location = entries["location"], !location.isEmpty else {
      throw ModelImportError.malformed(
        offset: start, message: "external tensor '\(tensor)' has no location")
    }
    func number(_ key: String) throws -> Int? {
      guard let text = entries[key] else { return nil }
      guard let value = Int(text), value >= 0 else {
        throw ModelImportError.malformed(
          offset: start, message: "external tensor '\(tensor)' has \(key) '\(text)'")
      }
      return value
    }
    return .external(
      location: location, offset: try number("offset") ?? 0, length: try number("length"))
  }
}
