// ONNXModel -> protobuf bytes: enough of onnx.proto to build test models in Swift.

/// Encodes an ``ONNXModel`` as a `.onnx` file's bytes, in field-number order as onnx writes
/// them (`dims` and attribute lists unpacked, typed tensor data packed).
public enum ONNXWriter {
  /// The model's bytes.
  /// - Parameter source: the file that `.raw` payloads point into (a model parsed from it).
  /// - Throws: ``ModelImportError/badTensor(name:message:)`` for a `.raw` payload without a
  ///   source, or outside it.
  public static func encode(_ model: ONNXModel, source: ONNXFile? = nil) throws -> [UInt8] {
    var out = ProtobufWriter()
    out.varint(1, UInt64(bitPattern: model.irVersion))
    if !model.producerName.isEmpty { out.string(2, model.producerName) }
    try out.message(7) { try $0.graph(model.graph, source) }
    for (domain, version) in model.opsetImports.sorted(by: { $0.key < $1.key }) {
      out.message(8) {
        if !domain.isEmpty { $0.string(1, domain) }
        $0.varint(2, UInt64(bitPattern: version))
      }
    }
    return out.bytes
  }
}

/// Appends protobuf fields to a byte array.
struct ProtobufWriter {
  var bytes: [UInt8] = []

  mutating func rawVarint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  mutating func key(_ field: Int, _ wireType: WireType) {
    rawVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
  }

  mutating func varint(_ field: Int, _ value: UInt64) {
    key(field, .varint)
    rawVarint(value)
  }

  mutating func int64(_ field: Int, _ value: Int64) { varint(field, UInt64(bitPattern: value)) }

  mutating func float(_ field: Int, _ value: Float) {
    key(field, .fixed32)
    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func data(_ field: Int, _ payload: some Collection<UInt8>) {
    key(field, .lengthDelimited)
    rawVarint(UInt64(payload.count))
    bytes.append(contentsOf: payload)
  }

  mutating func string(_ field: Int, _ value: String) { data(field, Array(value.utf8)) }

  /// A nested message built by `build`.
  mutating func message(_ field: Int, _ build: (inout ProtobufWriter) throws -> Void) rethrows {
    var inner = ProtobufWriter()
    try build(&inner)
    data(field, inner.bytes)
  }

  /// A packed run of fixed-width little-endian values.
  mutating func packedFixed<T: FixedWidthInteger>(_ field: Int, _ values: [T]) {
    var run: [UInt8] = []
    run.reserveCapacity(values.count * MemoryLayout<T>.size)
    for v in values { withUnsafeBytes(of: v.littleEndian) { run.append(contentsOf: $0) } }
    data(field, run)
  }

  /// A packed run of varints.
  mutating func packedVarints(_ field: Int, _ values: [UInt64]) {
    var run = ProtobufWriter()
    for v in values { run.rawVarint(v) }
    data(field, run.bytes)
  }
}
