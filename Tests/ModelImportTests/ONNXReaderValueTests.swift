// Tensor payloads to values: conversions, float16 corner cases, and every way dims, type and
// data can disagree.
import Engine
import Foundation
import ModelImport
import Network
import XCTest

final class ONNXReaderValueTests: XCTestCase {
  func testWriterRoundTripIsByteExact() throws {
    let bytes = try ONNXWriter.encode(smallModel())
    let file = ONNXFile(bytes: bytes)
    let model = try file.parseModel()
    XCTAssertEqual(try ONNXWriter.encode(model, source: file), bytes)
    XCTAssertEqual(model.irVersion, 9)
    XCTAssertEqual(model.producerName, "tests")
    XCTAssertEqual(model.defaultOpset, 18)
    XCTAssertEqual(model.graph.inputs[0].shape, [nil, 3, 4, 4])
    let node = model.graph.nodes[0]
    XCTAssertEqual(node.name, "conv")
    XCTAssertEqual(node.inputs, ["x", "w", "b"])
    XCTAssertEqual("\(node.attributes["kernel_shape"]!)", "ints([1, 1])")
    XCTAssertEqual("\(node.attributes["alpha"]!)", "float(0.5)")
    XCTAssertEqual("\(node.attributes["mode"]!)", "string(\"same\")")
    XCTAssertEqual("\(node.attributes["scales"]!)", "floats([1.0, 2.0])")
    let values = try model.graph.initializers.map { try file.value(of: $0) }
    XCTAssertEqual(values[0], .float(Tensor(repeating: 0.25, shape: [2, 3, 1, 1])))
    XCTAssertEqual(values[1], .float(Tensor(shape: [2], storage: [1, -1])))
    XCTAssertEqual(values[2], .int64(IntTensor(shape: [2], storage: [1, -1])))
  }

  func testRawDataAtAnUnalignedOffset() throws {
    let floats: [Float] = [1, 2.5, -3, 1e-30, .infinity]
    var bytes: [UInt8] = []
    for v in floats { withUnsafeBytes(of: v) { bytes += $0 } }
    for nameLength in 1...4 {  // shifts raw_data across every alignment
      let tensor = Wire().varint(1, 5).varint(2, 1).string(
        8, String(repeating: "n", count: nameLength)
      )
      .data(9, bytes)
      let (file, parsed) = try parseInitializer(tensor)
      guard case .raw(let range) = parsed.payload else { return XCTFail("not raw") }
      XCTAssertEqual(range.count, 20)
      XCTAssertEqual(try file.value(of: parsed), .float(Tensor(shape: [5], storage: floats)))
    }
  }

  func testFloat16CornerCases() throws {
    let bits: [UInt16] = [0x0001, 0x03ff, 0x0400, 0x3c00, 0xc000, 0x7bff, 0x8000, 0x7c00, 0xfc00]
    let expected: [Float] = [
      0x1p-24, 1023 * 0x1p-24, 0x1p-14, 1, -2, 65504, -0.0, .infinity, -.infinity,
    ]
    var raw: [UInt8] = []
    for b in bits { withUnsafeBytes(of: b.littleEndian) { raw += $0 } }
    let fromRaw = try value(Wire().varint(1, 9).varint(2, 10).data(9, raw))
    let fromInt32 = try value(
      Wire().varint(1, 9).varint(2, 10).packedVarints(5, bits.map { Int64($0) }))
    XCTAssertEqual(fromRaw, .float(Tensor(shape: [9], storage: expected)))
    XCTAssertEqual(fromInt32, fromRaw)
    XCTAssertEqual(fromRaw.floatTensor?.storage[6].sign, .minus)
    let nan = try value(Wire().varint(1, 1).varint(2, 10).data(9, [0x00, 0x7e]))
    XCTAssertTrue(nan.floatTensor?.storage[0].isNaN ?? false)
  }

  func testSmallIntegerTypesKeepTheirSignsInRawData() throws {
    XCTAssertEqual(
      try value(Wire().varint(1, 2).varint(2, 3).data(9, [0xff, 0x80])),
      .int64(IntTensor(shape: [2], storage: [-1, -128])))
    XCTAssertEqual(
      try value(Wire().varint(1, 2).varint(2, 2).data(9, [0xff, 0x80])),
      .int64(IntTensor(shape: [2], storage: [255, 128])))
    XCTAssertEqual(
      try value(Wire().varint(1, 1).varint(2, 5).data(9, [0x00, 0x80])),
      .int64(IntTensor(shape: [1], storage: [-32768])))
    XCTAssertEqual(
      try value(Wire().varint(1, 1).varint(2, 12).data(9, [0xff, 0xff, 0xff, 0xff])),
      .int64(IntTensor(shape: [1], storage: [4_294_967_295])))
    XCTAssertEqual(
      try value(Wire().varint(1, 3).varint(2, 9).data(9, [0, 1, 7])),
      .int64(IntTensor(shape: [3], storage: [0, 1, 1])))
  }

  func testMismatchesNameTheTensor() {
    let cases: [(String, Wire)] = [
      ("raw bytes vs dims", Wire().varint(1, 2).varint(2, 1).data(9, [0, 0, 0, 0, 0])),
      (
        "float_data count",
        Wire().varint(1, 2).varint(1, 2).varint(2, 1).packedFloats(4, [1, 2, 3])
      ),
      ("int64_data count", Wire().varint(1, 3).varint(2, 7).packedVarints(7, [1])),
      ("negative dim", Wire().varint(1, -1).varint(2, 1).data(9, [])),
      ("overflowing dims", Wire().varint(1, Int64.max).varint(1, 4).varint(2, 1).data(9, [])),
      ("huge dims, no data", Wire().varint(1, 1 << 40).varint(2, 1)),
      ("string tensor", Wire().varint(1, 1).varint(2, 8).data(6, [65])),
      ("undefined type", Wire().varint(1, 1).varint(2, 0).data(9, [0, 0, 0, 0])),
      ("float8 type", Wire().varint(1, 1).varint(2, 17).data(9, [0])),
      ("int64_data for float", Wire().varint(1, 1).varint(2, 1).varint(7, 3)),
      ("float_data for int64", Wire().varint(1, 1).varint(2, 7).float(4, 3)),
      ("int32_data for float", Wire().varint(1, 1).varint(2, 1).varint(5, 3)),
      ("uint64 too large (typed)", Wire().varint(1, 1).varint(2, 13).varint(11, -1)),
      (
        "uint64 too large (raw)",
        Wire().varint(1, 1).varint(2, 13).data(9, [UInt8](repeating: 0xff, count: 8))
      ),
    ]
    for (label, tensor) in cases {
      let named = tensor.string(8, "the_tensor")
      guard let (file, parsed) = try? parseInitializer(named) else {
        XCTFail("\(label): does not parse")
        continue
      }
      guard case .badTensor(let name, _)? = importError(try file.value(of: parsed)) else {
        XCTFail("\(label): not a badTensor error")
        continue
      }
      XCTAssertEqual(name, "the_tensor", label)
    }
  }

  func testTensorsLargerThanOneConversionChunk() throws {
    // Conversion runs in 8 MB chunks; these span two, at an odd file offset. Elements are
    // sampled around the chunk boundary (debug-built test loops are slow).
    let floats = (0..<2_100_000).map { Float($0 % 1000) - 500.5 }
    let raw = floats.withUnsafeBytes { [UInt8]($0) }
    XCTAssertEqual(
      try value(Wire().varint(1, Int64(floats.count)).varint(2, 1).string(8, "odd").data(9, raw)),
      .float(Tensor(shape: [floats.count], storage: floats)))
    let halves = (0..<4_200_000).map { UInt16(truncatingIfNeeded: $0 % 0x7c00) }
    let half = try value(
      Wire().varint(1, Int64(halves.count)).varint(2, 10)
        .data(9, halves.withUnsafeBytes { [UInt8]($0) }))
    var bytes = [UInt8](repeating: 3, count: 8_400_000)
    let samples = [0, 4_194_303, 4_194_304, 8_388_607, 8_388_608, 8_399_999]
    for (k, i) in samples.enumerated() { bytes[i] = UInt8(250 - k) }
    let int8s = try value(Wire().varint(1, Int64(bytes.count)).varint(2, 3).data(9, bytes))
    for i in samples {
      if i < halves.count {
        XCTAssertEqual(half.floatTensor?.storage[i], floatFromHalfReference(halves[i]), "\(i)")
      }
      XCTAssertEqual(int8s.intTensor?.storage[i], Int64(Int8(bitPattern: bytes[i])), "\(i)")
    }
    XCTAssertEqual(int8s.intTensor?.storage[1000], 3)
  }

  func testRawRangeOutsideTheFileIsAnError() {
    let file = ONNXFile(bytes: [1, 2, 3, 4])
    let tensor = ONNXTensor(name: "w", dataType: 1, dims: [1], payload: .raw(2..<6))
    guard case .badTensor(name: "w", _)? = importError(try file.value(of: tensor)) else {
      return XCTFail("expected badTensor")
    }
  }

  func testParseTensorProtoGivesTheTensorAndItsValue() throws {
    var raw: [UInt8] = []
    for v: Float in [0.5, -1] { withUnsafeBytes(of: v) { raw += $0 } }
    let bytes = Wire().varint(1, 1).varint(1, 2).varint(2, 1).string(8, "input_0").data(9, raw)
      .bytes
    let (tensor, value) = try parseTensorProto(bytes)
    XCTAssertEqual(tensor.name, "input_0")
    XCTAssertEqual(tensor.dims, [1, 2])
    guard case .bytes(let kept) = tensor.payload else { return XCTFail("payload not in memory") }
    XCTAssertEqual(kept, raw)
    XCTAssertEqual(value, .float(Tensor(shape: [1, 2], storage: [0.5, -1])))
    XCTAssertNotNil(importError(try parseTensorProto(Array(bytes.dropLast()))))
  }

  /// float16 to Float by the formula: (-1)^s * 2^(e-15) * (1 + f/1024), subnormals 2^-14 * f/1024.
  private func floatFromHalfReference(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 == 0 ? 1 : -1
    let exponent = Int(bits >> 10 & 0x1f)
    let fraction = Float(bits & 0x3ff) / 1024
    if exponent == 0 { return sign * Float(pow(2.0, -14.0)) * fraction }
    return sign * Float(pow(2.0, Double(exponent - 15))) * (1 + fraction)
  }

  private func value(_ tensor: Wire) throws -> Value {
    let (file, parsed) = try parseInitializer(tensor)
    return try file.value(of: parsed)
  }
}
