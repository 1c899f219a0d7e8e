// The protobuf wire format as the ONNX reader sees it, from hand-made byte strings.
import Engine
import ModelImport
import Network
import XCTest

final class ONNXReaderWireTests: XCTestCase {
  func testUnknownFieldsOfEveryWireTypeAreSkipped() throws {
    let unknowns = Wire().varint(99, -5).fixed64(98, 0xdead_beef).fixed32(97, 7)
      .string(96, "ignored").message(95, Wire().varint(1, 1))
    let node = Wire().string(1, "x").raw(unknowns.bytes).string(2, "y").string(4, "Relu")
    let graph = Wire().raw(unknowns.bytes).message(1, node).string(2, "g")
      .message(11, Wire().string(1, "x").raw(unknowns.bytes))
    let bytes = Wire().raw(unknowns.bytes).varint(1, 9).message(7, graph)
      .message(8, Wire().varint(2, 13).raw(unknowns.bytes)).raw(unknowns.bytes).bytes
    let model = try ONNXFile(bytes: bytes).parseModel()
    XCTAssertEqual(model.irVersion, 9)
    XCTAssertEqual(model.opsetImports, ["": 13])
    XCTAssertEqual(model.graph.name, "g")
    XCTAssertEqual(model.graph.nodes.map(\.opType), ["Relu"])
    XCTAssertEqual(model.graph.nodes[0].inputs, ["x"])
    XCTAssertEqual(model.graph.nodes[0].outputs, ["y"])
    XCTAssertEqual(model.graph.inputs.map(\.name), ["x"])
  }

  func testGroupsAreRejectedAtTheirOffset() {
    // ir_version takes bytes 0-1; the group's start tag is at byte 2.
    let start = Wire().varint(1, 9).key(50, 3).key(50, 4).bytes
    XCTAssertEqual(errorOffset(start), .malformed(2))
    let end = Wire().varint(1, 9).key(50, 4).bytes
    XCTAssertEqual(errorOffset(end), .malformed(2))
  }

  func testReservedWireTypesAreRejected() {
    XCTAssertEqual(errorOffset(Wire().varint(1, 9).key(3, 6).bytes), .malformed(2))
    XCTAssertEqual(errorOffset(Wire().key(3, 7).bytes), .malformed(0))
  }

  func testErrorsInNestedMessagesNameTheAbsoluteOffset() {
    // model: ir (0-1), graph key+length (2-3), initializer key+length (4-5), tensor from 6:
    // data_type (6-7), then a group tag at 8.
    let tensor = Wire().varint(2, 1).key(50, 3)
    XCTAssertEqual(
      errorOffset(Wire().varint(1, 9).message(7, Wire().message(5, tensor)).bytes),
      .malformed(8))
    // The same tensor with a length running past its message is truncated at that field.
    let long = Wire().varint(2, 1).raw([0x4a, 0x05, 1, 2])  // raw_data of 5 bytes, 2 present
    XCTAssertEqual(
      errorOffset(Wire().varint(1, 9).message(7, Wire().message(5, long)).bytes),
      .truncated(8))
  }

  func testLengthLargerThanTheRestIsTruncated() {
    let bytes = Wire().varint(1, 9).raw([0x3a] + Wire.varintBytes(1 << 40)).bytes
    XCTAssertEqual(errorOffset(bytes), .truncated(2))
    XCTAssertEqual(errorOffset([0x08]), .truncated(0))  // ends inside a varint
    XCTAssertEqual(errorOffset([0x08, 0x80, 0x80]), .truncated(0))
    XCTAssertEqual(errorOffset(Wire().varint(1, 9).key(50, 5).raw([1, 2]).bytes), .truncated(2))
    XCTAssertEqual(
      errorOffset(Wire().varint(1, 9).key(50, 1).raw([1, 2, 3, 4, 5, 6, 7]).bytes),
      .truncated(2))
  }

  func testOverlongVarintsAndBadKeysAreMalformed() {
    let eleven = [UInt8](repeating: 0xff, count: 10) + [0x01]
    XCTAssertEqual(errorOffset([0x08] + eleven), .malformed(0))
    XCTAssertEqual(errorOffset([0x08] + [UInt8](repeating: 0xff, count: 9) + [0x02]), .malformed(0))
    XCTAssertEqual(errorOffset([0x00, 0x01]), .malformed(0))  // field number 0
    XCTAssertEqual(errorOffset(Wire.varintBytes(1 << 35) + [0]), .malformed(0))  // key > 32 bits
  }

  func testKnownFieldWithTheWrongWireTypeIsMalformed() {
    XCTAssertEqual(errorOffset(Wire().string(1, "nine").bytes), .malformed(0))
    let graph = Wire().message(1, Wire().varint(4, 3))  // op_type as a varint
    XCTAssertEqual(errorOffset(Wire().varint(1, 9).message(7, graph).bytes), .malformed(6))
    let floats = Wire().varint(2, 1).fixed64(4, 0)  // float_data as fixed64
    XCTAssertEqual(errorOffset(modelBytes(initializer: floats)), .malformed(8))
  }

  func testModelWithoutGraphOrOpsetIsRejected() {
    XCTAssertEqual(errorOffset([]), .malformed(0))
    XCTAssertEqual(errorOffset(Wire().varint(1, 9).bytes), .malformed(2))
    XCTAssertEqual(errorOffset(Wire().varint(1, 9).message(7, Wire()).bytes), .malformed(4))
  }

  func testTypedFieldsAcceptPackedAndUnpackedEncodings() throws {
    // dims unpacked then packed (a writer may mix them), float_data both ways.
    let floats = Wire().varint(1, 2).packedVarints(1, [3]).varint(2, 1).string(8, "f")
      .float(4, 1.5).packedFloats(4, [2, 3]).float(4, -4).packedFloats(4, [5, 6])
    let (file, tensor) = try parseInitializer(floats)
    XCTAssertEqual(tensor.dims, [2, 3])
    XCTAssertEqual(
      try file.value(of: tensor), .float(Tensor(shape: [2, 3], storage: [1.5, 2, 3, -4, 5, 6])))

    let int64s = Wire().packedVarints(1, [3]).varint(2, 7).packedVarints(7, [-1, 1 << 40]).varint(
      7, -3)
    XCTAssertEqual(try value(int64s), .int64(IntTensor(shape: [3], storage: [-1, 1 << 40, -3])))
    // int32 -2 as onnx encodes it: sign-extended to 10 bytes.
    let int32s = Wire().varint(1, 3).varint(2, 6).varint(5, -2).packedVarints(
      5, [7, Int64(Int32.min)])
    XCTAssertEqual(
      try value(int32s), .int64(IntTensor(shape: [3], storage: [-2, 7, Int64(Int32.min)])))
    var doubleBytes: [UInt8] = []
    for v in [0.5, -8.0] { withUnsafeBytes(of: v.bitPattern.littleEndian) { doubleBytes += $0 } }
    let doubles = Wire().varint(1, 3).varint(2, 11).fixed64(10, (2.5).bitPattern).data(
      10, doubleBytes)
    XCTAssertEqual(try value(doubles), .float(Tensor(shape: [3], storage: [2.5, 0.5, -8])))
    let uint64s = Wire().varint(1, 2).varint(2, 13).varint(11, 5).packedVarints(11, [Int64.max])
    XCTAssertEqual(try value(uint64s), .int64(IntTensor(shape: [2], storage: [5, Int64.max])))
  }

  func testAttributeListsAcceptPackedAndUnpackedEncodings() throws {
    let ints = Wire().string(1, "ints").varint(20, 7).varint(8, 1).packedVarints(8, [2, -3]).varint(
      8, 4)
    let floats = Wire().string(1, "floats").varint(20, 6).packedFloats(7, [1, 2]).float(7, 3)
    let node = Wire().string(1, "x").string(2, "y").string(4, "Op").message(5, ints).message(
      5, floats)
    let model = try ONNXFile(bytes: modelBytes(graph: Wire().message(1, node))).parseModel()
    let attributes = model.graph.nodes[0].attributes
    guard case .ints(let i)? = attributes["ints"], case .floats(let f)? = attributes["floats"]
    else {
      return XCTFail("wrong attribute kinds: \(attributes)")
    }
    XCTAssertEqual(i, [1, 2, -3, 4])
    XCTAssertEqual(f, [1, 2, 3])
  }

  func testAttributeTypeIsInferredWhenAbsent() throws {
    // IR < 3 files may omit AttributeProto.type.
    let node = Wire().string(4, "Op").message(5, Wire().string(1, "a").float(2, 0.25))
      .message(5, Wire().string(1, "b").varint(3, -9)).message(
        5, Wire().string(1, "c").string(4, "s")
      )
      .message(5, Wire().string(1, "d").varint(8, 1).varint(8, 2))
      .message(5, Wire().string(1, "e").varint(20, 99))
    let attributes = try ONNXFile(bytes: modelBytes(graph: Wire().message(1, node))).parseModel()
      .graph.nodes[0].attributes
    XCTAssertEqual(describe(attributes["a"]), "float(0.25)")
    XCTAssertEqual(describe(attributes["b"]), "int(-9)")
    XCTAssertEqual(describe(attributes["c"]), "string(\"s\")")
    XCTAssertEqual(describe(attributes["d"]), "ints([1, 2])")
    XCTAssertEqual(describe(attributes["e"]), "unsupported(type: 99)")
    // A declared type whose field is missing names the attribute's offset.
    let bad = Wire().string(4, "Op").message(5, Wire().string(1, "t").varint(20, 4))
    // The error names the attribute field's tag (byte 10), not its content.
    XCTAssertEqual(errorOffset(modelBytes(graph: Wire().message(1, bad))), .malformed(10))
  }

  func testTensorWithSeveralDataFieldsOrBadPackingIsMalformed() {
    let both = Wire().varint(1, 1).varint(2, 1).float(4, 1).data(9, [0, 0, 128, 63])
    // The initializer field starts at byte 4.
    XCTAssertEqual(errorOffset(modelBytes(initializer: both)), .malformed(4))
    let ragged = Wire().varint(1, 1).varint(2, 1).data(4, [0, 0, 128])
    XCTAssertEqual(errorOffset(modelBytes(initializer: ragged)), .malformed(10))
  }

  func testValueInfoShapes() throws {
    func dim(_ inner: Wire) -> Wire { Wire().message(1, inner) }
    let shape = Wire().raw(dim(Wire().string(2, "N")).bytes).raw(dim(Wire().varint(1, 3)).bytes)
      .raw(dim(Wire()).bytes).raw(dim(Wire().varint(1, -1)).bytes)
    let typed = Wire().message(1, Wire().varint(1, 7).message(2, shape))
    let graph = Wire().message(11, Wire().string(1, "x").message(2, typed))
      .message(12, Wire().string(1, "y"))
      .message(12, Wire().string(1, "seq").message(2, Wire().message(4, Wire())))
      .message(13, Wire().string(1, "s").message(2, Wire().message(1, Wire().message(2, Wire()))))
    let model = try ONNXFile(bytes: modelBytes(graph: graph)).parseModel()
    XCTAssertEqual(model.graph.inputs[0].elementType, 7)
    XCTAssertEqual(model.graph.inputs[0].shape, [nil, 3, nil, nil])
    XCTAssertNil(model.graph.outputs[0].shape)
    XCTAssertEqual(model.graph.outputs[1].elementType, 0)
    XCTAssertEqual(model.graph.valueInfo[0].shape, [])  // a scalar: shape given, no dims
  }

  // MARK: - Helpers

  enum Failure: Equatable {
    case malformed(Int)
    case truncated(Int)
    case other(String)
  }

  /// Where parsing `bytes` fails (fails the test when it succeeds).
  private func errorOffset(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line)
    -> Failure?
  {
    switch importError(try ONNXFile(bytes: bytes).parseModel(), file: file, line: line) {
    case .malformed(let offset, _)?: return .malformed(offset)
    case .truncated(let offset, _)?: return .truncated(offset)
    case let other?: return .other("\(other)")
    case nil: return nil
    }
  }

  private func value(_ tensor: Wire) throws -> Value {
    let (file, parsed) = try parseInitializer(tensor)
    return try file.value(of: parsed)
  }

  private func describe(_ attribute: ONNXAttribute?) -> String {
    attribute.map { "\($0)" } ?? "nil"
  }
}
