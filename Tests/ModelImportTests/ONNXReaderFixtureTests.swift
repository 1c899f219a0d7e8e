// The reader against bytes written by the `onnx` package itself (Fixtures/reader-cases.onnx,
// made by Tests/Fixtures/generate/make_reader_fixture.py): every data type, typed fields and
// raw_data, every attribute type.
import Engine
import ModelImport
import Network
import XCTest

final class ONNXReaderFixtureTests: XCTestCase {
  private var file: ONNXFile!
  private var model: ONNXModel!

  override func setUpWithError() throws {
    file = try ONNXFile.open(fixturePath("reader-cases.onnx"))
    model = try file.parseModel()
  }

  func testModelHeaderAndGraph() {
    XCTAssertEqual(model.irVersion, 8)
    XCTAssertEqual(model.producerName, "make_reader_fixture.py")
    XCTAssertEqual(model.opsetImports, ["": 17, "test.domain": 1])
    XCTAssertEqual(model.graph.name, "reader_cases")
    XCTAssertEqual(model.graph.nodes.map(\.opType), ["Custom", "Relu"])
    XCTAssertEqual(model.graph.inputs.map(\.name), ["x"])
    XCTAssertEqual(model.graph.inputs[0].elementType, 1)
    XCTAssertEqual(model.graph.inputs[0].shape, [nil, 3, nil, 5])
    XCTAssertEqual(model.graph.outputs[0].name, "z")
    XCTAssertNil(model.graph.outputs[0].shape)
    XCTAssertEqual(model.graph.valueInfo.map(\.name), ["y"])
    XCTAssertEqual(model.graph.valueInfo[0].elementType, 7)
    XCTAssertEqual(model.graph.valueInfo[0].shape, [2])
  }

  func testNodeAndEveryAttributeType() throws {
    let node = model.graph.nodes[0]
    XCTAssertEqual(node.name, "all_attributes")
    XCTAssertEqual(node.domain, "test.domain")
    XCTAssertEqual(node.inputs, ["x", "typed_float"])
    XCTAssertEqual(node.outputs, ["y"])
    let a = node.attributes
    XCTAssertEqual(a.count, 9)
    guard case .float(let f)? = a["f"], case .int(let i)? = a["i"], case .string(let s)? = a["s"],
      case .tensor(let t)? = a["t"], case .graph? = a["g"], case .floats(let fs)? = a["floats"],
      case .ints(let ints)? = a["ints"], case .strings(let ss)? = a["strings"],
      case .tensors(let ts)? = a["tensors"]
    else { return XCTFail("attribute kinds: \(a)") }
    XCTAssertEqual(f, 0.5)
    XCTAssertEqual(i, -7)
    XCTAssertEqual(s, "héllo")
    XCTAssertEqual(try file.value(of: t), .int64(IntTensor(shape: [2], storage: [4, 5])))
    XCTAssertEqual(fs, [1, 2.5])
    XCTAssertEqual(ints, [-1, 0, 1 << 40])
    XCTAssertEqual(ss, ["a", "bc"])
    XCTAssertEqual(ts.map(\.name), ["t0", "t1"])
    XCTAssertEqual(try file.value(of: ts[0]), .float(Tensor(shape: [1], storage: [3])))
    XCTAssertEqual(try file.value(of: ts[1]), .int64(IntTensor(shape: [2], storage: [8, 9])))
  }

  func testEveryDataTypeFromTypedFieldsAndRawData() throws {
    let floats: [Float] = [1.5, -2.25, 0, 65504]
    let ints: [Int64] = [1, -2, 3, 100]
    let unsigned: [Int64] = [1, 2, 3, 200]
    let expected: [String: Value] = [
      "float": .float(Tensor(shape: [2, 2], storage: floats)),
      "double": .float(Tensor(shape: [2, 2], storage: floats)),
      "float16": .float(Tensor(shape: [2, 2], storage: floats)),
      "int8": .int64(IntTensor(shape: [2, 2], storage: ints)),
      "int16": .int64(IntTensor(shape: [2, 2], storage: ints)),
      "int32": .int64(IntTensor(shape: [2, 2], storage: ints)),
      "int64": .int64(IntTensor(shape: [2, 2], storage: ints)),
      "uint8": .int64(IntTensor(shape: [2, 2], storage: unsigned)),
      "uint16": .int64(IntTensor(shape: [2, 2], storage: unsigned)),
      "uint32": .int64(IntTensor(shape: [2, 2], storage: unsigned)),
      "uint64": .int64(IntTensor(shape: [2, 2], storage: unsigned)),
      "bool": .int64(IntTensor(shape: [2, 2], storage: [1, 0, 1, 1])),
    ]
    let tensors = Dictionary(uniqueKeysWithValues: model.graph.initializers.map { ($0.name, $0) })
    for (suffix, value) in expected {
      for prefix in ["typed_", "raw_"] {
        let tensor = try XCTUnwrap(tensors[prefix + suffix], prefix + suffix)
        XCTAssertEqual(try file.value(of: tensor), value, prefix + suffix)
      }
      guard case .raw = tensors["raw_" + suffix]?.payload else { return XCTFail("raw_\(suffix)") }
    }
    // onnx rounds to nearest when it makes bfloat16 (65504 -> 65536); the raw bytes were cut.
    XCTAssertEqual(
      try file.value(of: tensors["typed_bfloat16"]!),
      .float(Tensor(shape: [2, 2], storage: [1.5, -2.25, 0, 65536])))
    XCTAssertEqual(
      try file.value(of: tensors["raw_bfloat16"]!),
      .float(Tensor(shape: [2, 2], storage: [1.5, -2.25, 0, 65280])))
    XCTAssertEqual(try file.value(of: tensors["scalar"]!), .float(Tensor(scalar: 7)))
    XCTAssertEqual(
      try file.value(of: tensors["empty"]!), .float(Tensor(shape: [0, 3], storage: [])))
  }

  func testWriterRoundTripOfTheFixture() throws {
    let bytes = try ONNXWriter.encode(model, source: file)
    let copy = ONNXFile(bytes: bytes)
    let again = try copy.parseModel()
    XCTAssertEqual(again.opsetImports, model.opsetImports)
    XCTAssertEqual(again.graph.nodes.map(\.opType), model.graph.nodes.map(\.opType))
    XCTAssertEqual(again.graph.inputs[0].shape, model.graph.inputs[0].shape)
    XCTAssertEqual(again.graph.initializers.map(\.name), model.graph.initializers.map(\.name))
    for (a, b) in zip(model.graph.initializers, again.graph.initializers) {
      XCTAssertEqual(try file.value(of: a), try copy.value(of: b), a.name)
    }
  }
}
