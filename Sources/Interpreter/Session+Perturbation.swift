// `occlusion` and `rise`: maps from the scores of perturbed copies of the image.
import Attribution
import Engine
import Imaging

extension Session {
  /// `occlusion patch= stride= baseline=`: the score drop as a patch hides each region.
  func occlusion(_ run: inout CommandRun) throws {
    let setup = try explanationSetup(run)
    let patch = run.integer("patch") ?? 32
    let stride = run.integer("stride") ?? 16
    let baselineName = run.value("baseline")?.text ?? "zero"
    let baseline = Self.baseline(run.value("baseline"), model: setup.model)
    let progress = self.progress("occlusion", unit: "windows", run: run)
    let maps = try withProgress(progress) {
      try setup.model.explainer.occlusion(
        setup.input, targets: setup.targets, patch: (patch, patch), stride: (stride, stride),
        baseline: baseline, control: progress.control)
    }
    let (h, w) = setup.model.classifier.inputSize
    try present(
      &run, name: "occlusion", method: "occlusion", setup: setup, maps: maps,
      pictures: maps.map { Self.pixelAverage($0, height: h, width: w) },
      style: MapStyle(normalization: .minMax, colormap: setup.colormap, blend: .alpha(setup.alpha)),
      details: ["patch \(patch) stride \(stride) \(baselineName)"], progress: progress)
  }

  /// Occlusion on input pixels: each pixel gets the mean drop of the windows covering it.
  static func pixelAverage(_ map: AttributionMap, height: Int, width: Int) -> ScalarMap {
    guard let grid = map.patches else { return Rendering.scalarMap(map.values) }
    var sums = [Float](repeating: 0, count: height * width)
    var counts = [Float](repeating: 0, count: height * width)
    let columns = grid.columnOrigins.count
    for (i, top) in grid.rowOrigins.enumerated() {
      for (j, left) in grid.columnOrigins.enumerated() {
        let drop = map.values.storage[i * columns + j]
        for y in top..<min(height, top + grid.patchHeight) {
          for x in left..<min(width, left + grid.patchWidth) {
            sums[y * width + x] += drop
            counts[y * width + x] += 1
          }
        }
      }
    }
    let values = zip(sums, counts).map { $1 > 0 ? $0 / $1 : 0 }
    return ScalarMap(width: width, height: height, values: values)
  }

  /// `rise masks= seed=`: random masks weighted by the masked image's score.
  func rise(_ run: inout CommandRun) throws {
    let setup = try explanationSetup(run)
    let masks = run.integer("masks") ?? 2000
    let seed = run.integer("seed") ?? run.state.settings.seed
    let progress = self.progress("rise", unit: "masks", run: run)
    let maps = try withProgress(progress) {
      try setup.model.explainer.rise(
        setup.input, targets: setup.targets, masks: masks, seed: UInt64(seed),
        control: progress.control)
    }
    try present(
      &run, name: "rise", method: "rise", setup: setup, maps: maps,
      pictures: maps.map { Rendering.scalarMap($0.values) },
      style: MapStyle(normalization: .minMax, colormap: setup.colormap, blend: .alpha(setup.alpha)),
      details: ["\(masks) masks", "seed \(seed)"], progress: progress)
  }
}
