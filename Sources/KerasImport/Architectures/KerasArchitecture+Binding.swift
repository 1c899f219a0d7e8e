// Matching a weights file's layers to an architecture's: by name, auto-named layers by order.
import Engine

/// Names that betray which Keras application a set of weights belongs to.
private let modelSignatures: [(model: String, has: String, lacks: String?)] = [
  ("xception", "block14_sepconv2", nil),
  ("vgg19", "block5_conv4", nil),
  ("vgg16", "block5_conv3", "block5_conv4"),
  ("resnet50", "conv5_block3_out", nil),
  ("resnet50", "res5c_branch2c", nil),
  ("inception_v3", "mixed10", nil),
  ("mobilenet", "conv_pw_13", nil),
]

extension KerasArchitecture {
  /// Which Keras application the layer names look like, if any.
  static func recognisedModel(_ names: Set<String>) -> String? {
    modelSignatures.first { names.contains($0.has) && !($0.lacks.map(names.contains) ?? false) }?
      .model
  }

  /// Each weighted layer's weights, in Keras order and Keras layouts, checked against the
  /// shapes the architecture needs.
  ///
  /// Layers match by name, except auto-named ones (`conv2d_4`, `batch_normalization`): a file
  /// numbers those with its saving session's counters, so the k-th of a kind in the file
  /// (by number) binds the k-th of that kind in the model. Weights match by name, or by
  /// position when the file's names are not Keras' (same count). Extra layers are ignored.
  /// - Throws: ``KerasModelError`` for another model's weights, a missing layer or weight,
  ///   or a wrong shape.
  func bind(_ weights: KerasWeights) throws -> [String: [Tensor]] {
    try checkModel(weights)
    let fileLayers = autoNamedOrder(weights)
    // Counted before binding: a missing `conv2d_5` would otherwise shift `conv2d_6` into its
    // place and surface as a confusing shape error.
    var expected: [String: Int] = [:]
    for layer in weightedLayers { if let kind = layer.autoNamedKind { expected[kind, default: 0] += 1 } }
    for (kind, count) in expected.sorted(by: { $0.key < $1.key })
    where fileLayers[kind, default: []].count != count {
      throw KerasModelError.autoNamedCount(
        model: name, kind: kind, expected: count,
        found: fileLayers[kind, default: []].map(\.layer), source: weights.source)
    }
    var bound: [String: [Tensor]] = [:]
    var autoIndex: [String: Int] = [:]
    for layer in weightedLayers {
      let found: KerasLayerWeights?
      if let kind = layer.autoNamedKind {
        let k = autoIndex[kind, default: 0]
        autoIndex[kind] = k + 1
        found = k < fileLayers[kind, default: []].count ? fileLayers[kind]![k] : nil
      } else {
        found = weights.layer(named: layer.name)
      }
      guard let found else { throw missing(layer.name, weights) }
      bound[layer.name] = try tensors(of: layer, in: found, source: weights.source)
    }
    return bound
  }

  /// Throws when the weights are recognisably another model's, or share no layer name.
  private func checkModel(_ weights: KerasWeights) throws {
    let names = Set(weights.layers.map(\.layer))
    let first = Array(weights.layers.prefix(5).map(\.layer))
    let guess = Self.recognisedModel(names)
    if let guess, guess != name {
      throw KerasModelError.wrongModel(
        model: name, source: weights.source, looksLike: guess, firstLayers: first)
    }
    let chosen = weightedLayers.filter { $0.autoNamedKind == nil }.map(\.name)
    if !chosen.contains(where: names.contains) {
      throw KerasModelError.wrongModel(
        model: name, source: weights.source, looksLike: guess, firstLayers: first)
    }
  }

  /// The file's auto-named layers per kind, ordered by their number.
  private func autoNamedOrder(_ weights: KerasWeights) -> [String: [KerasLayerWeights]] {
    var byKind: [String: [(Int, KerasLayerWeights)]] = [:]
    for layer in weights.layers {
      guard let (kind, index) = autoName(layer.layer) else { continue }
      byKind[kind, default: []].append((index, layer))
    }
    return byKind.mapValues { $0.sorted { $0.0 < $1.0 }.map(\.1) }
  }

  /// The error for a layer the weights lack: a notop file given to a model with its top
  /// says so.
  private func missing(_ layer: String, _ weights: KerasWeights) -> KerasModelError {
    let names = Set(weights.layers.map(\.layer))
    let weightedTop = topLayerNames.filter { top in weightedLayers.contains { $0.name == top } }
    if includeTop, weightedTop.contains(layer), !weightedTop.contains(where: names.contains) {
      return .weightsHaveNoTop(model: name, source: weights.source, missing: weightedTop)
    }
    return .missingLayer(model: name, layer: layer, source: weights.source)
  }

  /// The layer's tensors in `layer.weightNames` order, shapes checked.
  private func tensors(
    of layer: KerasWeightedLayer, in found: KerasLayerWeights, source: String
  ) throws -> [Tensor] {
    let byPosition =
      found.names.count == layer.weightNames.count
      && !layer.weightNames.contains(where: found.names.contains)
    return try layer.weightNames.enumerated().map { j, weight in
      let index = byPosition ? j : found.names.firstIndex(of: weight)
      guard let index else {
        throw KerasModelError.missingWeight(
          layer: layer.name, weight: weight, found: found.names, source: source)
      }
      let tensor = found.tensors[index]
      guard tensor.shape == layer.weightShapes[j] else {
        // The layer as the file names it: an auto-named one has another number there, and the
        // file is what the reader of the message will look in.
        throw KerasModelError.shapeMismatch(
          layer: found.layer, weight: weight, expected: layer.weightShapes[j], found: tensor.shape,
          source: source)
      }
      return tensor
    }
  }
}
