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
      throw ModelImportError.badTensor(
        name: tensor.name, message: "string tensors are not supported")
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
  ///
  /// Works in chunks of ``chunkBytes`` and calls `consumed` with each chunk's byte range (relative
  /// to `bytes`) once it is copied, so a memory-mapped source can drop those pages at once: the
  /// peak is then the converted tensors plus one chunk, not plus the largest tensor.
  func decode(
    _ bytes: UnsafeRawBufferPointer, shape: [Int], count: Int, tensor: String,
    consumed: (Range<Int>) -> Void = { _ in }
  ) throws -> Value {
    let (needed, overflow) = count.multipliedReportingOverflow(by: size)
    guard !overflow, bytes.count == needed else {
      let need = overflow ? "more" : "\(needed)"
      throw ModelImportError.badTensor(
        name: tensor,
        message: "has \(bytes.count) bytes of data, its \(count) elements need \(need)")
    }
    guard count > 0, let source = bytes.baseAddress else {
      return isFloat
        ? .float(Tensor(shape: shape, storage: [])) : .int64(IntTensor(shape: shape, storage: []))
    }
    if case .uint64 = self {
      // Checked first: an error must not leave a half-converted tensor behind.
      for i in 0..<count where loadLittleEndian(source + i * 8, as: UInt64.self) > UInt64(Int64.max)
      {
        throw ModelImportError.badTensor(name: tensor, message: "uint64 element \(i) exceeds int64")
      }
    }
    let chunk = Self.chunkBytes / size
    func convert<T: BitwiseCopyable, R>(_: T.Type, _ body: (T) -> R) -> [R] {
      [R](unsafeUninitializedCapacity: count) { buffer, initialized in
        let out = buffer.baseAddress!
        for first in stride(from: 0, to: count, by: chunk) {
          let last = min(first + chunk, count)
          for i in first..<last { out[i] = body(loadLittleEndian(source + i * size, as: T.self)) }
          consumed(first * size..<last * size)
        }
        initialized = count
      }
    }
    switch self {
    case .float32: return .float(Tensor(shape: shape, storage: copyFloats(source, count, consumed)))
    case .float64: return .float(Tensor(shape: shape, storage: convert(Double.self) { Float($0) }))
    case .float16: return .float(Tensor(shape: shape, storage: convert(UInt16.self, floatFromHalf)))
    case .bfloat16:
      return .float(Tensor(shape: shape, storage: convert(UInt16.self, floatFromBFloat16)))
    case .int8: return .int64(IntTensor(shape: shape, storage: convert(Int8.self) { Int64($0) }))
    case .uint8: return .int64(IntTensor(shape: shape, storage: convert(UInt8.self) { Int64($0) }))
    case .bool:
      return .int64(IntTensor(shape: shape, storage: convert(UInt8.self) { $0 == 0 ? 0 : 1 }))
    case .int16: return .int64(IntTensor(shape: shape, storage: convert(Int16.self) { Int64($0) }))
    case .uint16:
      return .int64(IntTensor(shape: shape, storage: convert(UInt16.self) { Int64($0) }))
    case .int32: return .int64(IntTensor(shape: shape, storage: convert(Int32.self) { Int64($0) }))
    case .uint32:
      return .int64(IntTensor(shape: shape, storage: convert(UInt32.self) { Int64($0) }))
    case .int64: return .int64(IntTensor(shape: shape, storage: convert(Int64.self) { $0 }))
    case .uint64:
      return .int64(IntTensor(shape: shape, storage: convert(UInt64.self) { Int64($0) }))
    }
  }

  /// Bytes converted between two `consumed` calls.
  static let chunkBytes = 8 << 20

  /// Converts `int32_data`, which holds every type narrower than 32 bits (float16 and bfloat16
  /// as their bit patterns), plus int32 itself.
  func fromInt32Data(_ values: [Int32], shape: [Int], tensor: ONNXTensor) throws -> Value {
    let bits = { (v: Int32) in UInt16(truncatingIfNeeded: v) }
    switch self {
    case .float16:
      return .float(Tensor(shape: shape, storage: values.map { floatFromHalf(bits($0)) }))
    case .bfloat16:
      return .float(Tensor(shape: shape, storage: values.map { floatFromBFloat16(bits($0)) }))
    case .int32, .int16, .int8:
      return .int64(IntTensor(shape: shape, storage: values.map { Int64($0) }))
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

/// Copies `count` float32s (little-endian, any alignment) chunk by chunk.
private func copyFloats(
  _ source: UnsafeRawPointer, _ count: Int, _ consumed: (Range<Int>) -> Void
) -> [Float] {
  let chunk = ElementKind.chunkBytes / 4
  return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
    let out = buffer.baseAddress!
    for first in stride(from: 0, to: count, by: chunk) {
      let last = min(first + chunk, count)
      #if _endian(little)
        // raw_data is not 4-byte aligned: a byte copy, never a typed load.
        memcpy(out + first, source + first * 4, (last - first) * 4)
      #else
        for i in first..<last { out[i] = loadLittleEndian(source + i * 4, as: Float.self) }
      #endif
      consumed(first * 4..<last * 4)
    }
    initialized = count
  }
}
