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

  @Option(help: "A model name (efficientnet-lite0) or a path to an .onnx file. Default: the embedded model.")
  var model: String?

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
      let classifier = try ModelCatalog.load(
        model, preprocessing: preprocessing, labels: labels.map { URL(fileURLWithPath: $0) },
        assets: assets)
      let path = assets.photo(named: image)?.path ?? image
      let picture = try Image(contentsOfFile: path)
      let ranked = try classifier.predict(picture, top: min(top, classifier.labels.count))
      print(PredictionTable(ranked).text)
    }
  }
}
