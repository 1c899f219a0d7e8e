// Reference inputs for path and perturbation methods ("what absence looks like").
public import Engine

/// A reference input in the model's input space, derived from the image when needed.
public enum Baseline: Sendable, Equatable {
  /// Every element equal to this value (0 is the `zero` baseline; a preprocessed black
  /// pixel is the `black` one).
  case value(Float)
  /// Each channel filled with that channel's mean over the image (the image's mean colour).
  case channelMean
  /// A Gaussian-blurred copy of the image (standard deviation in pixels).
  case blurred(sigma: Double)
  /// An explicit tensor shaped like the input `[1, C, H, W]`.
  case tensor(Tensor)

  /// The baseline for `input` `[1, C, H, W]`.
  /// - Throws: ``AttributionError/badParameter(_:_:)`` for a tensor of another shape or a
  ///   negative blur.
  public func tensor(for input: Tensor) throws -> Tensor {
    switch self {
    case .value(let v):
      return Tensor(repeating: v, shape: input.shape)
    case .channelMean:
      let c = input.shape[1]
      let plane = input.shape[2] * input.shape[3]
      var out = input
      for channel in 0..<c {
        let range = (channel * plane)..<((channel + 1) * plane)
        let mean = input.storage[range].reduce(0.0) { $0 + Double($1) } / Double(plane)
        for i in range { out.storage[i] = Float(mean) }
      }
      return out
    case .blurred(let sigma):
      guard sigma >= 0 else {
        throw AttributionError.badParameter("baseline", "blur sigma must be >= 0, got \(sigma)")
      }
      return gaussianBlurred(input, sigma: sigma)
    case .tensor(let t):
      guard t.shape == input.shape else {
        throw AttributionError.badParameter(
          "baseline", "shape \(t.shape) differs from the input's \(input.shape)")
      }
      return t
    }
  }
}
