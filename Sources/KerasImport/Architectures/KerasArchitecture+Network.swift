// Turning an architecture and its bound weights into a Glimpse network, layer by layer.
import Engine
public import Network

/// Keras' BatchNormalization default.
let kerasBatchNormEpsilon: Float = 1e-3

extension KerasArchitecture {
  /// The runnable graph with these weights.
  ///
  /// Input `input_1` NCHW `[N, 3, H, W]`. Each Keras layer's output tensor carries the
  /// layer's name (a Conv2D's is post-activation, as in Keras); internal tensors get
  /// suffixed names (`block5_conv3/BiasAdd`, `block2_sepconv1/depthwise`,
  /// `predictions/logits`). Weights are the constants `<layer>/<weight>` in Glimpse layouts.
  /// - Throws: ``KerasModelError`` when the weights do not fit (see `bind`).
  public func network(weights: KerasWeights) throws -> Network {
    let bound = try bind(weights)
    var graph = GraphBuilder()
    for layer in layers {
      try graph.add(layer, weights: bound[layer.name] ?? [])
    }
    // The output's shape is declared (dynamic batch) so a reader can tell class scores
    // `[N, 1000]` from a headless model's feature maps without running it.
    let outputShape = networkShape(of: outputName).map { [nil] + $0.dropFirst().map { $0 } }
    return try Network(
      name: name,
      inputs: [TensorSpec(name: inputName, shape: [nil, 3, inputSize.height, inputSize.width])],
      outputs: [TensorSpec(name: outputName, shape: outputShape)], nodes: graph.nodes,
      constants: graph.constants)
  }
}

/// Accumulates nodes and constants.
private struct GraphBuilder {
  var nodes: [Node] = []
  var constants: [String: Value] = [:]

  /// Appends a node named after its (first) output.
  mutating func node(_ op: any Operator, _ inputs: [String], _ output: String) {
    nodes.append(Node(name: output, op: op, inputs: inputs, outputs: [output]))
  }

  /// Registers a constant and returns its name.
  mutating func constant(_ name: String, _ tensor: Tensor) -> String {
    constants[name] = .float(tensor)
    return name
  }

  /// The nodes for one Keras layer; `w` are its weights in Keras order and layouts.
  mutating func add(_ layer: KerasLayer, weights w: [Tensor]) throws {
    let (name, x) = (layer.name, layer.inputs[0])
    switch layer.kind {
    case .conv2D(_, _, let stride, let padding, let bias, let relu):
      let kernel = transposed(w[0], [3, 2, 0, 1])  // [out, in, kh, kw]
      let attributes = window(stride: stride, padding: padding)
      let b = bias ? w[1] : nil
      var inputs = [x, constant("\(name)/kernel", kernel)]
      if let b { inputs.append(constant("\(name)/bias", b)) }
      let op = try Conv(group: 1, attributes: attributes, weights: kernel, bias: b)
      node(op, inputs, relu ? "\(name)/BiasAdd" : name)
      if relu { node(UnaryOperator(opType: "Relu", function: .relu), ["\(name)/BiasAdd"], name) }
    case .separableConv2D(_, _, let padding):
      let depthwise = transposed(w[0], [2, 3, 0, 1])  // [in, 1, kh, kw]
      let pointwise = transposed(w[1], [3, 2, 0, 1])  // [out, in, 1, 1]
      let channels = depthwise.shape[0]
      let dw = try Conv(
        group: channels, attributes: window(stride: 1, padding: padding), weights: depthwise)
      node(dw, [x, constant("\(name)/depthwise_kernel", depthwise)], "\(name)/depthwise")
      let pw = try Conv(
        group: 1, attributes: window(stride: 1, padding: .valid), weights: pointwise)
      node(pw, ["\(name)/depthwise", constant("\(name)/pointwise_kernel", pointwise)], name)
    case .batchNormalization:
      let parameters = zip(["gamma", "beta", "moving_mean", "moving_variance"], w).map {
        constant("\(name)/\($0)", $1)
      }
      node(BatchNormOperator(epsilon: kerasBatchNormEpsilon), [x] + parameters, name)
    case .relu:
      node(UnaryOperator(opType: "Relu", function: .relu), [x], name)
    case .maxPool(let size, let stride, let padding):
      var attributes = window(stride: stride, padding: padding)
      attributes.kernelShape = [size, size]
      // Only in-image taps enter a window's maximum: "same" pads never win, as in TF.
      node(Pool(.max(indices: false), attributes: attributes), [x], name)
    case .add:
      node(ArithmeticOperator(opType: "Add", operation: .add), layer.inputs, name)
    case .flatten:
      // Keras flattens NHWC data: go channels-last first so `flatten` holds Keras' order
      // (and fc1's kernel rows apply as Keras stores them).
      node(TransposeOperator(perm: [0, 2, 3, 1]), [x], "\(name)/channels_last")  // [N, H, W, C]
      node(FlattenOperator(axis: 1), ["\(name)/channels_last"], name)  // [N, H*W*C]
    case .globalAveragePool:
      node(GlobalPool(max: false), [x], "\(name)/mean")  // [N, C, 1, 1]
      node(FlattenOperator(axis: 1), ["\(name)/mean"], name)  // [N, C]
    case .dense(_, let softmax):
      let kernel = constant("\(name)/kernel", w[0])  // [in, out]: Gemm's B untransposed
      let bias = constant("\(name)/bias", w[1])
      let gemm = Gemm(weights: w[0], bias: w[1])
      let logits = softmax ? "\(name)/logits" : "\(name)/BiasAdd"
      node(gemm, [x, kernel, bias], logits)
      if softmax {
        node(SoftmaxOperator(axis: -1, log: false, flattened: false), [logits], name)
      } else {
        node(UnaryOperator(opType: "Relu", function: .relu), [logits], name)
      }
    }
  }

  /// Strides and TF padding as window attributes ("same" is ONNX's SAME_UPPER).
  private func window(stride: Int, padding: KerasPadding) -> WindowAttributes {
    WindowAttributes(strides: [stride, stride], autoPad: padding == .same ? .sameUpper : .valid)
  }
}
