// VGG16 and Xception as tf_keras.applications defines them (vgg16.py, xception.py): the same
// layers, names, order, padding and activations.

/// The Keras application models Glimpse defines natively.
public enum KerasApplications {
  /// Keras' `VGG16`: 13 3x3 "same" convolutions with ReLU in 5 blocks, each block ending in a
  /// 2x2 max pool; with the top, `flatten`, `fc1`, `fc2` (ReLU) and `predictions` (softmax).
  ///
  /// - Parameters:
  ///   - includeTop: with the classifier, the input must be 224x224.
  ///   - inputSize: default 224x224; without the top any size from 32x32 (Keras' minimum).
  /// - Throws: ``KerasModelError`` for an input size Keras would refuse.
  public static func vgg16(
    includeTop: Bool = true, inputSize: (height: Int, width: Int)? = nil
  ) throws -> KerasArchitecture {
    let size = try checkedSize(inputSize, model: "vgg16", default: 224, includeTop: includeTop)
    var b = LayerList()
    let widths = [64, 128, 256, 512, 512]
    for (index, filters) in widths.enumerated() {
      let block = "block\(index + 1)"
      for conv in 1...(index < 2 ? 2 : 3) {
        b.append(
          "\(block)_conv\(conv)",
          .conv2D(filters: filters, kernel: 3, stride: 1, padding: .same, bias: true, relu: true))
      }
      b.append("\(block)_pool", .maxPool(size: 2, stride: 2, padding: .valid))
    }
    let top = ["flatten", "fc1", "fc2", "predictions"]
    if includeTop {
      b.append("flatten", .flatten)
      b.append("fc1", .dense(units: 4096, softmax: false))
      b.append("fc2", .dense(units: 4096, softmax: false))
      b.append("predictions", .dense(units: 1000, softmax: true))
    }
    return try KerasArchitecture(
      name: "vgg16", inputSize: size, includeTop: includeTop, layers: b.layers,
      topLayerNames: top, minimumSize: 32)
  }

  /// Keras' `Xception`: entry flow (two plain convolutions, three residual blocks with
  /// strided 1x1 shortcuts), eight middle blocks, exit flow; batch norm after every
  /// convolution; with the top, `avg_pool` and `predictions` (softmax).
  ///
  /// - Parameters:
  ///   - includeTop: with the classifier, the input must be 299x299.
  ///   - inputSize: default 299x299; without the top any size from 71x71 (Keras' minimum).
  /// - Throws: ``KerasModelError`` for an input size Keras would refuse.
  public static func xception(
    includeTop: Bool = true, inputSize: (height: Int, width: Int)? = nil
  ) throws -> KerasArchitecture {
    let size = try checkedSize(inputSize, model: "xception", default: 299, includeTop: includeTop)
    var b = LayerList()
    b.append("block1_conv1", .conv2D(filters: 32, kernel: 3, stride: 2, padding: .valid, bias: false, relu: false))
    b.append("block1_conv1_bn", .batchNormalization)
    b.append("block1_conv1_act", .relu)
    b.append("block1_conv2", .conv2D(filters: 64, kernel: 3, stride: 1, padding: .valid, bias: false, relu: false))
    b.append("block1_conv2_bn", .batchNormalization)
    b.append("block1_conv2_act", .relu)
    // Entry-flow blocks 2-4; block 2 starts from a ReLU output, so it has no sepconv1_act.
    for (index, filters) in [128, 256, 728].enumerated() {
      b.entryBlock(
        index + 2, filters: filters, shortcut: index, add: index == 0 ? "add" : "add_\(index)",
        startsWithRelu: index > 0)
    }
    for block in 5...12 { b.middleBlock(block) }
    b.entryBlock(
      13, filters: 1024, middleFilters: 728, shortcut: 3, add: "add_11", startsWithRelu: true)
    for (conv, filters) in [(1, 1536), (2, 2048)] {
      b.append("block14_sepconv\(conv)", .separableConv2D(filters: filters, kernel: 3, padding: .same))
      b.append("block14_sepconv\(conv)_bn", .batchNormalization)
      b.append("block14_sepconv\(conv)_act", .relu)
    }
    if includeTop {
      b.append("avg_pool", .globalAveragePool)
      b.append("predictions", .dense(units: 1000, softmax: true))
    }
    return try KerasArchitecture(
      name: "xception", inputSize: size, includeTop: includeTop, layers: b.layers,
      topLayerNames: ["avg_pool", "predictions"], minimumSize: 71)
  }

  /// The size to build for: the default when none is given; with the top, only the default.
  private static func checkedSize(
    _ size: (height: Int, width: Int)?, model: String, default side: Int, includeTop: Bool
  ) throws -> (height: Int, width: Int) {
    guard let size else { return (side, side) }
    if includeTop && (size.height != side || size.width != side) {
      throw KerasModelError.topNeedsDefaultSize(
        model: model, height: size.height, width: size.width, required: side)
    }
    return size
  }
}

/// Appends layers, each reading the previous one unless told otherwise.
private struct LayerList {
  var layers: [KerasLayer] = []
  var last = "input_1"

  mutating func append(_ name: String, _ kind: KerasLayer.Kind, inputs: [String]? = nil) {
    layers.append(KerasLayer(name, kind, inputs: inputs ?? [last]))
    last = name
  }

  /// An Xception block with a strided 1x1 shortcut (blocks 2, 3, 4 and 13), in the order
  /// Keras' `model.layers` lists it: the main path's convolutions, then the shortcut
  /// convolution, the pool, the shortcut's batch norm and the add (Keras orders layers by
  /// depth in the graph, not by creation).
  mutating func entryBlock(
    _ block: Int, filters: Int, middleFilters: Int? = nil, shortcut: Int, add: String,
    startsWithRelu: Bool
  ) {
    let input = last
    let conv = shortcut == 0 ? "conv2d" : "conv2d_\(shortcut)"
    let norm = shortcut == 0 ? "batch_normalization" : "batch_normalization_\(shortcut)"
    let p = "block\(block)"
    if startsWithRelu { append("\(p)_sepconv1_act", .relu) }
    append("\(p)_sepconv1", .separableConv2D(filters: middleFilters ?? filters, kernel: 3, padding: .same))
    append("\(p)_sepconv1_bn", .batchNormalization)
    append("\(p)_sepconv2_act", .relu)
    append("\(p)_sepconv2", .separableConv2D(filters: filters, kernel: 3, padding: .same))
    append("\(p)_sepconv2_bn", .batchNormalization)
    let main = last
    append(
      conv, .conv2D(filters: filters, kernel: 1, stride: 2, padding: .same, bias: false, relu: false),
      inputs: [input])
    append("\(p)_pool", .maxPool(size: 3, stride: 2, padding: .same), inputs: [main])
    append(norm, .batchNormalization, inputs: [conv])
    append(add, .add, inputs: ["\(p)_pool", norm])
  }

  /// An Xception middle-flow block: three ReLU-separable-BN units and an identity shortcut.
  mutating func middleBlock(_ block: Int) {
    let input = last
    for unit in 1...3 {
      append("block\(block)_sepconv\(unit)_act", .relu)
      append("block\(block)_sepconv\(unit)", .separableConv2D(filters: 728, kernel: 3, padding: .same))
      append("block\(block)_sepconv\(unit)_bn", .batchNormalization)
    }
    append("add_\(block - 2)", .add, inputs: [last, input])
  }
}
