// A tensor's elements, wherever they are stored, converted to a Network value.
import Engine
public import Network

extension ONNXFile {
  /// Reads and converts a tensor's elements: float, double, float16 and bfloat16 become a float
  /// tensor; every integer type and bool become an int64 tensor (uint64 only when it fits).
  ///
  /// `raw_data` is copied out of the mapped file and its pages released; external data is read
  /// from a file under ``directory``.
  /// - Throws: ``ModelImportError/badTensor(name:message:)`` when the type is unsupported (string,
  ///   complex, 8-bit floats) or the dims, type and data disagree; `io` for external files.
  public func value(of tensor: ONNXTensor) throws -> Value {
    let kind = try ElementKind(tensor)
    let (shape, count) = try tensorShape(tensor)
    let fail = { (message: String) in
      ModelImportError.badTensor(name: tensor.name, message: message)
    }
    switch tensor.payload {
    case .raw(let range):
      guard range.lowerBound >= 0, range.upperBound <= self.count else {
        throw fail("raw_data \(range) lies outside the model's \(self.count) bytes")
      }
      let start = range.lowerBound
      return try kind.decode(bytes(range), shape: shape, count: count, tensor: tensor.name) {
        self.release(start + $0.lowerBound..<start + $0.upperBound)
      }
    case .bytes(let bytes):
      return try bytes.withUnsafeBytes {
        try kind.decode($0, shape: shape, count: count, tensor: tensor.name)
      }
    case .external(let location, let offset, let length):
      return try withExternalBytes(location, offset, length, tensor: tensor.name) {
        bytes, release in
        try kind.decode(bytes, shape: shape, count: count, tensor: tensor.name, consumed: release)
      }
    case .floats(let values):
      guard kind == .float32 else { throw fail("float_data for data type \(tensor.dataType)") }
      try checkCount(values.count, count, "float_data", tensor)
      return .float(Tensor(shape: shape, storage: values))
    case .doubles(let values):
      guard kind == .float64 else { throw fail("double_data for data type \(tensor.dataType)") }
      try checkCount(values.count, count, "double_data", tensor)
      return .float(Tensor(shape: shape, storage: values.map { Float($0) }))
    case .int32s(let values):
      try checkCount(values.count, count, "int32_data", tensor)
      return try kind.fromInt32Data(values, shape: shape, tensor: tensor)
    case .int64s(let values):
      guard kind == .int64 else { throw fail("int64_data for data type \(tensor.dataType)") }
      try checkCount(values.count, count, "int64_data", tensor)
      return .int64(IntTensor(shape: shape, storage: values))
    case .uint64s(let values):
      guard kind == .uint32 || kind == .uint64 else {
        throw fail("uint64_data for data type \(tensor.dataType)")
      }
      try checkCount(values.count, count, "uint64_data", tensor)
      return .int64(
        IntTensor(shape: shape, storage: try values.map { try signed($0, tensor.name) }))
    case .empty:
      guard count == 0 else {
        throw fail("no data for the \(count) elements of dims \(tensor.dims)")
      }
      return kind.isFloat
        ? .float(Tensor(shape: shape, storage: []))
        : .int64(IntTensor(shape: shape, storage: []))
    }
  }

  /// The dims as a shape, and the element count; throws on negative dims or overflow.
  private func tensorShape(_ tensor: ONNXTensor) throws -> ([Int], Int) {
    var count = 1
    for dim in tensor.dims {
      let (product, overflow) = count.multipliedReportingOverflow(by: Int(dim))
      guard dim >= 0, !overflow else {
        throw ModelImportError.badTensor(name: tensor.name, message: "bad dims \(tensor.dims)")
      }
      count = product
    }
    return (tensor.dims.map { Int($0) }, count)
  }

  private func checkCount(_ given: Int, _ needed: Int, _ field: String, _ tensor: ONNXTensor) throws
  {
    guard given == needed else {
      throw ModelImportError.badTensor(
        name: tensor.name,
        message: "\(field) has \(given) elements, dims \(tensor.dims) need \(needed)")
    }
  }
}

/// A uint64 as int64, or an error when it does not fit.
func signed(_ value: UInt64, _ tensor: String) throws -> Int64 {
  guard value <= UInt64(Int64.max) else {
    throw ModelImportError.badTensor(name: tensor, message: "uint64 value \(value) exceeds int64")
  }
  return Int64(value)
}

/// float16 bits to Float (IEEE 754 binary16: 1 sign, 5 exponent, 10 fraction bits).
func floatFromHalf(_ bits: UInt16) -> Float {
  let sign: UInt32 = UInt32(bits & 0x8000) << 16
  let exponent = Int((bits >> 10) & 0x1f)
  let fraction = UInt32(bits & 0x3ff)
  switch exponent {
  case 0:
    // Zero or subnormal: fraction * 2^-24, exact in Float.
    let magnitude = Float(fraction) * 0x1p-24
    return sign == 0 ? magnitude : -magnitude
  case 31:
    return Float(bitPattern: sign | 0x7f80_0000 | (fraction << 13))  // inf or NaN
  default:
    return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (fraction << 13))
  }
}

/// bfloat16 bits to Float (the top half of a float32).
func floatFromBFloat16(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
