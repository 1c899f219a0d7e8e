// `load` and `reset`: the model, and forgetting everything.
import Attribution
import CommandLanguage
import Foundation
import KerasImport
import ModelZoo

extension Session {
  /// `load [NAME|PATH] weights= seed= include_top= preprocess= labels= size=`: loads a
  /// classifier and makes it current.
  func load(_ run: inout CommandRun) throws {
    let assets = try requireAssets(run)
    let positional = run.positional(0)
    var nameOrPath: String?
    if let positional, let typed = positional.value.text {
      nameOrPath = try modelReference(typed, run: run, at: positional.range)
    }
    let entry = ModelCatalog.entry(named: nameOrPath ?? ModelCatalog.defaultModelName)
    var options = ModelCatalog.LoadOptions()
    options.preprocessing = try run.text("preprocess").map { try Preprocessing.named($0) }
    options.labels = run.text("labels").map {
      URL(fileURLWithPath: run.resolvedPath($0, directory: directory))
    }
    options.weights = try weightsChoice(run)
    options.includeTop = run.flag("include_top", default: true)
    let isKeras: Bool
    if case .keras = entry?.source { isKeras = true } else { isKeras = false }
    if !options.includeTop && !isKeras {
      throw run.error(
        "include_top=no applies to the Keras models (vgg16, xception)",
        at: run.range(of: "include_top"), label: "other models load whole")
    }
    // Keras models check their size before any weights are read or downloaded.
    if isKeras { options.inputSize = run.integer("size") }
    let start = Date()
    let download = DownloadDisplay(sink: run.sink, interval: progressInterval)
    options.downloadProgress = { file, received, total in download.update(file, received, total) }
    let cancellation = run.cancellation
    options.isCancelled = { cancellation.isCancelled }
    let classifier: Classifier
    do {
      classifier = try ModelCatalog.load(nameOrPath, options: options, assets: assets)
      download.finish()
    } catch {
      download.abandon()
      throw loadError(error, run: run, at: positional?.range ?? run.command.verbRange)
    }
    if let size = run.integer("size"),
      size != classifier.inputSize.height || size != classifier.inputSize.width
    {
      let (h, w) = classifier.inputSize
      // (Keras models never get here: their architecture checked the size before loading.)
      throw run.error(
        "this model's input is fixed at \(w)x\(h)",
        at: run.range(of: "size"), label: "size= applies to models that do not fix it")
    }
    let seconds = Date().timeIntervalSince(start)
    run.state.model = LoadedModel(classifier: classifier, loadSeconds: seconds)
    run.state.results = [:]
    run.state.lastResult = nil
    run.say(Self.loadReport(classifier, seconds: seconds))
    if let seed = classifier.randomWeightsSeed {
      run.emit(.display(Self.untrainedBanner(classifier.name, seed: seed), displayID: nil))
    }
  }

  /// `weights=` and `seed=` as a catalog choice.
  private func weightsChoice(_ run: CommandRun) throws(Diagnostic) -> ModelCatalog.WeightsChoice {
    guard let text = run.text("weights") else {
      if run.value("seed") != nil {
        throw run.error(
          "seed= needs weights=random", at: run.range(of: "seed"),
          label: "a seed picks random weights; the model's own weights have none")
      }
      return .standard
    }
    if text == "random" { return .random(seed: UInt64(max(0, run.integer("seed") ?? 0))) }
    let path = run.resolvedPath(text, directory: directory)
    guard FileManager.default.fileExists(atPath: path) else {
      throw run.error("no such weights file '\(text)'", at: run.range(of: "weights"))
    }
    return .file(path)
  }

  /// A load failure as a diagnostic pointing at the argument that caused it.
  private func loadError(_ error: Error, run: CommandRun, at place: SourceRange) -> Diagnostic {
    if let diagnostic = error as? Diagnostic { return diagnostic }
    if let error = error as? ModelZooError {
      switch error {
      case .unreadableLabels: return run.error(Self.describe(error), at: run.range(of: "labels"))
      case .unsupportedWeights: return run.error(Self.describe(error), at: run.range(of: "weights"))
      default: return run.error(Self.describe(error), at: place)
      }
    }
    if error is ClassLabelsError {
      return run.error(Self.describe(error), at: run.range(of: "labels"))
    }
    if let error = error as? KerasModelError {
      switch error {
      case .inputTooSmall: return run.error(Self.describe(error), at: run.range(of: "size"))
      case .topNeedsDefaultSize:
        return run.error(
          Self.describe(error), at: run.range(of: "size"),
          label: "size= applies with include_top=no")
      default: break
      }
    }
    if error is KerasFileError || error is KerasModelError {
      let at = run.value("weights") != nil ? run.range(of: "weights") : place
      return run.error(Self.describe(error), at: at)
    }
    if error is DownloadError {
      // The message says where to put the file; the label repeats that nothing was cached.
      return run.error(Self.describe(error), at: place, label: "nothing was cached")
    }
    return run.error(Self.describe(error), at: place)
  }

  /// The banner an untrained model's load shows: markdown for Jupyter, a line for terminals.
  static func untrainedBanner(_ name: String, seed: UInt64) -> MIMEBundle {
    let line =
      "UNTRAINED MODEL: \(name) has seeded random weights (seed \(seed)). Its predictions and "
      + "maps exercise the pipeline; they say nothing about what a trained \(name) sees. For "
      + "ImageNet weights: load \(name)"
    return MIMEBundle(data: [
      "text/plain": .text(line),
      "text/markdown": .text(
        "> **Untrained model.** `\(name)` has seeded random weights (seed \(seed)): its "
          + "predictions and maps exercise the pipeline, they say nothing about what a trained "
          + "\(name) sees. For the ImageNet weights, `load \(name)` (Keras' file, from the "
          + "Keras cache or downloaded)."),
    ])
  }

  /// `name (input 224x224, preprocessing lite, 4,652,008 parameters, 1000 classes) in 0.21 s`.
  static func loadReport(_ classifier: Classifier, seconds: Double) -> String {
    let (h, w) = classifier.inputSize
    let parameters = grouped(classifier.network.parameterCount)
    let time = String(format: "%.2f", seconds)
    let head =
      classifier.hasClassifierHead
      ? "\(classifier.labels.count) classes" : "no classifier head (feature maps only)"
    let untrained = classifier.randomWeightsSeed.map { ", UNTRAINED (random weights, seed \($0))" }
    let file = classifier.weightsFile.map { ", weights \($0)" } ?? ""
    return "loaded \(classifier.name): input \(w)x\(h), preprocessing "
      + "\(classifier.preprocessing.name), \(parameters) parameters, \(head)\(untrained ?? "")"
      + "\(file), in \(time) s"
  }

  /// A catalog name, or a path resolved against the session's directory.
  private func modelReference(_ name: String, run: CommandRun, at range: SourceRange)
    throws(Diagnostic) -> String
  {
    let known = ModelCatalog.entries.map(\.name)
    if known.contains(name.lowercased()) { return name.lowercased() }
    if name.hasSuffix(".onnx") || name.contains("/") {
      let path = run.resolvedPath(name, directory: directory)
      guard FileManager.default.fileExists(atPath: path) else {
        throw run.error("no such model file '\(name)'", at: range)
      }
      return path
    }
    throw Diagnostic(
      .unknownName, "unknown model '\(name)'", at: range,
      label: "give a bundled model's name or an .onnx file's path",
      suggestions: Suggestions.closest(to: name, among: known).nonEmptyOr(known))
  }

  /// The bundled assets, or an error saying they were not found.
  func requireAssets(_ run: CommandRun) throws(Diagnostic) -> BundledAssets {
    guard let assets else {
      throw run.error(
        "Glimpse's bundled assets were not found",
        label: "keep \(BundledAssets.bundleName) beside the glimpse binary or set GLIMPSE_RESOURCES"
      )
    }
    return assets
  }

  /// `reset`: no model, no images, no results, default settings.
  func reset(_ run: inout CommandRun) throws {
    run.state = SessionState()
    run.say("reset: no model, no images, no results, default settings")
  }
}

/// `4652008` as `4,652,008`.
func grouped(_ n: Int) -> String {
  let digits = Array(String(n))
  var out = ""
  for (i, d) in digits.enumerated() {
    if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
    out.append(d)
  }
  return out
}

extension Array {
  /// The array, or `fallback` when it is empty.
  func nonEmptyOr(_ fallback: [Element]) -> [Element] { isEmpty ? fallback : self }
}
