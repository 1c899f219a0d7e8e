// Occlusion (Zeiler and Fergus 2014, arXiv:1311.2901): slide a window over the image, replace
// what it covers with a baseline, and record how much the target's score drops.
//
// Window placement per axis: origins 0, stride, 2 stride, ... while the window fits; when the
// last fitting window stops short of the edge, one more window is placed flush with the edge
// (origin = size - patch), so every pixel is covered once the stride is at most the patch.
// A patch larger than the image is clamped to it. Map cell (i, j) is the window at
// (rowOrigins[i], columnOrigins[j]); its value is score(x) - score(x occluded), positive
// where the window held evidence for the target.
public import Engine

extension Explainer {
  /// Occlusion maps `[rows, columns]` on the window grid, one per target, batched forward passes.
  /// - Parameters:
  ///   - patch: window height and width in input pixels.
  ///   - stride: step between window origins.
  ///   - baseline: what replaces the covered pixels (all channels).
  public func occlusion(
    _ input: Tensor, targets selection: TargetSelection, patch: (height: Int, width: Int),
    stride: (rows: Int, columns: Int),
    baseline: Baseline = .value(0), control: RunControl = RunControl()
  ) throws -> [AttributionMap] {
    guard patch.height >= 1, patch.width >= 1 else {
      throw AttributionError.badParameter(
        "patch", "must be at least 1 pixel, got \(patch.height)x\(patch.width)")
    }
    guard stride.rows >= 1, stride.columns >= 1 else {
      throw AttributionError.badParameter(
        "stride", "must be at least 1, got \(stride.rows)x\(stride.columns)")
    }
    let meter = CostMeter()
    let shape = try imageShape(input)
    let (c, h, w) = (shape[0], shape[1], shape[2])
    let grid = PatchGrid(
      rowOrigins: windowOrigins(size: h, patch: patch.height, stride: stride.rows),
      columnOrigins: windowOrigins(size: w, patch: patch.width, stride: stride.columns),
      patchHeight: min(patch.height, h), patchWidth: min(patch.width, w))
    let first = try firstPass(input, selection, meter: meter, control: control)
    let fill = try baseline.tensor(for: input).storage
    let columns = grid.columnOrigins.count
    let count = grid.rowOrigins.count * columns
    var drops = first.targets.map { _ in [Float](repeating: 0, count: count) }
    try forEachScore(
      count: count, itemShape: shape, meter: meter, control: control,
      build: { i, row in
        for j in 0..<input.count { row[j] = input.storage[j] }
        let top = grid.rowOrigins[i / columns]
        let left = grid.columnOrigins[i % columns]
        for channel in 0..<c {
          for y in top..<(top + grid.patchHeight) {
            let base = (channel * h + y) * w
            for x in left..<(left + grid.patchWidth) { row[base + x] = fill[base + x] }
          }
        }
      },
      consume: { i, logits in
        for (t, target) in first.targets.enumerated() {
          drops[t][i] = Float(target.value(logits: first.logits) - target.value(logits: logits))
        }
      })
    let maps = zip(first.targets, drops).map { target, values in
      var map = AttributionMap(
        method: "occlusion",
        values: Tensor(shape: [grid.rowOrigins.count, columns], storage: values), target: target)
      map.patches = grid
      map.score = target.value(logits: first.logits)
      return map
    }
    return stamped(maps, meter)
  }
}

/// Window origins along one axis (see the file header).
public func windowOrigins(size: Int, patch: Int, stride: Int) -> [Int] {
  let window = min(patch, size)
  var origins = Array(Swift.stride(from: 0, through: size - window, by: stride))
  if let last = origins.last, last + window < size { origins.append(size - window) }
  return origins
}
