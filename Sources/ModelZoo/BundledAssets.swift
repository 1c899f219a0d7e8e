// Finding the files Glimpse ships: the default model, the class list, sample photos.
import Foundation

/// The resource folder SwiftPM builds beside the executable, and the files in it.
///
/// NB: SwiftPM's generated `Bundle.module` stops the process when the folder is missing; Glimpse
/// looks for it itself so an incomplete install is a clear error instead.
public struct BundledAssets: Sendable {
  /// The folder holding the assets.
  public let directory: URL

  /// The folder's name as SwiftPM builds it (package `Glimpse`, target `ModelZoo`).
  public static let bundleName = "Glimpse_ModelZoo.resources"

  /// Locates the assets: `$GLIMPSE_RESOURCES`, else the folder beside the running executable
  /// (symlinks resolved), else beside the test bundle.
  /// - Throws: ``ModelZooError/missingAssets(_:)`` listing where it looked.
  public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BundledAssets {
    var candidates: [URL] = []
    if let override = environment["GLIMPSE_RESOURCES"], !override.isEmpty {
      candidates.append(URL(fileURLWithPath: override))
    }
    let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
    if let real = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      candidates.append(URL(fileURLWithPath: real).deletingLastPathComponent().appendingPathComponent(bundleName))
    }
    candidates.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName))
    candidates.append(Bundle.main.bundleURL.appendingPathComponent(bundleName))
    for candidate in candidates {
      let resources = candidate.appendingPathComponent("Resources")
      if FileManager.default.fileExists(atPath: resources.appendingPathComponent(defaultModelFile).path) {
        return BundledAssets(directory: resources)
      }
    }
    throw ModelZooError.missingAssets(candidates.map(\.path))
  }

  static let defaultModelFile = "efficientnet-lite0.onnx"

  /// The embedded default model, EfficientNet-Lite0 (ONNX).
  public var defaultModel: URL { directory.appendingPathComponent(Self.defaultModelFile) }
  /// The 1000 ImageNet classes: index, WordNet id, Keras name, synonyms.
  public var imagenetClasses: URL { directory.appendingPathComponent("imagenet1k_classes.tsv") }
  /// The folder of sample photos.
  public var photosDirectory: URL { directory.appendingPathComponent("photos") }

  /// Sample photo file names, sorted.
  public func photoNames() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: photosDirectory.path)) ?? []
    return names.filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }.sorted()
  }

  /// The path of a bundled photo given its name with or without extension (`chelsea`), or nil.
  public func photo(named name: String) -> URL? {
    for candidate in [name, name + ".png", name + ".jpg"] {
      let url = photosDirectory.appendingPathComponent(candidate)
      if !name.contains("/") && FileManager.default.fileExists(atPath: url.path) { return url }
    }
    return nil
  }
}

/// Failures finding or building a named model.
public enum ModelZooError: Error, CustomStringConvertible, Equatable {
  case missingAssets([String])
  case unknownModel(String, known: [String])
  case missingPreprocessing(String)
  case unreadableLabels(String, String)
  /// The model cannot take the weights asked for; the reason says what can.
  case unsupportedWeights(String, String)

  public var description: String {
    switch self {
    case .missingAssets(let places):
      return "Glimpse's bundled assets (\(BundledAssets.bundleName)) were not found; looked in: "
        + places.joined(separator: ", ") + ". Keep the folder beside the glimpse binary or set GLIMPSE_RESOURCES."
    case .unknownModel(let name, let known):
      return "unknown model '\(name)'; known: \(known.joined(separator: ", ")), or a path to an .onnx file"
    case .missingPreprocessing(let model):
      return "model '\(model)' declares no preprocessing; give one (lite, caffe, tf, torch)"
    case .unreadableLabels(let path, let why): return "cannot read the class list '\(path)': \(why)"
    case .unsupportedWeights(let model, let why): return "\(model): \(why)"
    }
  }
}
