// Element types Glimpse converts, and how their little-endian bytes become values.
import Engine
import Network

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A TensorProto data type Glimpse can convert, with its size in raw_data.
enum ElementKind: Equatable {
  case float32, float16, bfloat16, float64
  case int8, uint8, bool, int16, uint16, int32, uint32, int64, uint64

  /// The kind of `tensor.dataType`, or an error naming the tensor.
  init(_ tensor: ONNXTensor) throws {
    switch ONNXDataType(rawValue: tensor.dataType) {
    case .float?: self = .float32
    case .float16?: self = .float16
    case .bfloat16?: self = .bfloat16
    case .double?: self = .float64
    case .int8?: self = .int8
    case .uint8?: self = .uint8
    case .bool?: self = .bool
    case .int16?: self = .int16
    case .uint16?: self = .uint16
    case .int32?: self = .int32
    case .uint32?: self = .uint32
    case .int64?: self = .int64
    case .uint64?: self = .uint64
    case .string?:
      throw ModelImportError.badTensor(name: tensor.name, message: "string tensors are not supported")
    case nil:
      throw ModelImportError.badTensor(
        name: tensor.name, message: "data type \(tensor.dataType) is not supported")
    }
  }

  /// Bytes per element in raw_data.
  var size: Int {
    switch self {
    case .int8, .uint8, .bool: return 1
    case .float16, .bfloat16, .int16, .uint16: return 2
    case .float32, .int32, .uint32: return 4
    case .float64, .int64, .uint64: return 8
    }
  }

  /// Whether values of this kind become a float tensor.
  var isFloat: Bool { [.float32, .float16, .bfloat16, .float64].contains(self) }

  /// Converts `count` little-endian elements from `bytes` (any alignment).
  func decode(
    _ bytes: UnsafeRawBufferPointer, shape: [Int], count: Int, tensor: String
  ) throws -> Value {
    let (needed, overflow) = count.multipliedReportingOverflow(by: size)
    guard !overflow, bytes.count == needed else {
      throw ModelImportError.badTensor(
        name: tensor,
        message: "has \(bytes.count) bytes of data, its \(count) elements need \(overflow ? "more" : "\(needed)")")
    }
    guard count > 0, let source = bytes.baseAddress else {
      return isFloat ? .float(Tensor(shape: shape, storage: [])) : .int64(IntTensor(shape: shape, storage: []))
    }
    switch self {
    case .float32:
      #if _endian(little)
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
          memcpy(buffer.baseAddress!, source, needed)  // raw_data is not 4-byte aligned
          initialized = count
        }
        return .float(Tensor(shape: shape, storage: values))
      #else
        return .float(Tensor(shape: shape, storage: floats(source, count) { $0 as Float }))
      #endif
    case .float64: return .float(Tensor(shape: shape, storage: floats(source, count) { (v: Double) in Float(v) }))
    case .float16: return .float(Tensor(shape: shape, storage: floats(source, count, floatFromHalf)))
    case .bfloat16: return .float(Tensor(shape: shape, storage: floats(source, count, floatFromBFloat16)))
    case .int8: return ints(source, count, shape) { (v: Int8) in Int64(v) }
    case .uint8: return ints(source, count, shape) { (v: UInt8) in Int64(v) }
    case .bool: return ints(source, count, shape) { (v: UInt8) in v == 0 ? 0 : 1 }
    case .int16: return ints(source, count, shape) { (v: Int16) in Int64(v) }
    case .uint16: return ints(source, count, shape) { (v: UInt16) in Int64(v) }
    case .int32: return ints(source, count, shape) { (v: Int32) in Int64(v) }
    case .uint32: return ints(source, count, shape) { (v: UInt32) in Int64(v) }
    case .int64: return ints(source, count, shape) { (v: Int64) in v }
    case .uint64:
      let values = try (0..<count).map { i in
        try signed(loadLittleEndian(source + i * 8, as: UInt64.self), tensor)
      }
      return .int64(IntTensor(shape: shape, storage: values))
    }
  }

  /// Converts `int32_data`, which holds every type narrower than 32 bits (float16 and bfloat16
  /// as their bit patterns), plus int32 itself.
  func fromInt32Data(_ values: [Int32], shape: [Int], tensor: ONNXTensor) throws -> Value {
    let bits = { (v: Int32) in UInt16(truncatingIfNeeded: v) }
    switch self {
    case .float16: return .float(Tensor(shape: shape, storage: values.map { floatFromHalf(bits($0)) }))
    case .bfloat16:
      return .float(Tensor(shape: shape, storage: values.map { floatFromBFloat16(bits($0)) }))
    case .int32, .int16, .int8: return .int64(IntTensor(shape: shape, storage: values.map { Int64($0) }))
    // Unsigned types are stored zero-extended; mask in case a writer sign-extended them.
    case .uint8: return .int64(IntTensor(shape: shape, storage: values.map { Int64($0 & 0xff) }))
    case .uint16: return .int64(IntTensor(shape: shape, storage: values.map { Int64($0 & 0xffff) }))
    case .bool: return .int64(IntTensor(shape: shape, storage: values.map { $0 == 0 ? 0 : 1 }))
    default:
      throw ModelImportError.badTensor(
        name: tensor.name, message: "int32_data for data type \(tensor.dataType)")
    }
  }
}

/// Reads `count` unaligned little-endian `T`s at `source` and converts each to Float.
@inline(__always)
private func floats<T: BitwiseCopyable>(
  _ source: UnsafeRawPointer, _ count: Int, _ convert: (T) -> Float
) -> [Float] {
  [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
    let out = buffer.baseAddress!
    for i in 0..<count { out[i] = convert(loadLittleEndian(source + i * MemoryLayout<T>.size, as: T.self)) }
    initialized = count
  }
}

/// Reads `count` unaligned little-endian `T`s at `source` into an int64 tensor.
@inline(__always)
private func ints<T: BitwiseCopyable>(
  _ source: UnsafeRawPointer, _ count: Int, _ shape: [Int], _ convert: (T) -> Int64
) -> Value {
  let values = [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
    let out = buffer.baseAddress!
    for i in 0..<count { out[i] = convert(loadLittleEndian(source + i * MemoryLayout<T>.size, as: T.self)) }
    initialized = count
  }
  return .int64(IntTensor(shape: shape, storage: values))
}
