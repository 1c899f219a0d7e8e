// Models by name: the embedded default, Keras' VGG16 and Xception, and any ONNX file.
public import Attribution
import Foundation
import KerasImport
import ModelImport
public import Network

/// Loads classifiers by name or path, with the preprocessing each model declares.
///
/// This table is the one place where a model's preprocessing is declared; a model file with
/// none declared needs an explicit one, never a silent default.
public enum ModelCatalog {
  /// Where a catalog model's graph and weights come from.
  public enum Source: Sendable, Equatable {
    /// The ONNX file shipped in the resource bundle.
    case bundledONNX
    /// A Keras application built by Glimpse, with Keras weight files.
    case keras(KerasFamily)
  }

  /// The Keras applications Glimpse defines itself (see KerasImport).
  public enum KerasFamily: String, Sendable {
    case vgg16, xception
  }

  /// A model Glimpse knows by name.
  public struct Entry: Sendable {
    public var name: String
    public var summary: String
    public var preprocessing: Preprocessing
    public var source: Source
  }

  /// Which weights to use.
  public enum WeightsChoice: Sendable, Equatable {
    /// The model's own: bundled, or for Keras models the Keras file (cached or downloaded).
    case standard
    /// A weights file (Keras HDF5 for Keras models).
    case file(String)
    /// Seeded random weights: an untrained model for trying the pipeline.
    case random(seed: UInt64)
  }

  /// Everything `load` can ask for besides the model's name.
  public struct LoadOptions: Sendable {
    public var weights: WeightsChoice = .standard
    /// Keras models: keep the classifier head (`include_top`).
    public var includeTop = true
    /// Keras models without their head: the input side (square), Keras' default when nil.
    public var inputSize: Int?
    /// Overrides the declared preprocessing; required for a file the catalog does not know.
    public var preprocessing: Preprocessing?
    /// A class list file; by default the ImageNet list for 1000-class models.
    public var labels: URL?
    /// Told about a weights download: the file's name, bytes received, the total when known.
    public var downloadProgress: (@Sendable (String, Int64, Int64?) -> Void)?
    /// Polled during a download; true stops it (nothing is cached).
    public var isCancelled: (@Sendable () -> Bool)?
    /// Where the Keras and Glimpse caches are read from (`KERAS_HOME`, `GLIMPSE_CACHE`, ...).
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    public init() {}
  }

  /// The name `load` uses when given none.
  public static let defaultModelName = "efficientnet-lite0"

  /// Built-in models.
  public static let entries: [Entry] = [
    Entry(
      name: defaultModelName, summary: "EfficientNet-Lite0, ImageNet-1k, 224x224 (embedded)",
      preprocessing: .lite, source: .bundledONNX),
    Entry(
      name: "vgg16", summary: "VGG16 (Keras), ImageNet-1k, 224x224, Keras weights (cached or downloaded)",
      preprocessing: .caffe, source: .keras(.vgg16)),
    Entry(
      name: "xception", summary: "Xception (Keras), ImageNet-1k, 299x299, Keras weights (cached or downloaded)",
      preprocessing: .tf, source: .keras(.xception)),
  ]

  /// The catalog entry called `name` (any case), if any.
  public static func entry(named name: String) -> Entry? {
    entries.first { $0.name == name.lowercased() }
  }

  /// Loads a classifier.
  /// - Parameters:
  ///   - nameOrPath: a catalog name, a path to an `.onnx` file, or nil for the default model.
  /// - Throws: ``ModelZooError``, `ModelImportError`, `KerasFileError`, `KerasModelError`,
  ///   ``DownloadError`` or `ClassifierError` naming the cause.
  public static func load(
    _ nameOrPath: String?, options: LoadOptions, assets: BundledAssets? = nil
  ) throws -> Classifier {
    let assets = try assets ?? BundledAssets.locate()
    let name = nameOrPath ?? defaultModelName
    if let entry = entry(named: name) {
      guard case .keras(let family) = entry.source else {
        return try loadONNX(
          path: assets.defaultModel.path, name: entry.name,
          preprocessing: options.preprocessing ?? entry.preprocessing, options: options,
          assets: assets)
      }
      return try loadKeras(family, entry: entry, options: options, assets: assets)
    }
    guard name.hasSuffix(".onnx") || name.contains("/") else {
      throw ModelZooError.unknownModel(name, known: entries.map(\.name))
    }
    guard let chosen = options.preprocessing else {
      throw ModelZooError.missingPreprocessing(name)
    }
    return try loadONNX(
      path: name, name: name, preprocessing: chosen, options: options, assets: assets)
  }

  /// An ONNX model; an NHWC input (tf2onnx exports of Keras models) gets an NCHW front.
  static func loadONNX(
    path: String, name: String, preprocessing: Preprocessing, options: LoadOptions,
    assets: BundledAssets
  ) throws -> Classifier {
    var seed: UInt64?
    switch options.weights {
    case .standard: break
    case .file:
      throw ModelZooError.unsupportedWeights(
        name, "an ONNX model carries its weights; weights=PATH applies to vgg16 and xception")
    case .random(let chosen): seed = chosen
    }
    var rewrite: (@Sendable (String, Value) throws -> Value)?
    if let seed {
      rewrite = { name, value in RandomizedWeights.value(name, value, seed: seed) }
    }
    let imported = try ONNXLoader.load(path: path, name: name, initializers: rewrite)
    let network = try NHWCInput.channelsFirst(imported)
    let classes = network.outputs.first?.shape?.last ?? nil
    let classNames = try classList(options.labels, assets: assets, outputs: classes)
    var classifier = try Classifier(
      name: name, network: network, preprocessing: preprocessing, labels: classNames)
    classifier.randomWeightsSeed = seed
    return classifier
  }

  /// A Keras application with seeded, given or Keras' own weights.
  static func loadKeras(
    _ family: KerasFamily, entry: Entry, options: LoadOptions, assets: BundledAssets
  ) throws -> Classifier {
    let size = options.inputSize.map { (height: $0, width: $0) }
    let architecture: KerasArchitecture
    switch family {
    case .vgg16:
      architecture = try KerasApplications.vgg16(includeTop: options.includeTop, inputSize: size)
    case .xception:
      architecture = try KerasApplications.xception(includeTop: options.includeTop, inputSize: size)
    }
    let weights: KerasWeights
    var seed: UInt64?
    var file: String?
    switch options.weights {
    case .random(let chosen):
      weights = KerasWeights.seeded(for: architecture, seed: chosen)
      seed = chosen
    case .file(let path):
      weights = try KerasWeightFile.read(path: path)
      file = path
    case .standard:
      // Every family has both files; the catalog and the spec table list the same models.
      guard let spec = KerasWeightFileSpec.forModel(family.rawValue, includeTop: options.includeTop)
      else { preconditionFailure("no Keras weight file for \(family)") }
      let located = try KerasWeightsCache(environment: options.environment).fetch(
        spec, progress: { received, total in
          options.downloadProgress?(spec.fileName, received, total)
        }, isCancelled: options.isCancelled)
      weights = try KerasWeightFile.read(path: located.path)
      file = located.path
    }
    let network = try architecture.network(weights: weights)
    let classes = network.outputs.first?.shape?.last ?? nil
    let labels = try classList(
      options.labels, assets: assets, outputs: options.includeTop ? classes : nil)
    var classifier = try Classifier(
      name: entry.name, network: network,
      preprocessing: options.preprocessing ?? entry.preprocessing, labels: labels)
    classifier.randomWeightsSeed = seed
    classifier.weightsFile = file
    return classifier
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
