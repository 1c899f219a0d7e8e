// Reads a Keras weight file (legacy HDF5 or Keras 3 .weights.h5) into KerasWeights.

/// Reader of Keras weight files through libhdf5.
///
/// Layouts understood:
/// - Legacy Keras HDF5 (`model.save_weights('w.h5')` in Keras 2 / tf_keras, the ImageNet files
///   such as `vgg16_weights_tf_dim_ordering_tf_kernels.h5`): a `layer_names` attribute lists the
///   layers in model order; each layer group's `weight_names` attribute lists dataset paths
///   relative to the group (`block1_conv1/kernel:0`, or `block1_conv1_W_1:0` in files written
///   by Keras 1). A full-model file (`model.save('m.h5')`) has the same under `model_weights`.
/// - Keras 3 `.weights.h5`: `layers/<class>[_<n>]/vars/<index>`; see `KerasWeightFile+Keras3`
///   for the order and names this gives.
public enum KerasWeightFile {
  /// Reads every weighted layer of the Keras weight file at `path`.
  ///
  /// Layers without weights (input, pooling, activation) are dropped. Weight names lose the
  /// layer prefix and the `:0` suffix (`kernel`, `bias`, `moving_mean`). Tensors keep Keras'
  /// shapes and are float32 whatever the file stores.
  /// - Throws: `KerasFileError` naming the file and the cause (missing file, not HDF5,
  ///   truncated or damaged, not a Keras weight file, an unreadable dataset).
  public static func read(path: String) throws -> KerasWeights {
    let file = try HDF5File.open(path: path)
    let root = file.root
    if try root.strings(attribute: "layer_names") != nil
      || root.strings(attribute: "layer_names0") != nil
    {
      return KerasWeights(layers: try readLegacy(root), source: path)
    }
    if root.containsGroup("model_weights") {
      return KerasWeights(layers: try readLegacy(try root.group("model_weights")), source: path)
    }
    if root.containsGroup("layers") {
      return KerasWeights(layers: try readKeras3(try root.group("layers")), source: path)
    }
    throw KerasFileError.notKerasWeights(path: path, found: try summary(of: root))
  }

  /// A short account of what a group holds, for the wrong-kind error.
  static func summary(of group: HDF5Group) throws -> String {
    let members = try group.members()
    let attributes = try group.attributeNames()
    func list(_ names: [String]) -> String {
      let shown = names.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
      return names.count > 5 ? shown + ", ... (\(names.count) in all)" : shown
    }
    let parts = [
      members.isEmpty ? "no members" : "members \(list(members))",
      attributes.isEmpty ? "no attributes" : "attributes \(list(attributes))",
    ]
    return parts.joined(separator: " and ") + " at the root"
  }
}
