// Protobuf wire format, read by hand (https://protobuf.dev/programming-guides/encoding/).
//
// No swift-protobuf: its build plugin costs minutes and its messages copy every tensor's bytes
// (see design/PLATFORM-NOTES). The reader walks raw bytes with absolute offsets, so every error
// names the byte where the offending field starts.

/// The five wire types a protobuf field can have (3 and 4, groups, are rejected).
enum WireType: UInt8 {
  case varint = 0
  case fixed64 = 1
  case lengthDelimited = 2
  case startGroup = 3
  case endGroup = 4
  case fixed32 = 5
}

/// One field's key: its number, wire type, and where its tag starts in the file.
struct FieldKey {
  var number: Int
  var wireType: WireType
  var offset: Int
}

/// A cursor over the bytes of one protobuf message, `offset..<end` of a larger buffer.
///
/// Never reads outside `start..<end`: every length is checked against the bytes left before it
/// is used, so random bytes give a `malformed` or `truncated` error, never a crash or a huge
/// allocation.
struct ProtobufReader {
  /// The whole buffer (the file); offsets are absolute within it.
  let base: UnsafeRawPointer
  private(set) var offset: Int
  let end: Int

  /// A reader over `range` of the buffer at `base`.
  init(base: UnsafeRawPointer, range: Range<Int>) {
    self.base = base
    self.offset = range.lowerBound
    self.end = range.upperBound
  }

  /// Whether every byte of the message has been read.
  var isAtEnd: Bool { offset >= end }

  /// The next field's key, or nil at the end of the message.
  mutating func nextField() throws -> FieldKey? {
    guard offset < end else { return nil }
    let start = offset
    let key = try readVarint(fieldStart: start)
    guard key <= UInt64(UInt32.max) else {
      throw ModelImportError.malformed(offset: start, message: "field key \(key) out of range")
    }
    let number = Int(key >> 3)
    guard number > 0 else {
      throw ModelImportError.malformed(offset: start, message: "field number 0")
    }
    guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
      throw ModelImportError.malformed(
        offset: start, message: "unknown wire type \(key & 7) for field \(number)")
    }
    return FieldKey(number: number, wireType: wireType, offset: start)
  }

  /// A base-128 varint (at most 10 bytes, the last carrying one bit).
  mutating func readVarint(fieldStart: Int) throws -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard offset < end else {
        throw ModelImportError.truncated(
          offset: fieldStart, message: "the message ends in a varint")
      }
      let byte = base.load(fromByteOffset: offset, as: UInt8.self)
      offset += 1
      if shift == 63 && byte > 1 {
        throw ModelImportError.malformed(offset: fieldStart, message: "varint longer than 64 bits")
      }
      result |= UInt64(byte & 0x7f) << shift
      if byte < 0x80 { return result }
      shift += 7
    }
  }

  /// A little-endian 32-bit value.
  mutating func readFixed32(fieldStart: Int) throws -> UInt32 {
    guard end - offset >= 4 else {
      throw ModelImportError.truncated(offset: fieldStart, message: "the message ends in a fixed32")
    }
    let value = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    offset += 4
    return value
  }

  /// A little-endian 64-bit value.
  mutating func readFixed64(fieldStart: Int) throws -> UInt64 {
    guard end - offset >= 8 else {
      throw ModelImportError.truncated(offset: fieldStart, message: "the message ends in a fixed64")
    }
    let value = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    offset += 8
    return value
  }

  /// The byte range of a length-delimited field's payload; the cursor moves past it.
  mutating func readLengthDelimited(fieldStart: Int) throws -> Range<Int> {
    let length = try readVarint(fieldStart: fieldStart)
    guard length <= UInt64(end - offset) else {
      throw ModelImportError.truncated(
        offset: fieldStart,
        message: "a field of \(length) bytes with only \(end - offset) left in its message")
    }
    let range = offset..<(offset + Int(length))
    offset = range.upperBound
    return range
  }

  /// Moves past a field this reader does not use.
  mutating func skip(_ key: FieldKey) throws {
    switch key.wireType {
    case .varint: _ = try readVarint(fieldStart: key.offset)
    case .fixed64: _ = try readFixed64(fieldStart: key.offset)
    case .fixed32: _ = try readFixed32(fieldStart: key.offset)
    case .lengthDelimited: _ = try readLengthDelimited(fieldStart: key.offset)
    case .startGroup, .endGroup:
      // NB: groups are proto2-only and absent from onnx.proto; skipping one means matching
      // nested start/end tags, which is not worth the risk on untrusted bytes.
      throw ModelImportError.malformed(
        offset: key.offset, message: "field \(key.number) is a group (not used by ONNX)")
    }
  }

  /// A reader over a nested message's bytes.
  func reader(for range: Range<Int>) -> ProtobufReader {
    ProtobufReader(base: base, range: range)
  }

  /// The bytes of `range` as a string (invalid UTF-8 is repaired, not fatal).
  func string(_ range: Range<Int>) -> String {
    String(
      decoding: UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count),
      as: UTF8.self)
  }
}

// MARK: - Typed field values

extension ProtobufReader {
  /// A field's payload as a string, checking its wire type.
  mutating func readString(_ key: FieldKey, _ what: String) throws -> String {
    try expect(key, .lengthDelimited, what)
    return string(try readLengthDelimited(fieldStart: key.offset))
  }

  /// A nested message's reader, checking the wire type.
  mutating func readMessage(_ key: FieldKey, _ what: String) throws -> ProtobufReader {
    try expect(key, .lengthDelimited, what)
    return reader(for: try readLengthDelimited(fieldStart: key.offset))
  }

  /// A varint field as an Int64 (two's complement, as int32/int64/enum fields encode).
  mutating func readInt64(_ key: FieldKey, _ what: String) throws -> Int64 {
    try expect(key, .varint, what)
    return Int64(bitPattern: try readVarint(fieldStart: key.offset))
  }

  /// A float field (fixed32 bit pattern).
  mutating func readFloat(_ key: FieldKey, _ what: String) throws -> Float {
    try expect(key, .fixed32, what)
    return Float(bitPattern: try readFixed32(fieldStart: key.offset))
  }

  /// Throws unless the field has the wire type its schema gives it.
  func expect(_ key: FieldKey, _ wireType: WireType, _ what: String) throws {
    guard key.wireType == wireType else {
      throw ModelImportError.malformed(
        offset: key.offset,
        message: "\(what) (field \(key.number)) has wire type \(key.wireType.rawValue), "
          + "expected \(wireType.rawValue)")
    }
  }
}

// MARK: - Repeated scalars, packed or not

extension ProtobufReader {
  /// Appends a repeated varint field's values: one (unpacked) or a packed run.
  ///
  /// Writers may use either encoding for any repeated scalar (onnx emits `dims` and `ints`
  /// unpacked, `int64_data` packed); parsers must accept both.
  mutating func appendVarints<T>(
    _ key: FieldKey, _ what: String, to array: inout [T], _ convert: (UInt64) -> T
  ) throws {
    switch key.wireType {
    case .varint:
      array.append(convert(try readVarint(fieldStart: key.offset)))
    case .lengthDelimited:
      var packed = reader(for: try readLengthDelimited(fieldStart: key.offset))
      while !packed.isAtEnd { array.append(convert(try packed.readVarint(fieldStart: key.offset))) }
    default:
      try expect(key, .varint, what)
    }
  }

  /// Appends a repeated fixed-width field's values (`float`, `double`): one or a packed run.
  mutating func appendFixed<T: BitwiseCopyable>(
    _ key: FieldKey, _ what: String, to array: inout [T]
  ) throws {
    let size = MemoryLayout<T>.size
    let single: WireType = size == 4 ? .fixed32 : .fixed64
    if key.wireType == single {
      guard end - offset >= size else {
        throw ModelImportError.truncated(offset: key.offset, message: "the message ends in \(what)")
      }
      array.append(loadLittleEndian(base + offset, as: T.self))
      offset += size
      return
    }
    try expect(key, .lengthDelimited, what)
    let range = try readLengthDelimited(fieldStart: key.offset)
    guard range.count % size == 0 else {
      throw ModelImportError.malformed(
        offset: key.offset,
        message: "packed \(what) of \(range.count) bytes, not a multiple of \(size)")
    }
    // The count is bounded by bytes that exist, so this allocation is never absurd.
    let count = range.count / size
    guard count > 0 else { return }
    let source = base + range.lowerBound
    let run = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      #if _endian(little)
        // One unaligned copy: packed fields sit at arbitrary offsets.
        UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(
          from: source, byteCount: count * size)
      #else
        for i in 0..<count { buffer[i] = loadLittleEndian(source + i * size, as: T.self) }
      #endif
      initialized = count
    }
    if array.isEmpty { array = run } else { array += run }
  }
}

/// Loads a little-endian value from a possibly unaligned address.
@inline(__always)
func loadLittleEndian<T: BitwiseCopyable>(_ pointer: UnsafeRawPointer, as: T.Type) -> T {
  #if _endian(little)
    return pointer.loadUnaligned(as: T.self)
  #else
    var bytes = [UInt8](UnsafeRawBufferPointer(start: pointer, count: MemoryLayout<T>.size))
    bytes.reverse()
    return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
  #endif
}
