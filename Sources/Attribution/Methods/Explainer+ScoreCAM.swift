// Score-CAM (Wang et al. 2020, arXiv:1910.01279): weight each channel of a layer by how much
// the target's softmax score rises when the image is seen only through that channel.
//
// Channel k's mask is its activation plane upsampled bilinearly to the input size and min-max
// normalised to [0, 1]; the masked image is x * mask (all input channels). The weight is
// w_k = score(x * mask_k) - score(x * 0), the increase over the fully masked image, and the
// map is max(0, sum_k w_k A[k]) on the layer's grid. Scores are read as probabilities when
// the target asks for logits (the method is defined on the softmax); a constant plane gives
// an all-zero mask, hence w_k = 0 exactly, and costs no forward pass.
public import Engine

extension Explainer {
  /// Score-CAM maps `[h, w]` of `layer`, one per target, batched forward passes.
  /// - Parameter maxChannels: evaluate only this many channels, those with the largest mean
  ///   activation (nil: every non-constant channel); the others get weight 0.
  public func scoreCAM(
    _ input: Tensor, targets selection: TargetSelection, layer: String, maxChannels: Int? = nil,
    control: RunControl = RunControl()
  ) throws -> [AttributionMap] {
    if let maxChannels, maxChannels < 1 {
      throw AttributionError.badParameter("channels", "must be at least 1, got \(maxChannels)")
    }
    guard model.network.isValueName(layer) else {
      throw AttributionError.badLayer(layer, "no such value in the network")
    }
    let meter = CostMeter()
    let shape = try imageShape(input)
    let (c, h, w) = (shape[0], shape[1], shape[2])
    let first = try firstPass(input, selection, keeping: [layer], meter: meter, control: control)
    let targets = first.targets.map { $0.score == .logit ? $0.reading(.probability) : $0 }
    let a = try model.layerTensor(first.evaluation, layer)
    let (k, lh, lw) = (a.shape[1], a.shape[2], a.shape[3])
    let plane = lh * lw
    let planes = (0..<k).map { Array(a.storage[($0 * plane)..<(($0 + 1) * plane)]) }
    var chosen = (0..<k).filter { planes[$0].min()! < planes[$0].max()! }
    if let maxChannels {
      let means = planes.map { $0.reduce(0, +) }
      chosen = Array(
        chosen.sorted { means[$0] > means[$1] || (means[$0] == means[$1] && $0 < $1) }.prefix(
          maxChannels))
    }
    let (_, zeroLogits) = try model.run(Tensor(zeros: input.shape), meter: meter, control: control)
    let floor = targets.map { $0.value(logits: row(zeroLogits, 0)) }
    var weights = targets.map { _ in [Double](repeating: 0, count: k) }
    try forEachScore(
      count: chosen.count, itemShape: shape, meter: meter, control: control,
      build: { i, row in
        let mask = minMaxNormalised(
          resizeBilinear(planes[chosen[i]], height: lh, width: lw, toHeight: h, width: w))
        for channel in 0..<c {
          for j in 0..<(h * w) {
            row[channel * h * w + j] = input.storage[channel * h * w + j] * mask[j]
          }
        }
      },
      consume: { i, logits in
        for (t, target) in targets.enumerated() {
          weights[t][chosen[i]] = target.value(logits: logits) - floor[t]
        }
      })
    let maps = targets.indices.map { t in
      var cam = [Double](repeating: 0, count: plane)
      for channel in chosen {
        for j in 0..<plane { cam[j] += weights[t][channel] * Double(planes[channel][j]) }
      }
      var map = AttributionMap(
        method: "scorecam",
        values: Tensor(shape: [lh, lw], storage: cam.map { Float(max(0, $0)) }), target: targets[t],
        layer: layer)
      map.channelWeights = weights[t].map { Float($0) }
      map.score = targets[t].value(logits: first.logits)
      return map
    }
    return stamped(maps, meter)
  }
}
