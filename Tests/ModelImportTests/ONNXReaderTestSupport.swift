// Helpers for the ONNX reader tests: a byte-level protobuf encoder independent of ONNXWriter,
// small models, and paths to fixtures.
import Engine
import Foundation
import ModelImport
import Network
import XCTest

/// Protobuf bytes written by hand, field by field (the tests' own encoder).
struct Wire {
  var bytes: [UInt8] = []

  static func varintBytes(_ value: UInt64) -> [UInt8] {
    var out: [UInt8] = []
    var v = value
    while v >= 0x80 {
      out.append(UInt8(v & 0x7f) | 0x80)
      v >>= 7
    }
    out.append(UInt8(v))
    return out
  }

  /// Appends a field key.
  func key(_ field: Int, _ wireType: Int) -> Wire {
    var copy = self
    copy.bytes += Self.varintBytes(UInt64(field << 3 | wireType))
    return copy
  }
  func varint(_ field: Int, _ value: Int64) -> Wire {
    var copy = key(field, 0)
    copy.bytes += Self.varintBytes(UInt64(bitPattern: value))
    return copy
  }
  func fixed32(_ field: Int, _ bits: UInt32) -> Wire {
    var copy = key(field, 5)
    withUnsafeBytes(of: bits.littleEndian) { copy.bytes += $0 }
    return copy
  }
  func float(_ field: Int, _ value: Float) -> Wire { fixed32(field, value.bitPattern) }
  func fixed64(_ field: Int, _ bits: UInt64) -> Wire {
    var copy = key(field, 1)
    withUnsafeBytes(of: bits.littleEndian) { copy.bytes += $0 }
    return copy
  }
  func data(_ field: Int, _ payload: [UInt8]) -> Wire {
    var copy = key(field, 2)
    copy.bytes += Self.varintBytes(UInt64(payload.count)) + payload
    return copy
  }
  func string(_ field: Int, _ text: String) -> Wire { data(field, Array(text.utf8)) }
  func message(_ field: Int, _ inner: Wire) -> Wire { data(field, inner.bytes) }
  func packedVarints(_ field: Int, _ values: [Int64]) -> Wire {
    data(field, values.flatMap { Self.varintBytes(UInt64(bitPattern: $0)) })
  }
  func packedFloats(_ field: Int, _ values: [Float]) -> Wire {
    var payload: [UInt8] = []
    for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { payload += $0 } }
    return data(field, payload)
  }
  func raw(_ more: [UInt8]) -> Wire { Wire(bytes: bytes + more) }
}

/// A ModelProto around `graph` (opset 18, ir 9).
func modelBytes(graph: Wire) -> [UInt8] {
  Wire().varint(1, 9).message(7, graph).message(8, Wire().varint(2, 18)).bytes
}

/// A ModelProto whose graph holds one initializer given as TensorProto bytes.
func modelBytes(initializer: Wire) -> [UInt8] {
  modelBytes(graph: Wire().message(5, initializer))
}

/// Parses a model made of one initializer and returns that tensor.
func parseInitializer(_ tensor: Wire, file: StaticString = #filePath, line: UInt = #line) throws
  -> (ONNXFile, ONNXTensor)
{
  let onnx = ONNXFile(bytes: modelBytes(initializer: tensor))
  let model = try onnx.parseModel()
  XCTAssertEqual(model.graph.initializers.count, 1, file: file, line: line)
  return (onnx, model.graph.initializers[0])
}

/// The error a throwing expression raised, as a ModelImportError (fails the test otherwise).
func importError<T>(
  _ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line
) -> ModelImportError? {
  do {
    _ = try body()
    XCTFail("expected an error", file: file, line: line)
  } catch let error as ModelImportError {
    return error
  } catch {
    XCTFail("unexpected error type: \(error)", file: file, line: line)
  }
  return nil
}

/// The package root (where Package.swift is).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// A file of this target's Fixtures folder.
func fixturePath(_ name: String) -> String {
  packageRoot.appendingPathComponent("Tests/ModelImportTests/Fixtures/\(name)").path
}

/// A small valid model built in Swift: Conv-like node with attributes and three initializers
/// (raw bytes, packed floats, int64s), a symbolic batch input and one output.
func smallModel() -> ONNXModel {
  var weights: [UInt8] = []
  for v in [Float](repeating: 0.25, count: 6) { withUnsafeBytes(of: v) { weights += $0 } }
  let node = ONNXNode(
    name: "conv", opType: "Conv", inputs: ["x", "w", "b"], outputs: ["y"],
    attributes: [
      "kernel_shape": .ints([1, 1]), "alpha": .float(0.5), "mode": .string("same"),
      "group": .int(1), "scales": .floats([1, 2]),
    ])
  let graph = ONNXGraph(
    name: "small", nodes: [node],
    initializers: [
      ONNXTensor(name: "w", dataType: 1, dims: [2, 3, 1, 1], payload: .bytes(weights)),
      ONNXTensor(name: "b", dataType: 1, dims: [2], payload: .floats([1, -1])),
      ONNXTensor(name: "shape", dataType: 7, dims: [2], payload: .int64s([1, -1])),
    ],
    inputs: [ONNXValueInfo(name: "x", elementType: 1, shape: [nil, 3, 4, 4])],
    outputs: [ONNXValueInfo(name: "y", elementType: 1, shape: [nil, 2, 4, 4])])
  return ONNXModel(irVersion: 9, producerName: "tests", opsetImports: ["": 18], graph: graph)
}
