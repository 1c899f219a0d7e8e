// `saliency`, `smoothgrad` and `ig`: maps of input gradients, at the model's input size.
import Attribution
import Engine
import Imaging

extension Session {
  /// `saliency times_input=`: the score's gradient per pixel (max |.| over channels).
  func saliency(_ run: inout CommandRun) throws {
    let setup = try explanationSetup(run)
    let explainer = setup.model.explainer
    let control = RunControl(cancellation: run.cancellation)
    let timesInput = run.flag("times_input", default: false)
    let maps =
      timesInput
      ? try explainer.gradientTimesInput(setup.input, targets: setup.targets, control: control)
      : try explainer.saliency(setup.input, targets: setup.targets, control: control)
    try present(
      &run, name: "saliency", method: timesInput ? "gradxinput" : "saliency", setup: setup,
      maps: maps, pictures: maps.map { Self.pixelPicture($0.values, .maxAbs) },
      style: Self.pixelStyle(setup), details: [], progress: nil)
  }

  /// `smoothgrad samples= noise= of= kind= seed=`: a gradient map averaged over noisy copies.
  func smoothgrad(_ run: inout CommandRun) throws {
    let setup = try explanationSetup(run)
    let samples = run.integer("samples") ?? 20
    let seed = run.integer("seed") ?? run.state.settings.seed
    let of = run.text("of") ?? "saliency"
    let method: GradientMethod =
      switch of {
      case "gradxinput": .gradientTimesInput
      // NB: IG inside SmoothGrad multiplies the cost by its steps; 20 keeps it affordable.
      case "ig": .integratedGradients(baseline: .value(0), steps: 20)
      default: .saliency
      }
    let kind = NoiseAggregation(rawValue: run.text("kind") ?? "sg") ?? .mean
    let progress = self.progress("smoothgrad", unit: "gradients", run: run)
    let maps = try withProgress(progress) {
      try setup.model.explainer.smoothGrad(
        setup.input, targets: setup.targets, of: method, aggregation: kind, samples: samples,
        noise: run.number("noise") ?? 0.15, seed: UInt64(seed), control: progress.control)
    }
    try present(
      &run, name: "smoothgrad", method: "smoothgrad-\(kind.rawValue) of \(of)", setup: setup,
      maps: maps,
      pictures: maps.map { Self.pixelPicture($0.values, of == "saliency" ? .maxAbs : .sumAbs) },
      style: Self.pixelStyle(setup), details: ["\(samples) samples", "seed \(seed)"],
      progress: progress)
  }

  /// `ig steps= baseline=`: integrated gradients, with the completeness gap in the caption.
  func integratedGradients(_ run: inout CommandRun) throws {
    let setup = try explanationSetup(run)
    let steps = run.integer("steps") ?? 50
    let baselineName = run.value("baseline")?.text ?? "zero"
    let baseline = Self.baseline(run.value("baseline"), model: setup.model)
    let progress = self.progress("ig", unit: "steps", run: run)
    let maps = try withProgress(progress) {
      try setup.model.explainer.integratedGradients(
        setup.input, targets: setup.targets, baseline: baseline, steps: steps,
        control: progress.control)
    }
    let gaps = maps.compactMap { $0.completeness }.map { c in
      "completeness gap \(format3(c.gap)) (\(format3(100 * c.relativeGap))%)"
    }
    try present(
      &run, name: "ig", method: "ig", setup: setup, maps: maps,
      pictures: maps.map { Self.pixelPicture($0.values, .sumAbs) }, style: Self.pixelStyle(setup),
      details: ["\(steps) steps from \(baselineName)"] + gaps, progress: progress)
  }

  /// A `[C, H, W]` pixel map reduced over channels for display.
  static func pixelPicture(_ values: Tensor, _ reduction: ChannelReduction) -> ScalarMap {
    Rendering.scalarMap(reduceChannels(values, reduction))
  }

  /// Pixel maps are sparse: scaled to their 99th percentile and drawn only where they are
  /// high (so the opacity can be twice the overlay setting without hiding the photo).
  static func pixelStyle(_ setup: ExplanationSetup) -> MapStyle {
    MapStyle(
      normalization: .magnitudePercentile(99), colormap: setup.colormap,
      blend: .followValue(min(1, 2 * setup.alpha)))
  }
}
