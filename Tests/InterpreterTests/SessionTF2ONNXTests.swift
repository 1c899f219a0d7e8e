// An ONNX graph shaped like a tf2onnx export of a Keras model: NHWC input, scoped names.
import Foundation
import Interpreter
import ModelImport
import XCTest

final class SessionTF2ONNXTests: XCTestCase {
  /// input_1 [N, 16, 16, 3] -> Transpose -> block1_conv1 (3x3, Relu) -> block2_conv (1x1)
  /// -> block2_act (Relu) -> avg_pool -> flatten -> predictions (Gemm, Softmax), with the
  /// tensor names tf2onnx gives (`model/<layer>/<op>:0`) and the input transpose filed under
  /// the first convolution, as tf2onnx files it.
  private func writeModel(to url: URL) throws {
    func floats(_ count: Int, _ scale: Float) -> ONNXTensor.Payload {
      .floats((0..<count).map { Float(($0 * 37) % 17 - 8) * scale })
    }
    let s = "model/"
    let nodes = [
      ONNXNode(
        name: s + "block1_conv1/Conv2D__6", opType: "Transpose", inputs: ["input_1"],
        outputs: [s + "block1_conv1/Conv2D__6:0"], attributes: ["perm": .ints([0, 3, 1, 2])]),
      ONNXNode(
        name: s + "block1_conv1/BiasAdd", opType: "Conv",
        inputs: [s + "block1_conv1/Conv2D__6:0", "w1", "b1"], outputs: [s + "block1_conv1/BiasAdd:0"],
        attributes: ["pads": .ints([1, 1, 1, 1]), "kernel_shape": .ints([3, 3])]),
      ONNXNode(
        name: s + "block1_conv1/Relu", opType: "Relu", inputs: [s + "block1_conv1/BiasAdd:0"],
        outputs: [s + "block1_conv1/Relu:0"]),
      ONNXNode(
        name: s + "block2_conv/BiasAdd", opType: "Conv",
        inputs: [s + "block1_conv1/Relu:0", "w2", "b2"], outputs: [s + "block2_conv/BiasAdd:0"]),
      ONNXNode(
        name: s + "block2_act/Relu", opType: "Relu", inputs: [s + "block2_conv/BiasAdd:0"],
        outputs: [s + "block2_act/Relu:0"]),
      ONNXNode(
        name: s + "avg_pool/Mean", opType: "GlobalAveragePool", inputs: [s + "block2_act/Relu:0"],
        outputs: [s + "avg_pool/Mean:0"]),
      ONNXNode(
        name: s + "flatten/Reshape", opType: "Flatten", inputs: [s + "avg_pool/Mean:0"],
        outputs: [s + "flatten/Reshape:0"]),
      ONNXNode(
        name: s + "predictions/BiasAdd", opType: "Gemm", inputs: [s + "flatten/Reshape:0", "w3", "b3"],
        outputs: [s + "predictions/BiasAdd:0"]),
      ONNXNode(
        name: s + "predictions/Softmax", opType: "Softmax", inputs: [s + "predictions/BiasAdd:0"],
        outputs: ["predictions"], attributes: ["axis": .int(1)]),
    ]
    let graph = ONNXGraph(
      name: "tf2onnx-style", nodes: nodes,
      initializers: [
        ONNXTensor(name: "w1", dataType: 1, dims: [4, 3, 3, 3], payload: floats(108, 0.05)),
        ONNXTensor(name: "b1", dataType: 1, dims: [4], payload: floats(4, 0.01)),
        ONNXTensor(name: "w2", dataType: 1, dims: [4, 4, 1, 1], payload: floats(16, 0.1)),
        ONNXTensor(name: "b2", dataType: 1, dims: [4], payload: floats(4, 0.01)),
        ONNXTensor(name: "w3", dataType: 1, dims: [4, 3], payload: floats(12, 0.2)),
        ONNXTensor(name: "b3", dataType: 1, dims: [3], payload: floats(3, 0.01)),
      ],
      inputs: [ONNXValueInfo(name: "input_1", elementType: 1, shape: [nil, 16, 16, 3])],
      outputs: [ONNXValueInfo(name: "predictions", elementType: 1, shape: [nil, 3])])
    let model = ONNXModel(
      irVersion: 8, producerName: "tf2onnx", opsetImports: ["": 13], graph: graph)
    try Data(try ONNXWriter.encode(model)).write(to: url)
  }

  func testKerasNamesResolveListAndCaption() throws {
    let file = try temporaryDirectory(self).appendingPathComponent("exported.onnx")
    try writeModel(to: file)
    let session = Session()
    let load = session.run("load \"\(file.path)\" preprocess=tf\nimage chelsea")
    XCTAssertOK(load)
    XCTAssertTrue(load.sink.stdout.contains("input 16x16"), load.sink.stdout)

    let layers = session.run("layers filter=block")
    XCTAssertOK(layers)
    let table = try XCTUnwrap(layers.sink.results.first?.plainText)
    XCTAssertTrue(table.hasPrefix("keras name"), table)
    XCTAssertTrue(table.contains("block1_conv1  model/block1_conv1/Relu:0"), table)
    XCTAssertFalse(table.contains("block1_conv1  model/block1_conv1/Conv2D__6:0"), table)

    // An exact Keras name, and a block prefix meaning its last 4-D tensor.
    let exact = session.run("gradcam layer=block1_conv1 class=0")
    XCTAssertOK(exact)
    XCTAssertTrue(
      exact.sink.pictures.last?.plainText?.contains("| layer block1_conv1 |") ?? false,
      exact.sink.pictures.last?.plainText ?? "")
    let prefix = session.run("gradcam layer=block2 class=0")
    XCTAssertOK(prefix)
    XCTAssertTrue(
      prefix.sink.pictures.last?.plainText?.contains("| layer block2_act |") ?? false,
      prefix.sink.pictures.last?.plainText ?? "")
    // The scoped graph name still works too.
    XCTAssertOK(session.run("activations layer=model/block2_act/Relu:0 channels=2"))
  }
}
