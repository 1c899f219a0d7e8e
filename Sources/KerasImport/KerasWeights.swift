// The weights of a Keras model as Keras lays them out: per layer, in the layer's own order.
public import Engine

/// One Keras layer's weights, in the order `layer.weights` lists them (`kernel`, `bias`;
/// `depthwise_kernel`, `pointwise_kernel`; `gamma`, `beta`, `moving_mean`, `moving_variance`).
///
/// Tensors keep Keras' shapes: conv kernels `[kh, kw, in, out]`, depthwise kernels
/// `[kh, kw, in, multiplier]`, dense kernels `[in, out]`. Converting to Glimpse's NCHW
/// layouts is the architecture builder's job.
public struct KerasLayerWeights: Sendable {
  /// The layer's name (`block1_conv1`, `conv2d_1`).
  public var layer: String
  /// Weight names without the layer prefix or `:0` suffix (`kernel`, `bias`).
  public var names: [String]
  public var tensors: [Tensor]

  public init(layer: String, names: [String], tensors: [Tensor]) {
    precondition(names.count == tensors.count, "one name per tensor")
    self.layer = layer
    self.names = names
    self.tensors = tensors
  }
}

/// Every weighted layer of a model, in the model's layer order (the order a legacy Keras
/// HDF5 file's `layer_names` attribute gives).
public struct KerasWeights: Sendable {
  public var layers: [KerasLayerWeights]
  /// Where the weights came from, for messages (`a file path`, `seeded (seed 1)`).
  public var source: String

  public init(layers: [KerasLayerWeights], source: String) {
    self.layers = layers
    self.source = source
  }

  /// The weights of the layer called `name`, if any.
  public func layer(named name: String) -> KerasLayerWeights? {
    layers.first { $0.layer == name }
  }
}
