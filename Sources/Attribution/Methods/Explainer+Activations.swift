// Class-agnostic views of a layer: Eigen-CAM and the activation grid.
//
// Eigen-CAM (Muhammad and Yeasin 2020, arXiv:2008.00299): the projection of the layer's
// activations on their first principal component. With M the [h*w, K] matrix of positions x
// channels, centred per channel, the projection M v1 (v1 the top right-singular vector)
// equals sqrt(lambda1) u1, u1 the top eigenvector of the small Gram matrix M M^T [h*w, h*w],
// found here by power iteration in Double. A principal component's sign is arbitrary; it is
// fixed so the map correlates positively with the channel-summed activations (where the layer
// fires is positive), or, when that correlation is 0, so its largest-magnitude value is positive.
public import Engine
import Network

/// The order of the maps in an activation grid.
public enum ChannelOrder: String, Sendable, CaseIterable {
  /// Largest mean activation first (ties by index).
  case meanDescending = "mean"
  /// Channel index order.
  case index
}

extension Explainer {
  /// Eigen-CAM of `layer`: a signed `[h, w]` map, the same for every class.
  public func eigenCAM(_ input: Tensor, layer: String, control: RunControl = RunControl()) throws
    -> AttributionMap
  {
    let meter = CostMeter()
    let a = try activations(input, layer: layer, meter: meter, control: control)
    let k = a.shape[1]
    let h = a.shape[2]
    let w = a.shape[3]
    let projection = firstPrincipalProjection(a.storage, channels: k, positions: h * w)
    var map = AttributionMap(
      method: "eigencam", values: Tensor(shape: [h, w], storage: projection.map { Float($0) }),
      layer: layer)
    map.cost = meter.cost
    return map
  }

  /// The feature maps of `layer` as `[k, h, w]`, raw or min-max normalised per map.
  /// - Parameters:
  ///   - count: how many channels to keep (nil: all), after ordering.
  ///   - order: ranking by mean activation (largest first) or by index.
  ///   - normaliseEach: scale each map to [0, 1] on its own (constant maps become 0).
  public func activationGrid(
    _ input: Tensor, layer: String, count: Int? = nil, order: ChannelOrder = .meanDescending,
    normaliseEach: Bool = false, control: RunControl = RunControl()
  ) throws -> AttributionMap {
    if let count, count < 1 {
      throw AttributionError.badParameter("channels", "must be at least 1, got \(count)")
    }
    let meter = CostMeter()
    let a = try activations(input, layer: layer, meter: meter, control: control)
    let k = a.shape[1]
    let h = a.shape[2]
    let w = a.shape[3]
    let plane = h * w
    let means = (0..<k).map { c in
      a.storage[(c * plane)..<((c + 1) * plane)].reduce(0, +) / Float(plane)
    }
    var chosen = Array(0..<k)
    if order == .meanDescending {
      chosen.sort { means[$0] > means[$1] || (means[$0] == means[$1] && $0 < $1) }
    }
    chosen = Array(chosen.prefix(count ?? k))
    var values: [Float] = []
    values.reserveCapacity(chosen.count * plane)
    for c in chosen {
      let tile = Array(a.storage[(c * plane)..<((c + 1) * plane)])
      values += normaliseEach ? minMaxNormalised(tile) : tile
    }
    var map = AttributionMap(
      method: "activations", values: Tensor(shape: [chosen.count, h, w], storage: values),
      layer: layer)
    map.channels = chosen
    map.channelWeights = chosen.map { means[$0] }
    map.cost = meter.cost
    return map
  }

  /// The layer's activations `[1, K, h, w]` for one image.
  func activations(_ input: Tensor, layer: String, meter: CostMeter, control: RunControl) throws
    -> Tensor
  {
    _ = try imageShape(input)
    guard model.network.isValueName(layer) else {
      throw AttributionError.badLayer(layer, "no such value in the network")
    }
    // A plain forward pass: activations need no class scores, so a headless model (a Keras
    // model loaded without its top) can show them too.
    let evaluation = try model.network.forward(
      [model.inputName: .float(input)], keeping: [layer], cancellation: control.cancellation)
    meter.forwardPasses += 1
    meter.imagesEvaluated += input.shape[0]
    return try model.layerTensor(evaluation, layer)
  }
}

/// Eigen-CAM's core: `[K, positions]` activations (channel-major) projected on their first
/// principal component, sign-fixed as the file header says.
public func firstPrincipalProjection(_ a: [Float], channels k: Int, positions n: Int) -> [Double] {
  // M[p, c] = A[c, p] - mean_p A[c, p]
  var m = [Double](repeating: 0, count: n * k)  // [n, k]
  for c in 0..<k {
    let mean = (0..<n).reduce(0.0) { $0 + Double(a[c * n + $1]) } / Double(n)
    for p in 0..<n { m[p * k + c] = Double(a[c * n + p]) - mean }
  }
  var gram = [Double](repeating: 0, count: n * n)  // [n, n] = M M^T
  m.withUnsafeBufferPointer { mp in
    for p in 0..<n {
      for q in p..<n {
        var dot = 0.0
        for c in 0..<k { dot += mp[p * k + c] * mp[q * k + c] }
        gram[p * n + q] = dot
        gram[q * n + p] = dot
      }
    }
  }
  let (vector, value) = topEigenpair(gram, size: n)
  var projection = vector.map { $0 * max(0, value).squareRoot() }
  // Sign: correlate positively with the channel-summed activations.
  let total = (0..<n).map { p in (0..<k).reduce(0.0) { $0 + m[p * k + $1] } }
  var correlation = zip(projection, total).reduce(0.0) { $0 + $1.0 * $1.1 }
  if abs(correlation) < 1e-12 * max(1, projection.reduce(0) { $0 + abs($1) }) {
    correlation = projection.max { abs($0) < abs($1) } ?? 0
  }
  if correlation < 0 { projection = projection.map { -$0 } }
  return projection
}

/// The largest eigenvalue of a symmetric positive semi-definite matrix and a unit eigenvector,
/// by power iteration from a fixed pseudo-random start.
func topEigenpair(_ matrix: [Double], size n: Int) -> (vector: [Double], value: Double) {
  var generator = SplitMix64(seed: 0x5EED)
  var v = (0..<n).map { _ in generator.nextUnit() + 0.5 }
  var value = 0.0
  for _ in 0..<2_000 {
    var next = [Double](repeating: 0, count: n)
    for i in 0..<n {
      var dot = 0.0
      for j in 0..<n { dot += matrix[i * n + j] * v[j] }
      next[i] = dot
    }
    let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
    guard norm > 0 else { return (v.map { _ in 0 }, 0) }
    next = next.map { $0 / norm }
    let change = zip(next, v).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
    v = next
    value = norm
    if change < 1e-11 { break }
  }
  return (v, value)
}
