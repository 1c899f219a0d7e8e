// The Keras 3 `.weights.h5` layout, as Keras 3.15 writes it for a Functional model:
//
//   /vars                          (the model's own variables; none for a Functional model)
//   /layers/<group>/vars           attribute `name` = the layer's name (`block1_conv1`)
//   /layers/<group>/vars/0, 1, ... the layer's variables in `layer.weights` order
//
// `<group>` is not the layer's name but its class in snake case with a per-class counter in
// model order: `conv2d`, `conv2d_1`, ..., `batch_normalization`, `batch_normalization_1`.
// NB: the file records no order across classes. Groups are not created with creation-order
// tracking, and object addresses do not follow creation order either (HDF5 reuses freed space:
// measured on Keras 3's Xception, address order misplaces 6-42 of 134 layers). So layers come
// out sorted by class name, and within a class in model order (by the counter); match layers
// by name, never by position, when a file may be in this layout.
import Engine

extension KerasWeightFile {
  /// Reads every layer group under `/layers` that has variables, in the order described above.
  static func readKeras3(_ layersGroup: HDF5Group) throws -> [KerasLayerWeights] {
    let path = layersGroup.file.path
    let members = try layersGroup.members().sorted { keras3Key($0) < keras3Key($1) }
    var layers: [KerasLayerWeights] = []
    for member in members where layersGroup.containsGroup(member + "/vars") {
      let vars = try layersGroup.group(member + "/vars")
      let count = try vars.members().count
      guard count > 0 else { continue }
      var tensors: [Tensor] = []
      for index in 0..<count {
        guard vars.contains(String(index)) else {
          throw KerasFileError.unreadable(
            path: path, object: "layer group '\(layersGroup.path(of: member))'",
            detail: "its \(count) variables are not numbered 0..<\(count): no '\(index)'")
        }
        tensors.append(try vars.dataset(String(index)).readTensor())
      }
      // A file without the `name` attribute (older Keras 3) leaves only the group name.
      let layerName = try vars.string(attribute: "name") ?? member
      let names = keras3WeightNames(layerClass: keras3Key(member).layerClass, count: count)
      layers.append(KerasLayerWeights(layer: layerName, names: names, tensors: tensors))
    }
    return layers
  }

  /// A layer group's class and counter: `conv2d_12` -> (`conv2d`, 12); `conv2d` -> (`conv2d`, 0).
  package static func keras3Key(_ group: String) -> Keras3Key {
    let stem = dropNumberSuffix(Substring(group), separator: "_")
    let counter = stem.count == group.count ? 0 : Int(group.dropFirst(stem.count + 1)) ?? 0
    return Keras3Key(layerClass: String(stem), counter: counter)
  }

  /// Sort key of a Keras 3 layer group: by class, then by the per-class counter.
  package struct Keras3Key: Comparable {
    package var layerClass: String
    package var counter: Int

    package static func < (a: Self, b: Self) -> Bool {
      (a.layerClass, a.counter) < (b.layerClass, b.counter)
    }
  }

  /// Keras 3's names of a layer's variables by class and count, as `layer.weights` gives them
  /// in Keras 3.15. Counts that leave the names ambiguous (a BatchNormalization with three
  /// variables lacks either gamma or beta) and unknown classes keep the file's positional
  /// names `0`, `1`, ...
  package static func keras3WeightNames(layerClass: String, count: Int) -> [String] {
    let kernelBias = [1: ["kernel"], 2: ["kernel", "bias"]]
    let separable = [
      2: ["depthwise_kernel", "pointwise_kernel"],
      3: ["depthwise_kernel", "pointwise_kernel", "bias"],
    ]
    let table: [String: [Int: [String]]] = [
      "dense": kernelBias,
      "conv1d": kernelBias, "conv2d": kernelBias, "conv3d": kernelBias,
      "conv1d_transpose": kernelBias, "conv2d_transpose": kernelBias,
      "conv3d_transpose": kernelBias,
      // NB: Keras 3 calls a depthwise kernel `kernel` (tf_keras: `depthwise_kernel`).
      "depthwise_conv1d": kernelBias, "depthwise_conv2d": kernelBias,
      "separable_conv1d": separable, "separable_conv2d": separable,
      "batch_normalization": [4: ["gamma", "beta", "moving_mean", "moving_variance"]],
      "layer_normalization": [2: ["gamma", "beta"]],
    ]
    return table[layerClass]?[count] ?? (0..<count).map(String.init)
  }
}
