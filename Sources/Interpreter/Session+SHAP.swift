// `shap`: expected gradients against background images, drawn in SHAP's image-plot layout.
import Attribution
import CommandLanguage
import Engine
import Foundation
import Imaging

extension Session {
  /// `shap layer= background= samples= top= seed=`: SHAP values by expected gradients; the
  /// photo, then one red/blue panel per ranked class over a faded copy, and a colour bar.
  func shap(_ run: inout CommandRun) throws {
    let setup = try explanationSetup(run, defaultTop: 2)
    let model = setup.model
    var layer: String?
    if let typed = run.text("layer"), typed != "input" {
      let entries = try model.layers.entries(cancellation: run.cancellation)
      layer = try NameResolver.layer(typed, in: entries, fourD: true, at: run.range(of: "layer"))
    }
    let background = try backgroundTensor(run, model: model)
    let samples = run.integer("samples") ?? 200
    let seed = run.integer("seed") ?? run.state.settings.seed
    let progress = self.progress("shap", unit: "samples", run: run)
    let maps: [AttributionMap]
    do {
      maps = try withProgress(progress) {
        try model.explainer.expectedGradients(
          setup.input, targets: setup.targets, background: background, layer: layer,
          samples: samples, seed: UInt64(seed), control: progress.control)
      }
    } catch let error as AttributionError {
      throw run.error(Self.describe(error), at: run.range(of: "layer"))
    }
    // SHAP's image plot sums the attributions over channels (signed).
    let rows = [
      SHAPRow(
        photo: setup.display,
        classes: maps.map { map in
          CaptionedMap(
            map.target.map { shapCaption($0.classIndex, setup) } ?? "",
            Rendering.scalarMap(reduceChannels(map.values, .sum)))
        })
    ]
    let picture = Layout.shap(rows)
    let targets = maps.map { setup.describe($0.target) }.joined(separator: "; ")
    let caption = [
      "shap (expected gradients)", targets, "layer \(layer.map(model.layers.displayName) ?? "input")",
      "\(background.shape[0]) backgrounds", "\(samples) samples", "seed \(seed)",
      maps.first.map { costText($0.cost) } ?? "",
    ].joined(separator: " | ")
    try deliver(
      &run, name: "shap", maps: maps, picture: picture, caption: caption, progress: progress)
  }

  /// The background images `[B, 3, H, W]`: every JPEG and PNG of `background=` (default:
  /// the bundled photos), preprocessed like the explained image.
  private func backgroundTensor(_ run: CommandRun, model: LoadedModel) throws -> Tensor {
    let folder: String
    if let typed = run.text("background") {
      folder = run.resolvedPath(typed, directory: directory)
    } else {
      folder = try requireAssets(run).photosDirectory.path
    }
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { ["png", "jpg", "jpeg"].contains(($0 as NSString).pathExtension.lowercased()) }
      .sorted()
    guard !files.isEmpty else {
      throw run.error(
        "no JPEG or PNG images in '\(run.text("background") ?? folder)'",
        at: run.range(of: "background"))
    }
    var storage: [Float] = []
    for file in files {
      let path = (folder as NSString).appendingPathComponent(file)
      let photo: Image
      do { photo = try Image(contentsOfFile: path) } catch {
        throw run.error(Self.describe(error), at: run.range(of: "background"))
      }
      let loaded = LoadedImage(name: file, path: path, image: photo)
      storage += Self.inputTensor(model, loaded, settings: run.state.settings).storage
    }
    let (h, w) = model.classifier.inputSize
    return Tensor(shape: [files.count, 3, h, w], storage: storage)  // [B, 3, H, W]
  }
}

/// SHAP's panel title: the class name and its probability, `Egyptian_cat 0.789`.
private func shapCaption(_ index: Int, _ setup: ExplanationSetup) -> String {
  "\(setup.labels[index].name) \(format3(Double(setup.probabilities[index])))"
}
