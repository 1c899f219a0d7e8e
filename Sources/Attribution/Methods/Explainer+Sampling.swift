// The batched engine behind IG and SmoothGrad: every (sample, step) point of every noisy copy
// is one row of a forward-and-backward batch; a sample's map is finished as soon as its last
// point is back, so memory holds only the samples a batch spans.
import Engine

extension Explainer {
  /// `[C, H, W]` maps of `method` averaged over `samples` noisy copies of `input` (one per
  /// target, in target order). Noise is drawn sample by sample from `seed`, so the result
  /// does not depend on the batch size; with `sigma == 0` every copy equals the input.
  func sampledMaps(
    _ input: Tensor, _ targets: [Target], _ method: GradientMethod, samples: Int, sigma: Double,
    aggregation: NoiseAggregation, seed: UInt64, meter: CostMeter, control: RunControl
  ) throws -> [Tensor] {
    let shape = Array(input.shape.dropFirst())
    let state = SampleState(input: input, targets: targets.count, sigma: sigma, seed: seed)
    var reference: [Float]? = nil
    if case .integratedGradients(let baseline, _) = method {
      reference = try baseline.tensor(for: input).storage
    }
    let points = method.points
    let n = input.count
    try forEachGradient(
      of: model, count: samples * points, itemShape: shape, targets: targets, meter: meter,
      control: control,
      build: { i, row in
        let x = state.sample(i / points)
        guard let x0 = reference else {
          for j in 0..<n { row[j] = x[j] }
          return
        }
        let alpha = Float(i % points + 1) / Float(points)
        for j in 0..<n { row[j] = x0[j] + alpha * (x[j] - x0[j]) }
      },
      consume: { i, t, gradient, _ in
        let s = i / points
        state.add(gradient, sample: s, target: t)
        guard state.received(sample: s) == points * targets.count else { return }
        let x = state.sample(s)
        for t in 0..<targets.count {
          var map = state.gradientSum(sample: s, target: t)
          switch method {
          case .saliency: break
          case .gradientTimesInput: for j in 0..<n { map[j] *= Double(x[j]) }
          case .integratedGradients:
            for j in 0..<n { map[j] *= Double(x[j] - reference![j]) / Double(points) }
          }
          state.fold(map, target: t)
        }
        state.finish(sample: s)
      })
    return (0..<targets.count).map { t in
      let (sum, squares) = state.totals(target: t)
      let count = Double(samples)
      let values: [Float] = (0..<n).map { j in
        let mean = sum[j] / count
        switch aggregation {
        case .mean: return Float(mean)
        case .meanOfSquares: return Float(squares[j] / count)
        case .variance: return Float(max(0, squares[j] / count - mean * mean))
        }
      }
      return Tensor(shape: shape, storage: values)
    }
  }
}

/// Noisy copies, gradient sums and running totals of one sampled run.
private final class SampleState {
  private let input: [Float]
  private let sigma: Double
  private var generator: SplitMix64
  private var nextSample = 0
  private var copies: [Int: [Float]] = [:]
  private var sums: [Int: [[Double]]] = [:]
  private var counts: [Int: Int] = [:]
  private var total: [[Double]]
  private var totalSquares: [[Double]]

  init(input: Tensor, targets: Int, sigma: Double, seed: UInt64) {
    self.input = input.storage
    self.sigma = sigma
    generator = SplitMix64(seed: seed)
    total = Array(repeating: [Double](repeating: 0, count: input.count), count: targets)
    totalSquares = total
  }

  /// Noisy copy `s`; copies are drawn in sample order the first time they are asked for.
  func sample(_ s: Int) -> [Float] {
    if let copy = copies[s] { return copy }
    precondition(s == nextSample, "samples are drawn in order")
    nextSample += 1
    var copy = input
    if sigma > 0 {
      for j in 0..<copy.count { copy[j] += Float(sigma * generator.nextNormal()) }
    }
    copies[s] = copy
    sums[s] = Array(repeating: [Double](repeating: 0, count: input.count), count: total.count)
    return copy
  }

  func add(_ gradient: UnsafePointer<Float>, sample s: Int, target t: Int) {
    sums[s]![t].withUnsafeMutableBufferPointer { sum in
      let p = sum.baseAddress!
      for j in 0..<sum.count { p[j] += Double(gradient[j]) }
    }
    counts[s, default: 0] += 1
  }

  func received(sample s: Int) -> Int { counts[s] ?? 0 }
  func gradientSum(sample s: Int, target t: Int) -> [Double] { sums[s]![t] }

  func fold(_ map: [Double], target t: Int) {
    for j in 0..<map.count {
      total[t][j] += map[j]
      totalSquares[t][j] += map[j] * map[j]
    }
  }

  func finish(sample s: Int) {
    copies[s] = nil
    sums[s] = nil
    counts[s] = nil
  }

  func totals(target t: Int) -> ([Double], [Double]) { (total[t], totalSquares[t]) }
}
