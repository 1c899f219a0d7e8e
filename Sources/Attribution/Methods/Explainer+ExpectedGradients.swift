// Expected gradients (Erion et al. 2021, arXiv:1906.10670), with the semantics of SHAP's
// GradientExplainer: for each sample draw a background b uniformly, alpha uniform in [0, 1],
// and take dF/dz at z = b + alpha (x - b), times (x - b); the map is the mean over samples.
// Its expectation satisfies completeness: E[sum] = F(x) - mean_b F(b); the Monte-Carlo
// standard error of the sum is reported beside it.
//
// At an intermediate layer the "input" is that layer's activation A(x), the backgrounds are
// A(b), and F is the rest of the network from the layer on (the layer must cut the graph),
// so the map is `[K, h, w]` and completeness holds for the same F.
public import Engine

extension Explainer {
  /// Expected-gradient maps, one per target (`.top(k)` gives SHAP's ranked outputs).
  /// - Parameters:
  ///   - background: reference images `[B, C, H, W]` in the model's input space.
  ///   - layer: explain at this layer instead of the input (nil: the input).
  ///   - samples: Monte-Carlo samples (one gradient evaluation each, batched).
  ///   - seed: seeds the background and alpha draws.
  public func expectedGradients(
    _ input: Tensor, targets selection: TargetSelection, background: Tensor, layer: String? = nil,
    samples: Int = 200, seed: UInt64 = 0, control: RunControl = RunControl()
  ) throws -> [AttributionMap] {
    let shape = try imageShape(input)
    guard background.rank == 4, background.shape[0] >= 1,
      Array(background.shape.dropFirst()) == shape
    else {
      throw AttributionError.badInput(
        "the background must be [B, \(shape.map(String.init).joined(separator: ", "))], "
          + "got \(background.shape)"
      )
    }
    guard samples >= 2 else {
      throw AttributionError.badParameter("samples", "must be at least 2, got \(samples)")
    }
    let explained = try layer.map { try model.tail(from: $0) } ?? model
    let meter = CostMeter()
    let keep: Set<String> = layer.map { [$0] } ?? []
    let first = try firstPass(input, selection, keeping: keep, meter: meter, control: control)
    let x = try layer.map { try model.layerTensor(first.evaluation, $0).storage } ?? input.storage
    let (references, backgroundScores) = try backgroundPass(
      background, layer: layer, targets: first.targets, meter: meter, control: control)
    let n = x.count
    let space =
      layer == nil
      ? shape : Array(try model.layerTensor(first.evaluation, layer!).shape.dropFirst())

    var generator = SplitMix64(seed: seed)
    let draws = (0..<samples).map { _ in
      (generator.nextIndex(below: references.count), Float(generator.nextUnit()))
    }
    var sums = first.targets.map { _ in [Double](repeating: 0, count: n) }
    var totals = first.targets.map { _ in [Double](repeating: 0, count: samples) }
    try forEachGradient(
      of: explained, count: samples, itemShape: space, targets: first.targets, meter: meter,
      control: control,
      build: { s, row in
        let (b, alpha) = draws[s]
        let reference = references[b]
        for j in 0..<n { row[j] = reference[j] + alpha * (x[j] - reference[j]) }
      },
      consume: { s, t, gradient, _ in
        let reference = references[draws[s].0]
        var total = 0.0
        for j in 0..<n {
          let contribution = Double(gradient[j]) * Double(x[j] - reference[j])
          sums[t][j] += contribution
          total += contribution
        }
        totals[t][s] = total
      })
    let maps = first.targets.enumerated().map { t, target in
      let mean = totals[t].reduce(0, +) / Double(samples)
      let variance = totals[t].reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples - 1)
      var map = AttributionMap(
        method: "shap",
        values: Tensor(shape: space, storage: sums[t].map { Float($0 / Double(samples)) }),
        target: target, layer: layer, seed: seed)
      map.score = target.value(logits: first.logits)
      map.completeness = Completeness(
        attributionSum: mean, scoreDifference: map.score! - backgroundScores[t],
        standardError: (variance / Double(samples)).squareRoot())
      return map
    }
    return stamped(maps, meter)
  }

  /// The backgrounds in the explained space (the input, or the layer's activations) and each
  /// target's mean score over them.
  private func backgroundPass(
    _ background: Tensor, layer: String?, targets: [Target], meter: CostMeter, control: RunControl
  ) throws -> ([[Float]], [Double]) {
    let count = background.shape[0]
    let elements = background.count / count
    let size = batching.size(itemElements: elements, backward: false)
    var references: [[Float]] = []
    var scores = [Double](repeating: 0, count: targets.count)
    var start = 0
    while start < count {
      try control.check()
      let rows = min(size, count - start)
      let batch = Tensor(
        shape: [rows] + background.shape.dropFirst(),
        storage: Array(background.storage[(start * elements)..<((start + rows) * elements)]))
      let (evaluation, logits) = try model.run(
        batch, keeping: layer.map { [$0] } ?? [], meter: meter, control: control)
      let space = try layer.map { try model.layerTensor(evaluation, $0) } ?? batch
      let per = space.count / rows
      for r in 0..<rows {
        references.append(Array(space.storage[(r * per)..<((r + 1) * per)]))
        for (t, target) in targets.enumerated() {
          scores[t] += target.value(logits: row(logits, r)) / Double(count)
        }
      }
      start += rows
    }
    return (references, scores)
  }
}
