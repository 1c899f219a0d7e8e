// Keras layer names -> tensors of tf2onnx exports: on the node names of a real export of
// Xception (Fixtures/tf2onnx/xception_seed1_names.json, from tf2onnx_export.py) and odd cases.
import Engine
import Foundation
import KerasImport
import Network
import XCTest

final class KerasLayerNamesTests: XCTestCase {
  /// A network with the given nodes (op types are irrelevant to names: all Identity); every
  /// value read but never defined, except the input, becomes a constant.
  private func skeleton(
    _ nodes: [(name: String, inputs: [String], outputs: [String])], input: String = "input_1",
    outputs: [String]
  ) throws -> Network {
    let defined = Set(nodes.flatMap(\.outputs)).union([input])
    let constants = Set(nodes.flatMap(\.inputs)).subtracting(defined).filter { !$0.isEmpty }
    return try Network(
      name: "skeleton", inputs: [TensorSpec(name: input, shape: [nil, 8, 8, 3])],
      outputs: outputs.map { TensorSpec(name: $0, shape: nil) },
      nodes: nodes.map {
        Node(name: $0.name, op: IdentityOperator(), inputs: $0.inputs, outputs: $0.outputs)
      },
      constants: Dictionary(
        uniqueKeysWithValues: constants.map { ($0, Value.float(Tensor(zeros: [1]))) }))
  }

  /// The real export's graph, as its node table lists it.
  private func xceptionExport() throws -> Network {
    let url = Bundle.module.resourceURL!
      .appendingPathComponent("Fixtures/tf2onnx/xception_seed1_names.json")
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
    let rows = try XCTUnwrap(object?["nodes"] as? [[String: Any]])
    let nodes = rows.map { row in
      (name: row["name"] as? String ?? "", inputs: row["inputs"] as? [String] ?? [],
       outputs: row["outputs"] as? [String] ?? [])
    }
    XCTAssertEqual(nodes.count, 165)
    return try skeleton(nodes, outputs: ["predictions"])
  }

  func testXceptionExportResolvesEveryKerasLayer() throws {
    let aliases = KerasLayerNames.aliases(in: try xceptionExport())
    XCTAssertEqual(aliases["block14_sepconv2_act"], "xception/block14_sepconv2_act/Relu:0")
    XCTAssertEqual(aliases["block2_sepconv2_bn"], "xception/block2_sepconv2_bn/FusedBatchNormV3:0")
    XCTAssertEqual(aliases["block6_sepconv3_act"], "xception/block6_sepconv3_act/Relu:0")
    XCTAssertEqual(aliases["block1_conv1_act"], "xception/block1_conv1_act/Relu:0")
    // The graph output is named after the layer; the layer's MatMul and BiasAdd stay inside.
    XCTAssertEqual(aliases["predictions"], "predictions")
    // Several tensors: the pointwise result, not the depthwise one; the Squeeze after the Mean.
    XCTAssertEqual(aliases["block2_sepconv1"], "xception/block2_sepconv1/separable_conv2d:0")
    XCTAssertEqual(aliases["avg_pool"], "xception/avg_pool/Mean_Squeeze__695:0")
    XCTAssertEqual(aliases["add_11"], "xception/add_11/add:0")
    XCTAssertEqual(aliases["block13_pool"], "xception/block13_pool/MaxPool:0")
    // BatchNormalization folded into the Conv before it: the tensor is the BN layer's, and the
    // input Transpose filed under block1_conv1 is not that layer's output.
    XCTAssertEqual(aliases["block1_conv1_bn"], "xception/block1_conv1_bn/FusedBatchNormV3:0")
    XCTAssertEqual(
      aliases["batch_normalization_3"], "xception/batch_normalization_3/FusedBatchNormV3:0")
    let folded: Set = ["block1_conv1", "block1_conv2", "conv2d", "conv2d_1", "conv2d_2", "conv2d_3"]
    for layer in folded { XCTAssertNil(aliases[layer], layer) }

    // Every other Keras layer resolves.
    let keras = Set(try KerasApplications.xception().layers.map(\.name)).subtracting(["input_1"])
    XCTAssertEqual(Set(aliases.keys), keras.subtracting(folded))
    XCTAssertEqual(aliases.count, 127)  // 134 Keras layers, less the input and 6 folded
  }

  func testResolvedTensorsExistAndPassThroughChannelsFirst() throws {
    let network = try xceptionExport()
    let aliases = KerasLayerNames.aliases(in: network)
    let values = Set(network.intermediateNames)
    for (layer, tensor) in aliases {
      XCTAssertTrue(values.contains(tensor), "\(layer) -> \(tensor)")
    }
    // The NCHW wrapper adds a node outside the model's scope: the aliases do not change.
    XCTAssertEqual(KerasLayerNames.aliases(in: try NHWCInput.channelsFirst(network)), aliases)
  }

  func testScopeOfASavedModelExportHasTwoComponents() throws {
    let s = "StatefulPartitionedCall/model"
    let network = try skeleton(
      [
        ("\(s)/conv/Conv2D", ["input_1", "w"], ["\(s)/conv/Conv2D:0"]),
        ("\(s)/conv/Relu", ["\(s)/conv/Conv2D:0"], ["\(s)/conv/Relu:0"]),
        ("\(s)/dense/MatMul", ["\(s)/conv/Relu:0", "m"], ["\(s)/dense/MatMul:0"]),
        ("\(s)/dense/Softmax", ["\(s)/dense/MatMul:0"], ["Identity:0"]),
      ], outputs: ["Identity:0"])
    XCTAssertEqual(
      KerasLayerNames.aliases(in: network),
      ["conv": "\(s)/conv/Relu:0", "dense": "Identity:0"])
  }

  func testASingleLayerKeepsItsName() throws {
    // Every tensor shares `model/dense`: the scope must still leave the layer.
    let network = try skeleton(
      [
        ("model/dense/MatMul", ["input_1", "w"], ["model/dense/MatMul:0"]),
        ("model/dense/BiasAdd", ["model/dense/MatMul:0", "b"], ["model/dense/BiasAdd:0"]),
      ], outputs: ["model/dense/BiasAdd:0"])
    XCTAssertEqual(KerasLayerNames.aliases(in: network), ["dense": "model/dense/BiasAdd:0"])
  }

  func testUnscopedNamesAndOddSuffixes() throws {
    let network = try skeleton(
      [
        ("a/Conv2D", ["input_1"], ["a/Conv2D:0"]),
        ("b/Relu", ["a/Conv2D:0"], ["b/Relu"]),  // no `:k`
        ("c/Split", ["b/Relu"], ["c/Split:0", "c/Split:1"]),  // both leave the layer: the last
        ("d/Add", ["c/Split:0", "c/Split:1"], ["d/Add:x"]),  // `:x` is part of the op name
        ("plain", ["d/Add:x"], ["out"]),  // no `/` anywhere: no layer
      ], outputs: ["out"])
    XCTAssertEqual(
      KerasLayerNames.aliases(in: network),
      ["a": "a/Conv2D:0", "b": "b/Relu", "c": "c/Split:1", "d": "d/Add:x"])
  }

  func testOnlyTensorsLeavingTheLayerCount() throws {
    let network = try skeleton(
      [
        ("m/x/Mul", ["input_1"], ["m/x/Mul:0"]),  // read only inside x
        ("m/x/Add", ["m/x/Mul:0"], ["m/x/Add:0"]),  // read by y: x's output
        ("m/x/Extra", ["m/x/Mul:0"], ["m/x/Extra__7:0"]),  // read by nothing: a dead end
        ("m/y/Relu", ["m/x/Add:0"], ["m/y/Relu:0"]),
        ("m/z/Relu", ["m/y/Relu:0"], ["m/z/Relu:0"]),  // read by nothing, not an output
      ], outputs: ["m/y/Relu:0"])
    XCTAssertEqual(
      KerasLayerNames.aliases(in: network), ["x": "m/x/Add:0", "y": "m/y/Relu:0"])
  }

  func testNamesWithoutPathsGiveNoAliases() throws {
    let network = try skeleton(
      [("conv", ["input_1"], ["conv_out"]), ("relu", ["conv_out"], ["relu_out"])],
      outputs: ["relu_out"])
    XCTAssertEqual(KerasLayerNames.aliases(in: network), [:])
  }
}
