// The legacy Keras HDF5 layout (Keras 1 and 2, tf_keras): `layer_names`, then per layer
// `weight_names` naming datasets relative to the layer's group.
import Engine

extension KerasWeightFile {
  /// Reads the layers listed by `group`'s `layer_names` (the root of a weights file, or the
  /// `model_weights` group of a full-model file), in that order, dropping weightless layers.
  static func readLegacy(_ group: HDF5Group) throws -> [KerasLayerWeights] {
    let path = group.file.path
    guard let layerNames = try splitStrings(group, attribute: "layer_names") else {
      throw KerasFileError.notKerasWeights(path: path, found: try summary(of: group))
    }
    var layers: [KerasLayerWeights] = []
    for layerName in layerNames {
      guard group.containsGroup(layerName) else {
        throw KerasFileError.unreadable(
          path: path, object: "layer '\(layerName)'",
          detail: "'layer_names' lists it but there is no group '\(group.path(of: layerName))'")
      }
      let layerGroup = try group.group(layerName)
      guard let weightNames = try splitStrings(layerGroup, attribute: "weight_names") else {
        throw KerasFileError.unreadable(
          path: path, object: "layer '\(layerName)'",
          detail: "its group '\(layerGroup.name)' has no 'weight_names' attribute")
      }
      guard !weightNames.isEmpty else { continue }
      var tensors: [Tensor] = []
      for weightName in weightNames {
        guard layerGroup.contains(weightName) else {
          throw KerasFileError.unreadable(
            path: path, object: "weight '\(weightName)' of layer '\(layerName)'",
            detail: "'weight_names' lists it but there is no dataset "
              + "'\(layerGroup.path(of: weightName))'")
        }
        tensors.append(try layerGroup.dataset(weightName).readTensor())
      }
      let names = weightNames.map { shortName($0, layer: layerName) }
      layers.append(KerasLayerWeights(layer: layerName, names: names, tensors: tensors))
    }
    return layers
  }

  /// The strings of `attribute`, also when Keras split it into `attribute0`, `attribute1`, ...
  /// because it outgrew HDF5's 64 KB object-header limit (models with thousands of layers).
  static func splitStrings(_ group: HDF5Group, attribute: String) throws -> [String]? {
    if let strings = try group.strings(attribute: attribute) { return strings }
    var strings: [String]? = nil
    var index = 0
    while let chunk = try group.strings(attribute: "\(attribute)\(index)") {
      strings = (strings ?? []) + chunk
      index += 1
    }
    return strings
  }

  /// Keras 1 names of weights that later Keras calls otherwise. NB: Keras 1's `running_std`
  /// held the moving variance despite its name (it was passed to batch_normalization as var).
  static let keras1Names = [
    "W": "kernel", "b": "bias", "running_mean": "moving_mean", "running_std": "moving_variance",
  ]

  /// A weight's name without its layer prefix and variable suffix:
  /// `block1_conv1/kernel:0` -> `kernel`; Keras 1's `block1_conv1_W_1:0` -> `kernel`.
  package static func shortName(_ weightName: String, layer: String) -> String {
    var name = Substring(weightName)
    if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
    name = dropNumberSuffix(name, separator: ":")
    // Keras 1 wrote `<layer>_<weight>_<n>:0` with no slash (the ImageNet VGG16 files).
    if !weightName.contains("/") && name.hasPrefix(layer + "_") {
      name = dropNumberSuffix(name.dropFirst(layer.count + 1), separator: "_")
      return keras1Names[String(name)] ?? String(name)
    }
    return String(name)
  }

  /// `name` without a trailing `<separator><digits>`, if it has one.
  static func dropNumberSuffix(_ name: Substring, separator: Character) -> Substring {
    guard let index = name.lastIndex(of: separator) else { return name }
    let digits = name[name.index(after: index)...]
    guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
      return name
    }
    return name[..<index]
  }
}
