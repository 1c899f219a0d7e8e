// RISE (Petsiuk et al. 2018, arXiv:1806.07421): score the image under many random masks and
// average the masks weighted by the scores.
//
// Mask i: an s x s grid of cells, each kept with probability p; upsampled bilinearly to
// (s + 1) cells of ceil(H/s) x ceil(W/s) pixels, shifted by a random offset within one cell
// and cropped to H x W, so mask edges fall anywhere. The masked image is
// M * x + (1 - M) * baseline (baseline 0 gives the paper's M * x). The map is
// sum_i score_i M_i / (N p), `[H, W]`.
public import Engine

extension Explainer {
  /// RISE maps `[H, W]`, one per target; masks drawn from `seed`, batched forward passes.
  public func rise(
    _ input: Tensor, targets selection: TargetSelection, masks: Int = 2000, gridSize: Int = 7,
    keepProbability: Double = 0.5, baseline: Baseline = .value(0), seed: UInt64 = 0,
    control: RunControl = RunControl()
  ) throws -> [AttributionMap] {
    guard masks >= 1 else {
      throw AttributionError.badParameter("masks", "must be at least 1, got \(masks)")
    }
    guard gridSize >= 1 else {
      throw AttributionError.badParameter("grid", "must be at least 1, got \(gridSize)")
    }
    guard keepProbability > 0, keepProbability <= 1 else {
      throw AttributionError.badParameter(
        "p", "keep probability must be in (0, 1], got \(keepProbability)")
    }
    let meter = CostMeter()
    let shape = try imageShape(input)
    let (c, h, w) = (shape[0], shape[1], shape[2])
    let first = try firstPass(input, selection, meter: meter, control: control)
    let fill = try baseline.tensor(for: input).storage
    var generator = SplitMix64(seed: seed)
    var pending: [Int: [Float]] = [:]
    var sums = first.targets.map { _ in [Double](repeating: 0, count: h * w) }
    try forEachScore(
      count: masks, itemShape: shape, meter: meter, control: control,
      build: { i, row in
        let mask = randomMask(
          height: h, width: w, grid: gridSize, keep: keepProbability, &generator)
        pending[i] = mask
        for channel in 0..<c {
          for j in 0..<(h * w) {
            let k = channel * h * w + j
            row[k] = mask[j] * input.storage[k] + (1 - mask[j]) * fill[k]
          }
        }
      },
      consume: { i, logits in
        let mask = pending.removeValue(forKey: i)!
        for (t, target) in first.targets.enumerated() {
          let score = target.value(logits: logits)
          for j in 0..<(h * w) { sums[t][j] += score * Double(mask[j]) }
        }
      })
    let scale = 1 / (Double(masks) * keepProbability)
    let maps = zip(first.targets, sums).map { target, sum in
      var map = AttributionMap(
        method: "rise", values: Tensor(shape: [h, w], storage: sum.map { Float($0 * scale) }),
        target: target,
        seed: seed)
      map.score = target.value(logits: first.logits)
      return map
    }
    return stamped(maps, meter)
  }
}

/// One RISE mask `[H, W]` with values in [0, 1] (see the file header).
func randomMask(
  height h: Int, width w: Int, grid s: Int, keep p: Double, _ generator: inout SplitMix64
) -> [Float] {
  let cells = (0..<(s * s)).map { _ in generator.nextUnit() < p ? Float(1) : 0 }
  let cellH = (h + s - 1) / s
  let cellW = (w + s - 1) / s
  let bigH = (s + 1) * cellH
  let bigW = (s + 1) * cellW
  let up = resizeBilinear(cells, height: s, width: s, toHeight: bigH, width: bigW)
  let dy = generator.nextIndex(below: cellH)
  let dx = generator.nextIndex(below: cellW)
  var mask = [Float](repeating: 0, count: h * w)
  for y in 0..<h {
    for x in 0..<w { mask[y * w + x] = up[(y + dy) * bigW + x + dx] }
  }
  return mask
}
