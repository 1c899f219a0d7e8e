// Models by name: the embedded default, and any ONNX file with its declared preprocessing.
public import Attribution
import Foundation
import ModelImport

/// Loads classifiers by name or path, with the preprocessing each model declares.
///
/// This table is the one place where a model's preprocessing is declared; a model file with
/// none declared needs an explicit one, never a silent default.
public enum ModelCatalog {
  /// A model Glimpse knows by name.
  public struct Entry: Sendable {
    public var name: String
    public var summary: String
    public var preprocessing: Preprocessing
  }

  /// The name `load` uses when given none.
  public static let defaultModelName = "efficientnet-lite0"

  /// Built-in models (VGG16 and Xception join with the Keras weight reader).
  public static let entries: [Entry] = [
    Entry(
      name: defaultModelName, summary: "EfficientNet-Lite0, ImageNet-1k, 224x224 (embedded)",
      preprocessing: .lite)
  ]

  /// Loads a classifier.
  /// - Parameters:
  ///   - nameOrPath: a catalog name, a path to an `.onnx` file, or nil for the default model.
  ///   - preprocessing: overrides the declared preprocessing; required for a file the
  ///     catalog does not know.
  ///   - labels: a class list file; by default the ImageNet list for 1000-class models.
  /// - Throws: ``ModelZooError``, `ModelImportError` or `ClassifierError` naming the cause.
  public static func load(
    _ nameOrPath: String? = nil, preprocessing: Preprocessing? = nil, labels: URL? = nil,
    assets: BundledAssets? = nil
  ) throws -> Classifier {
    let assets = try assets ?? BundledAssets.locate()
    let name = nameOrPath ?? defaultModelName
    let path: String
    let declared: Preprocessing?
    if let entry = entries.first(where: { $0.name == name.lowercased() }) {
      path = assets.defaultModel.path
      declared = entry.preprocessing
    } else if name.hasSuffix(".onnx") || name.contains("/") {
      path = name
      declared = nil
    } else {
      throw ModelZooError.unknownModel(name, known: entries.map(\.name))
    }
    guard let chosen = preprocessing ?? declared else {
      throw ModelZooError.missingPreprocessing(name)
    }
    let network = try ONNXLoader.load(path: path, name: name)
    let classNames = try classList(labels, assets: assets, outputs: network.outputs.first?.shape?.last ?? nil)
    return try Classifier(name: name, network: network, preprocessing: chosen, labels: classNames)
  }

  /// The class list to use: the given file, else ImageNet's for a 1000-output model, else numbers.
  static func classList(_ file: URL?, assets: BundledAssets, outputs: Int?) throws -> ClassLabels? {
    if let file {
      let text: String
      do { text = try String(contentsOf: file, encoding: .utf8) } catch {
        throw ModelZooError.unreadableLabels(file.path, "\(error.localizedDescription)")
      }
      return try ClassLabels(tsv: text)
    }
    if outputs == 1000 {
      return try ClassLabels(tsv: String(contentsOf: assets.imagenetClasses, encoding: .utf8))
    }
    return nil
  }
}
