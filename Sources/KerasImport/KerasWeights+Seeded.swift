// Seeded Keras weights, v1: untrained weights any implementation can regenerate bit for bit
// (kref's numpy script makes the same values for TensorFlow), and the seeded reference input.
public import Engine

extension KerasWeights {
  /// Deterministic untrained weights for `architecture`, in Keras shapes and order.
  ///
  /// Weighted layer `L` (in `model.layers` order), weight `j` (in `layer.weights` order) draws
  /// from the stream keyed `SplitMix64(seed: seed << 32 | L << 4 | j).next()`; element `i`
  /// (C order over the Keras shape) is `v = 2 u - 1`, `u = (r >> 40) 2^-24`, from the
  /// stream's (i+1)-th output `r`, then scaled: kernels by `sqrt(6 / fan_in)`, biases by
  /// 0.05, `gamma = 1 + 0.1 v`, `beta` and `moving_mean` `0.1 v`, `moving_variance =
  /// 1.25 + 0.25 v` (float32, no fused multiply-add).
  public static func seeded(for architecture: KerasArchitecture, seed: UInt64) -> KerasWeights {
    let layers = architecture.weightedLayers.enumerated().map { l, layer in
      KerasLayerWeights(
        layer: layer.name, names: layer.weightNames,
        tensors: zip(layer.weightNames, layer.weightShapes).enumerated().map { j, weight in
          seededTensor(
            shape: weight.1, kind: weight.0, key: streamKey(seed: seed, layer: l, weight: j))
        })
    }
    return KerasWeights(layers: layers, source: "seeded weights (seed \(seed))")
  }

  /// The first output of `SplitMix64(seed: seed << 32 | layer << 4 | weight)`.
  static func streamKey(seed: UInt64, layer: Int, weight: Int) -> UInt64 {
    var generator = SplitMix64(seed: (seed << 32) | (UInt64(layer) << 4) | UInt64(weight))
    return generator.next()
  }

  /// One weight's values: `v_i` for its stream, scaled as its kind requires.
  static func seededTensor(shape: [Int], kind: String, key: UInt64) -> Tensor {
    let (scale, offset) = seededScale(shape: shape, kind: kind)
    return Tensor(
      shape: shape,
      storage: uniformSigned(count: shape.reduce(1, *), key: key, scale: scale, offset: offset))
  }

  /// `(scale, offset)` so that the value is `offset + scale * v`.
  static func seededScale(shape: [Int], kind: String) -> (Float, Float) {
    switch kind {
    case "kernel", "depthwise_kernel", "pointwise_kernel":
      // Conv [kh, kw, in, out] and Dense [in, out]: all axes but the last;
      // depthwise [kh, kw, in, mult]: the window only.
      let fanIn = kind == "depthwise_kernel"
        ? shape[0] * shape[1] : shape.dropLast().reduce(1, *)
      return (Float((6.0 / Double(fanIn)).squareRoot()), 0)
    case "bias": return (Float(0.05), 0)
    case "gamma": return (Float(0.1), 1)
    case "moving_variance": return (Float(0.25), 1.25)
    default: return (Float(0.1), 0)  // beta, moving_mean
    }
  }
}

/// `count` values `offset + scale * v_i`, `v_i = 2 u_i - 1` from the `(i+1)`-th output of
/// `SplitMix64(seed: key)`, filled in parallel (each element depends on `i` alone).
func uniformSigned(count: Int, key: UInt64, scale: Float, offset: Float = 0) -> [Float] {
  let chunk = 1 << 16
  return [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
    guard let out = buffer.baseAddress else { return }
    parallelFor((count + chunk - 1) / chunk, workPerTask: chunk) { task in
      let end = min(count, (task + 1) * chunk)
      var state = key &+ UInt64(task * chunk) &* 0x9E37_79B9_7F4A_7C15
      for i in (task * chunk)..<end {
        state &+= 0x9E37_79B9_7F4A_7C15  // the (i+1)-th output's state
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let u = Float(z >> 40) * 0x1p-24
        (out + i).initialize(to: offset + scale * (2 * u - 1))
      }
    }
    initialised = count
  }
}

extension KerasArchitecture {
  /// The seeded reference input of Seeded Keras weights v1, NCHW `[1, 3, H, W]`.
  ///
  /// Drawn NHWC `[1, H, W, 3]` in C order as `v_i` from `SplitMix64(seed:)` itself, times
  /// 120 for VGG16 (caffe-preprocessed range) and 1 for Xception (`[-1, 1]`).
  public func seededInput(seed: UInt64 = 20_261_128) -> Tensor {
    let scale: Float = name == "vgg16" ? 120 : 1
    let (h, w) = inputSize
    let values = uniformSigned(count: h * w * 3, key: seed, scale: scale)
    return toChannelsFirst(Tensor(shape: [1, h, w, 3], storage: values))  // [1, 3, H, W]
  }
}
