// Input-gradient maps: saliency, gradient x input, integrated gradients, and SmoothGrad
// around any of them. All maps are signed `[C, H, W]` like the input; reducing channels for
// display is ``reduceChannels(_:_:)``'s job.
//
//   saliency   (Simonyan et al. 2013, arXiv:1312.6034): S = d F / d x
//   grad x input (Shrikumar et al. 2016): S * x
//   IG         (Sundararajan et al. 2017, arXiv:1703.01365), right Riemann sum with m steps:
//              IG = (x - x0) * (1/m) * sum_{k=1..m} dF/dx (x0 + (k/m)(x - x0)); alpha = 0 is
//              not evaluated. Completeness: sum(IG) ~= F(x) - F(x0), reported as a gap.
//   SmoothGrad (Smilkov et al. 2017, arXiv:1706.03825): the map of x + n, n ~ N(0, sigma^2),
//              sigma = noise * (max x - min x), averaged over samples (sg), its square
//              averaged (sg2), or its variance (vargrad, Adebayo et al. 2018).
public import Engine
import Network

/// A map built from input gradients.
public enum GradientMethod: Sendable, Equatable {
  case saliency
  case gradientTimesInput
  case integratedGradients(baseline: Baseline, steps: Int)

  /// The short name commands use.
  public var name: String {
    switch self {
    case .saliency: return "saliency"
    case .gradientTimesInput: return "gradxinput"
    case .integratedGradients: return "ig"
    }
  }

  /// Gradient evaluations per input.
  var points: Int {
    if case .integratedGradients(_, let steps) = self { return steps }
    return 1
  }
}

/// How SmoothGrad combines the maps of the noisy samples.
public enum NoiseAggregation: String, Sendable, CaseIterable {
  /// Mean of the maps.
  case mean = "sg"
  /// Mean of the squared maps.
  case meanOfSquares = "sg2"
  /// Variance of the maps (population variance, divided by the number of samples).
  case variance = "vargrad"
}

extension Explainer {
  /// Saliency `d F / d x` for each target (one forward, one backward per target).
  public func saliency(
    _ input: Tensor, targets: TargetSelection, control: RunControl = RunControl()
  ) throws -> [AttributionMap] {
    try plainGradientMaps(input, targets, timesInput: false, control: control)
  }

  /// Gradient x input for each target.
  public func gradientTimesInput(
    _ input: Tensor, targets: TargetSelection, control: RunControl = RunControl()
  ) throws -> [AttributionMap] {
    try plainGradientMaps(input, targets, timesInput: true, control: control)
  }

  /// Integrated gradients with `steps` right-Riemann steps from `baseline`, batched, with
  /// the completeness gap `sum(IG) - (F(x) - F(x0))` in each map's ``AttributionMap/completeness``.
  public func integratedGradients(
    _ input: Tensor, targets selection: TargetSelection, baseline: Baseline = .value(0),
    steps: Int = 50,
    control: RunControl = RunControl()
  ) throws -> [AttributionMap] {
    guard steps >= 1 else {
      throw AttributionError.badParameter("steps", "must be at least 1, got \(steps)")
    }
    let meter = CostMeter()
    let first = try firstPass(input, selection, meter: meter, control: control)
    let method = GradientMethod.integratedGradients(baseline: baseline, steps: steps)
    let reference = try baseline.tensor(for: input)
    let (_, referenceLogits) = try model.run(reference, meter: meter, control: control)
    let maps = try sampledMaps(
      input, first.targets, method, samples: 1, sigma: 0, aggregation: .mean, seed: 0, meter: meter,
      control: control)
    return zip(first.targets, maps).map { target, values in
      var map = AttributionMap(method: "ig", values: values, target: target, cost: meter.cost)
      map.score = target.value(logits: first.logits)
      map.completeness = Completeness(
        attributionSum: values.storage.reduce(0.0) { $0 + Double($1) },
        scoreDifference: map.score! - target.value(logits: row(referenceLogits, 0)))
      return map
    }
  }

  /// SmoothGrad around `method`: `samples` noisy copies, noise standard deviation
  /// `noise * (max x - min x)`, combined by `aggregation`; the noise comes from `seed`.
  public func smoothGrad(
    _ input: Tensor, targets selection: TargetSelection, of method: GradientMethod = .saliency,
    aggregation: NoiseAggregation = .mean, samples: Int = 20, noise: Double = 0.15,
    seed: UInt64 = 0,
    control: RunControl = RunControl()
  ) throws -> [AttributionMap] {
    guard samples >= 1 else {
      throw AttributionError.badParameter("samples", "must be at least 1, got \(samples)")
    }
    guard noise >= 0 else {
      throw AttributionError.badParameter("noise", "must be >= 0, got \(noise)")
    }
    if case .integratedGradients(_, let steps) = method, steps < 1 {
      throw AttributionError.badParameter("steps", "must be at least 1, got \(steps)")
    }
    let meter = CostMeter()
    let first = try firstPass(input, selection, meter: meter, control: control)
    let range = Double((input.storage.max() ?? 0) - (input.storage.min() ?? 0))
    let maps = try sampledMaps(
      input, first.targets, method, samples: samples, sigma: noise * range,
      aggregation: aggregation, seed: seed,
      meter: meter, control: control)
    return zip(first.targets, maps).map { target, values in
      var map = AttributionMap(
        method: "smoothgrad-\(aggregation.rawValue)-\(method.name)", values: values, target: target,
        seed: seed,
        cost: meter.cost)
      map.score = target.value(logits: first.logits)
      return map
    }
  }

  private func plainGradientMaps(
    _ input: Tensor, _ selection: TargetSelection, timesInput: Bool, control: RunControl
  ) throws -> [AttributionMap] {
    let meter = CostMeter()
    let first = try firstPass(
      input, selection, gradientsFor: [model.inputName], meter: meter, control: control)
    let logits = Tensor(shape: [1, first.logits.count], storage: Array(first.logits))
    let maps = try first.targets.map { target in
      var g = try model.gradients(
        first.evaluation, logits: logits, target: target, meter: meter, control: control)[
          model.inputName]!
      if timesInput { for i in 0..<g.count { g.storage[i] *= input.storage[i] } }
      var map = AttributionMap(
        method: timesInput ? "gradxinput" : "saliency",
        values: g.reshaped(Array(input.shape.dropFirst())),
        target: target)
      map.score = target.value(logits: first.logits)
      return map
    }
    return stamped(maps, meter)
  }
}
