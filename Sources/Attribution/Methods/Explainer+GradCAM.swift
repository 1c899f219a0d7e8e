// Gradient-weighted class activation maps on a 4-D layer [N, K, h, w].
//
// With A the layer's activations [K, h, w] (batch 0) and G = d score / d A:
//   Grad-CAM   (Selvaraju et al. 2017, arXiv:1610.02391): alpha_k = mean_ij G[k,i,j];
//              cam = max(0, sum_k alpha_k A[k])
//   Grad-CAM++ (Chattopadhay et al. 2018, arXiv:1710.11063), closed form for an
//              exponential score: a[k,i,j] = G^2 / (2 G^2 + (sum_ab A[k,a,b]) G^3) (0 where
//              the denominator is 0); w_k = sum_ij a[k,i,j] max(0, G[k,i,j]);
//              cam = max(0, sum_k w_k A[k])
//   HiResCAM   (Draelos and Carin 2020, arXiv:2011.08891): cam = max(0, sum_k G[k] * A[k])
//   XGrad-CAM  (Fu et al. 2020, arXiv:2008.02312): w_k = sum_ij G A / (sum_ij A + 1e-7);
//              cam = max(0, sum_k w_k A[k])
//   LayerCAM   (Jiang et al. 2021): cam = max(0, sum_k max(0, G[k]) * A[k])
//   tf-explain (its GradCAM.generate_ncam, v0.3): guided gradients g = G * [A > 0] * [G > 0];
//              w_k = mean_ij g[k,i,j]; cam = sum_k w_k A[k], NO ReLU (the library normalises the
//              signed map to [0, 1] for display). Used by `preset=tfexplain`, with a probability
//              target as tf-explain's Keras models output softmax scores.
// Maps stay on the layer's grid, unnormalised; upsampling and colouring are display steps.
public import Engine
import Network

/// A gradient-based CAM variant.
public enum CAMVariant: String, Sendable, CaseIterable {
  case gradCAM = "gradcam"
  case gradCAMPlusPlus = "gradcam++"
  case hiResCAM = "hirescam"
  case xGradCAM = "xgradcam"
  case layerCAM = "layercam"
  /// tf-explain's convention: guided gradient mask, spatial mean, no ReLU (not paper Grad-CAM).
  case tfExplain = "tfexplain"
}

extension Explainer {
  /// Grad-CAM (or a variant) of `layer` for each selected target: `[h, w]` maps, one forward
  /// pass and one backward pass per target.
  /// - Throws: ``AttributionError`` for a bad input, layer or class; ``NetworkError`` from the run.
  public func gradCAM(
    _ input: Tensor, targets selection: TargetSelection, layer: String,
    variant: CAMVariant = .gradCAM,
    control: RunControl = RunControl()
  ) throws -> [AttributionMap] {
    let meter = CostMeter()
    let perLayer = try camsPerLayer(
      input, selection, layers: [layer], variant: variant, meter: meter, control: control)
    return stamped(perLayer[0], meter)
  }

  /// CAMs of several layers fused: each layer's map is min-max normalised, resized
  /// (bilinear) to the largest layer grid, and the maps are averaged. One forward pass and
  /// one backward pass per target serve every layer.
  public func fusedCAM(
    _ input: Tensor, targets selection: TargetSelection, layers: [String],
    variant: CAMVariant = .gradCAM,
    control: RunControl = RunControl()
  ) throws -> [AttributionMap] {
    guard !layers.isEmpty else { throw AttributionError.badParameter("layer", "no layer given") }
    let meter = CostMeter()
    let perLayer = try camsPerLayer(
      input, selection, layers: layers, variant: variant, meter: meter, control: control)
    let largest = perLayer.map { $0[0].gridSize }.max {
      $0.height * $0.width < $1.height * $1.width
    }!
    return perLayer[0].indices.map { t in
      var fused = [Float](repeating: 0, count: largest.height * largest.width)
      for maps in perLayer {
        let (h, w) = maps[t].gridSize
        let resized = resizeBilinear(
          minMaxNormalised(maps[t].values.storage), height: h, width: w, toHeight: largest.height,
          width: largest.width)
        for i in fused.indices { fused[i] += resized[i] / Float(layers.count) }
      }
      var map = AttributionMap(
        method: variant.rawValue,
        values: Tensor(shape: [largest.height, largest.width], storage: fused),
        target: perLayer[0][t].target, layer: layers.joined(separator: ","), cost: meter.cost)
      map.score = perLayer[0][t].score
      return map
    }
  }

  /// For each layer, one map per target.
  private func camsPerLayer(
    _ input: Tensor, _ selection: TargetSelection, layers: [String], variant: CAMVariant,
    meter: CostMeter,
    control: RunControl
  ) throws -> [[AttributionMap]] {
    for layer in layers where !model.network.isValueName(layer) {
      throw AttributionError.badLayer(layer, "no such value in the network")
    }
    let names = Set(layers)
    let first = try firstPass(
      input, selection, keeping: names, gradientsFor: names, meter: meter, control: control)
    let activations = try layers.map { try model.layerTensor(first.evaluation, $0) }
    var maps = layers.map { _ in [AttributionMap]() }
    let logits = Tensor(shape: [1, first.logits.count], storage: Array(first.logits))
    for target in first.targets {
      let gradients = try model.gradients(
        first.evaluation, logits: logits, target: target, meter: meter, control: control)
      for (l, layer) in layers.enumerated() {
        let (cam, weights) = classActivationMap(activations[l], gradients[layer]!, variant)
        var map = AttributionMap(
          method: variant.rawValue, values: cam, target: target, layer: layer)
        map.channelWeights = weights
        map.score = target.value(logits: first.logits)
        maps[l].append(map)
      }
    }
    return maps
  }
}

/// One CAM from a layer's activations and gradients `[1, K, h, w]` (batch 0 is used):
/// the `[h, w]` map and, for the weighted variants, the channel weights.
public func classActivationMap(_ activations: Tensor, _ gradients: Tensor, _ variant: CAMVariant)
  -> (Tensor, [Float]?)
{
  precondition(
    activations.rank == 4 && activations.shape == gradients.shape,
    "A \(activations.shape) vs G \(gradients.shape)")
  let k = activations.shape[1]
  let h = activations.shape[2]
  let w = activations.shape[3]
  let plane = h * w
  let a = activations.storage
  let g = gradients.storage
  var weights: [Double]? = nil
  var cam = [Double](repeating: 0, count: plane)
  switch variant {
  case .gradCAM, .gradCAMPlusPlus, .xGradCAM, .tfExplain:
    weights = (0..<k).map { c in channelWeight(a, g, channel: c, plane: plane, variant) }
    for c in 0..<k where weights![c] != 0 {
      for i in 0..<plane { cam[i] += weights![c] * Double(a[c * plane + i]) }
    }
  case .hiResCAM, .layerCAM:
    for c in 0..<k {
      for i in 0..<plane {
        let gradient = variant == .layerCAM ? max(0, g[c * plane + i]) : g[c * plane + i]
        cam[i] += Double(gradient) * Double(a[c * plane + i])
      }
    }
  }
  let rectify = variant != .tfExplain
  let map = Tensor(shape: [h, w], storage: cam.map { Float(rectify ? max(0, $0) : $0) })
  return (map, weights?.map { Float($0) })
}

/// The weight of channel `c` for the weighted CAM variants.
private func channelWeight(
  _ a: [Float], _ g: [Float], channel c: Int, plane: Int, _ variant: CAMVariant
) -> Double {
  let range = (c * plane)..<((c + 1) * plane)
  switch variant {
  case .gradCAM:
    return range.reduce(0.0) { $0 + Double(g[$1]) } / Double(plane)
  case .tfExplain:
    return range.reduce(0.0) { $0 + (a[$1] > 0 && g[$1] > 0 ? Double(g[$1]) : 0) } / Double(plane)
  case .xGradCAM:
    let sumA = range.reduce(0.0) { $0 + Double(a[$1]) }
    return range.reduce(0.0) { $0 + Double(g[$1]) * Double(a[$1]) } / (sumA + 1e-7)
  case .gradCAMPlusPlus:
    let sumA = range.reduce(0.0) { $0 + Double(a[$1]) }
    var weight = 0.0
    for i in range where g[i] > 0 {
      let g1 = Double(g[i])
      let g2 = g1 * g1
      let denominator = 2 * g2 + sumA * g2 * g1
      if denominator != 0 { weight += g2 / denominator * g1 }
    }
    return weight
  case .hiResCAM, .layerCAM:
    preconditionFailure("\(variant) has no channel weights")
  }
}
