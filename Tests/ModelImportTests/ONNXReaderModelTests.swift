// The real model: EfficientNet-Lite0 (../shared/models, 18.6 MB). Expected numbers come from
// Tests/Fixtures/generate/onnx_model_summary.py (the `onnx` package's reading of the same file).
import Engine
import Foundation
import ModelImport
import Network
import XCTest

final class ONNXReaderModelTests: XCTestCase {
  /// The shared copy (what CI has); the identical copy shipped in ModelZoo otherwise.
  static var modelPath: String {
    let shared = packageRoot.appendingPathComponent("../shared/models/efficientnet-lite0.onnx").path
    if FileManager.default.fileExists(atPath: shared) { return shared }
    return packageRoot.appendingPathComponent("Sources/ModelZoo/Resources/efficientnet-lite0.onnx")
      .path
  }

  func testEfficientNetGraph() throws {
    let model = try ONNXFile.open(Self.modelPath).parseModel()
    XCTAssertEqual(model.irVersion, 10)
    XCTAssertEqual(model.producerName, "efficientnet-lite-pytorch via torch.onnx")
    XCTAssertEqual(model.opsetImports, ["": 18])
    let nodes = model.graph.nodes
    XCTAssertEqual(nodes.count, 94)
    let counts = Dictionary(nodes.map { ($0.opType, 1) }, uniquingKeysWith: +)
    XCTAssertEqual(
      counts, ["Conv": 49, "Clip": 33, "Add": 9, "ReduceMean": 1, "Reshape": 1, "Gemm": 1])
    XCTAssertEqual(model.graph.inputs.map(\.name), ["input"])
    XCTAssertEqual(model.graph.inputs[0].shape, [nil, 3, 224, 224])
    XCTAssertEqual(model.graph.outputs.map(\.name), ["logits"])
    XCTAssertEqual(
      nodes.map(\.name).suffix(5),
      ["top_conv", "top_activation", "avg_pool", "flatten", "predictions"])

    let stem = nodes[0]
    XCTAssertEqual(stem.name, "stem_conv")
    XCTAssertEqual(stem.inputs, ["input", "_conv_stem.weight", "_conv_stem.weight_bias"])
    XCTAssertEqual("\(stem.attributes["pads"]!)", "ints([0, 0, 1, 1])")
    XCTAssertEqual("\(stem.attributes["strides"]!)", "ints([2, 2])")
    XCTAssertEqual("\(stem.attributes["group"]!)", "int(1)")
    XCTAssertEqual("\(stem.attributes["auto_pad"]!)", "string(\"NOTSET\")")
  }

  func testEfficientNetInitializerSums() throws {
    let file = try ONNXFile.open(Self.modelPath)
    let initializers = try file.parseModel().graph.initializers
    XCTAssertEqual(initializers.count, 104)
    var floatCount = 0
    var sum = 0.0
    var absSum = 0.0
    var ints: [String: [Int64]] = [:]
    for tensor in initializers {
      guard case .raw = tensor.payload else { return XCTFail("\(tensor.name) is not raw_data") }
      switch try file.value(of: tensor) {
      case .float(let t):
        floatCount += t.count
        for v in t.storage {
          sum += Double(v)
          absSum += Double(abs(v))
        }
        if tensor.name == "_fc.weight" {
          XCTAssertEqual(t.shape, [1000, 1280])
          XCTAssertEqual(
            t.storage.reduce(0.0) { $0 + Double($1) }, -470.63256730128705, accuracy: 1e-6)
        }
        if tensor.name == "_conv_stem.weight" {
          XCTAssertEqual(t.shape, [32, 3, 3, 3])
          XCTAssertEqual(
            Array(t.storage.prefix(3)),
            [-5.4510498046875, -6.425237655639648, -0.04986404627561569])
        }
      case .int64(let t): ints[tensor.name] = t.storage
      }
    }
    XCTAssertEqual(floatCount, 4_631_002)
    XCTAssertEqual(sum, 9365.192997976195, accuracy: 1e-6)
    XCTAssertEqual(absSum, 422912.121535163, accuracy: 1e-5)
    XCTAssertEqual(ints, ["val_579": [-1, -2], "val_584": [-1, 1280]])
  }

  func testEfficientNetSurvivesAWriterRoundTrip() throws {
    let file = try ONNXFile.open(Self.modelPath)
    let model = try file.parseModel()
    let bytes = try ONNXWriter.encode(model, source: file)
    let copy = ONNXFile(bytes: bytes)
    let again = try copy.parseModel()
    XCTAssertEqual(again.graph.nodes.map(\.name), model.graph.nodes.map(\.name))
    XCTAssertEqual(again.graph.nodes.map(\.inputs), model.graph.nodes.map(\.inputs))
    XCTAssertEqual(
      again.graph.nodes.map { "\($0.attributes.sorted { $0.key < $1.key })" },
      model.graph.nodes.map { "\($0.attributes.sorted { $0.key < $1.key })" })
    for (a, b) in zip(model.graph.initializers, again.graph.initializers) {
      XCTAssertEqual(a.name, b.name)
      XCTAssertEqual(try file.value(of: a), try copy.value(of: b), a.name)
    }
  }
}
