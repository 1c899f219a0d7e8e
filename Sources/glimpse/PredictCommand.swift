// `glimpse predict IMAGE`: the top classes of one photo, as a table.
import ArgumentParser
import Attribution
import Foundation
import Imaging
import ModelZoo

/// Classifies one image and prints the top-K table.
struct PredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict", abstract: "Print the top classes a model predicts for an image.")

  @Argument(help: "A JPEG or PNG file, or the name of a bundled photo (e.g. chelsea).")
  var image: String

  @Option(help: "A model name (efficientnet-lite0, vgg16, xception) or a path to an .onnx file. Default: the embedded model.")
  var model: String?

  @Option(help: "A Keras weights file for vgg16 or xception, or random for seeded random weights. Default: the model's own (Keras' file from the Keras cache, or downloaded).")
  var weights: String?

  @Option(help: "The seed of --weights random.")
  var seed: UInt64 = 0

  @Option(help: "Input preprocessing: lite, caffe, tf or torch. Required for a model file Glimpse does not know.")
  var preprocess: String?

  @Option(help: "A class list (index<TAB>wnid<TAB>name per line, or one name per line).")
  var labels: String?

  @Option(help: "How many classes to show.")
  var top: Int = 5

  func run() throws {
    try reportingErrors {
      guard top >= 1 else { throw ValidationError("--top must be at least 1") }
      let assets = try BundledAssets.locate()
      let preprocessing = try preprocess.map { try Preprocessing.named($0) }
      var options = ModelCatalog.LoadOptions()
      options.preprocessing = preprocessing
      options.labels = labels.map { URL(fileURLWithPath: $0) }
      switch weights {
      case nil: break
      case "random": options.weights = .random(seed: seed)
      case let path?: options.weights = .file(path)
      }
      let classifier = try ModelCatalog.load(model, options: options, assets: assets)
      if let seed = classifier.randomWeightsSeed {
        print("UNTRAINED \(classifier.name): random weights, seed \(seed)")
      }
      let path = assets.photo(named: image)?.path ?? image
      let picture = try Image(contentsOfFile: path)
      let ranked = try classifier.predict(picture, top: min(top, classifier.labels.count))
      print(PredictionTable(ranked).text)
    }
  }
}
