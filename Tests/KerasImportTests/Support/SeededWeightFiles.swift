// Full-size seeded weight files for the round-trip tests, written once per test run into a
// temporary directory, under the layer names a tf_keras session gives the layers.
import Engine
import Foundation
import KerasImport

/// Seeded (seed 1) legacy weight files of Xception and VGG16 without its top, written on first
/// use and shared by the tests that need them.
final class SeededWeightFiles: @unchecked Sendable {
  /// The files of this test run.
  static let shared = SeededWeightFiles()

  /// Where the files go (removed by `removeAll`).
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("glimpse-seeded-h5-\(UUID().uuidString)")
  private let lock = NSLock()
  private var written: [String: String] = [:]

  /// Xception with its top, named as the second Xception of a tf_keras session names it.
  func xception() throws -> String {
    try file("xception_seed1.h5") {
      try sessionLayers(try KerasApplications.xception(), names: "xception")
    }
  }

  /// VGG16 without its top (`vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5`'s layers).
  func vgg16Notop() throws -> String {
    try file("vgg16_notop_seed1.h5") {
      try sessionLayers(try KerasApplications.vgg16(includeTop: false), names: "vgg16_notop")
    }
  }

  /// Every layer of `model` (input first, weightless ones empty) with its seed-1 weights,
  /// named as tf_keras named the same model in the recorded session (`names` is its key in
  /// Fixtures/session/layer_names.json).
  /// - Throws: `Mismatch` unless tf_keras lists the same layers in the same order, names
  ///   differing only in the counters of auto-named layers.
  func sessionLayers(_ model: KerasArchitecture, names key: String) throws -> [KerasLayerWeights] {
    let url = Bundle.module.resourceURL!
      .appendingPathComponent("Fixtures/session/layer_names.json")
    let recorded = try JSONDecoder().decode([String: Names].self, from: Data(contentsOf: url))
    let theirs = recorded[key]?.names ?? []
    let ours = [model.inputName] + model.layers.map(\.name)
    guard theirs.count == ours.count else {
      throw Mismatch(description: "tf_keras has \(theirs.count) layers, \(model) \(ours.count)")
    }
    for (our, their) in zip(ours, theirs) where !Self.sameLayer(our, their) {
      throw Mismatch(description: "tf_keras has '\(their)' where \(model) has '\(our)'")
    }
    let seeded = KerasWeights.seeded(for: model, seed: 1)
    return zip(ours, theirs).map { our, their in
      let weights = seeded.layer(named: our)
      return KerasLayerWeights(
        layer: their, names: weights?.names ?? [], tensors: weights?.tensors ?? [])
    }
  }

  /// A path in the directory (created if need be) for a test's own file.
  func path(_ name: String) throws -> String {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent(name).path
  }

  /// Removes the directory and forgets the files.
  func removeAll() {
    lock.withLock {
      try? FileManager.default.removeItem(at: directory)
      written = [:]
    }
  }

  /// The path of `name`, written by `layers` unless this run wrote it already.
  private func file(_ name: String, _ layers: () throws -> [KerasLayerWeights]) throws -> String {
    try lock.withLock {
      if let path = written[name] { return path }
      let path = try self.path(name)
      try KerasLegacyH5Writer.write(try layers(), to: path)
      written[name] = path
      return path
    }
  }

  /// Layer names that are the same or auto-named of the same class (`conv2d_1`, `conv2d_5`).
  private static func sameLayer(_ a: String, _ b: String) -> Bool {
    func stem(_ name: String) -> String {
      guard let underscore = name.lastIndex(of: "_"),
        name[name.index(after: underscore)...].allSatisfy(\.isNumber)
      else { return name }
      return String(name[..<underscore])
    }
    let autoNamed = ["input", "conv2d", "batch_normalization", "add"]
    return a == b || stem(a) == stem(b) && autoNamed.contains(stem(a))
  }

  /// One model's names in the session file.
  private struct Names: Decodable {
    var names: [String]
    init(from decoder: any Decoder) throws {
      names = (try? decoder.singleValueContainer().decode([String].self)) ?? []
    }
  }

  /// tf_keras' layer list differs from the architecture's beyond auto-name counters.
  struct Mismatch: Error, CustomStringConvertible {
    var description: String
  }
}
