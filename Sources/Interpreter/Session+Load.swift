// `load` and `reset`: the model, and forgetting everything.
import Attribution
import CommandLanguage
import Foundation
import ModelZoo

extension Session {
  /// `load [NAME|PATH] preprocess= labels= size=`: loads a classifier and makes it current.
  func load(_ run: inout CommandRun) throws {
    for unsupported in ["weights", "include_top"] where run.value(unsupported) != nil {
      let keepsTop = unsupported == "include_top" && run.text(unsupported) == "yes"
      if !keepsTop {
        throw run.error(
          "\(unsupported)= is not supported yet", at: run.range(of: unsupported),
          label: "models load with their own weights and head")
      }
    }
    let assets = try requireAssets(run)
    let positional = run.positional(0)
    var nameOrPath: String?
    if let positional, let typed = positional.value.text {
      nameOrPath = try modelReference(typed, run: run, at: positional.range)
    }
    let preprocessing = try run.text("preprocess").map { try Preprocessing.named($0) }
    let labels = run.text("labels").map {
      URL(fileURLWithPath: run.resolvedPath($0, directory: directory))
    }
    let start = Date()
    let classifier: Classifier
    do {
      classifier = try ModelCatalog.load(
        nameOrPath, preprocessing: preprocessing, labels: labels, assets: assets)
    } catch let error as ModelZooError {
      if case .unreadableLabels = error {
        throw run.error(Self.describe(error), at: run.range(of: "labels"))
      }
      throw run.error(Self.describe(error), at: positional?.range ?? run.command.verbRange)
    } catch let error as ClassLabelsError {
      throw run.error(Self.describe(error), at: run.range(of: "labels"))
    } catch {
      throw run.error(Self.describe(error), at: positional?.range ?? run.command.verbRange)
    }
    if let size = run.integer("size"),
      size != classifier.inputSize.height || size != classifier.inputSize.width
    {
      let (h, w) = classifier.inputSize
      throw run.error(
        "this model's input is fixed at \(w)x\(h)",
        at: run.range(of: "size"), label: "size= applies to models that do not fix it")
    }
    let seconds = Date().timeIntervalSince(start)
    run.state.model = LoadedModel(classifier: classifier, loadSeconds: seconds)
    run.state.results = [:]
    run.state.lastResult = nil
    run.say(Self.loadReport(classifier, seconds: seconds))
  }

  /// `name (input 224x224, preprocessing lite, 4,652,008 parameters, 1000 classes) in 0.21 s`.
  static func loadReport(_ classifier: Classifier, seconds: Double) -> String {
    let (h, w) = classifier.inputSize
    let parameters = grouped(classifier.network.parameterCount)
    let time = String(format: "%.2f", seconds)
    return "loaded \(classifier.name): input \(w)x\(h), preprocessing "
      + "\(classifier.preprocessing.name), \(parameters) parameters, "
      + "\(classifier.labels.count) classes, in \(time) s"
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
