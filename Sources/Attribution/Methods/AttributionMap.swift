// What every explanation returns: the raw numbers and how they were obtained.
public import Engine

/// The price of an explanation: network passes and wall time.
public struct Cost: Sendable, Equatable, CustomStringConvertible {
  /// Batched forward calls.
  public var forwardPasses: Int
  /// Batched backward calls (one per target per batch).
  public var backwardPasses: Int
  /// Images (batch rows) the forward calls evaluated in total.
  public var imagesEvaluated: Int
  /// Wall-clock time of the whole method.
  public var milliseconds: Double

  public init(
    forwardPasses: Int = 0, backwardPasses: Int = 0, imagesEvaluated: Int = 0,
    milliseconds: Double = 0
  ) {
    self.forwardPasses = forwardPasses
    self.backwardPasses = backwardPasses
    self.imagesEvaluated = imagesEvaluated
    self.milliseconds = milliseconds
  }

  public var description: String {
    let ms = (milliseconds * 10).rounded() / 10
    return
      "\(forwardPasses) forward (\(imagesEvaluated) images), \(backwardPasses) backward, \(ms) ms"
  }
}

/// How far the attributions' sum is from the score difference they should add up to.
public struct Completeness: Sendable, Equatable {
  /// `sum(map)`.
  public var attributionSum: Double
  /// `score(x) - score(baseline)` (for expected gradients, the mean over the backgrounds).
  public var scoreDifference: Double
  /// `attributionSum - scoreDifference`.
  public var gap: Double { attributionSum - scoreDifference }
  /// `gap / |scoreDifference|` (infinite when the difference is 0).
  public var relativeGap: Double { gap / abs(scoreDifference) }
  /// Monte-Carlo standard error of `attributionSum`, for sampled estimates.
  public var standardError: Double?

  public init(attributionSum: Double, scoreDifference: Double, standardError: Double? = nil) {
    self.attributionSum = attributionSum
    self.scoreDifference = scoreDifference
    self.standardError = standardError
  }
}

/// Where the windows of a perturbation method sit on the input, per axis.
public struct PatchGrid: Sendable, Equatable {
  /// Top rows of the windows (one per map row).
  public var rowOrigins: [Int]
  /// Left columns of the windows (one per map column).
  public var columnOrigins: [Int]
  /// Window height and width in input pixels.
  public var patchHeight: Int
  public var patchWidth: Int
}

/// One explanation: a raw float map at its native resolution, with its provenance.
///
/// Shapes by method: layer maps (CAMs) `[h, w]` on the layer's grid; pixel methods
/// (saliency, IG, SmoothGrad, expected gradients) `[C, H, W]` like the input, signed;
/// layer-space expected gradients `[K, h, w]`; occlusion `[rows, columns]` on the window grid
/// (`patches` says where); RISE `[H, W]`; an activation grid `[k, h, w]` (`channels` says which).
public struct AttributionMap: Sendable {
  /// The method's short name, as commands spell it (`gradcam`, `ig`, ...).
  public var method: String
  /// The raw values (no normalisation, no upsampling).
  public var values: Tensor
  /// The explained target; nil for class-agnostic maps (Eigen-CAM, activations).
  public var target: Target?
  /// The layer (or comma-joined layers) the map lives on; nil for input-space maps.
  public var layer: String?
  /// The seed of a sampled method.
  public var seed: UInt64?
  /// Passes and time of the call that produced it (shared by the maps one call returns).
  public var cost: Cost
  /// The target's score on the unperturbed input.
  public var score: Double?
  /// Completeness check of path methods (IG, expected gradients).
  public var completeness: Completeness?
  /// Window placement of occlusion.
  public var patches: PatchGrid?
  /// Channel indices of the maps of an activation grid, in map order.
  public var channels: [Int]?
  /// Per-channel weights of a weighted CAM (Grad-CAM's alpha, Score-CAM's score increase),
  /// in channel order; an activation grid's channel means, in map order.
  public var channelWeights: [Float]?

  public init(
    method: String, values: Tensor, target: Target? = nil, layer: String? = nil,
    seed: UInt64? = nil, cost: Cost = Cost()
  ) {
    self.method = method
    self.values = values
    self.target = target
    self.layer = layer
    self.seed = seed
    self.cost = cost
  }

  /// Height and width of the map (its last two axes).
  public var gridSize: (height: Int, width: Int) {
    let s = values.shape
    return (s[s.count - 2], s[s.count - 1])
  }
}
