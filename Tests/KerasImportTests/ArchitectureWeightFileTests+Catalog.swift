// The catalog end to end on a full-size Keras file: from weights=PATH and from the Keras cache.
import Foundation
import KerasImport
import ModelZoo
import XCTest

extension ArchitectureWeightFileTests {
  /// `load xception weights=PATH` and `load xception` with the file in `$KERAS_HOME/models`
  /// give the same classifier as the in-memory seeded weights, and say which file they read;
  /// the cache hit never touches the network (the mirror is an unreachable address).
  func testTheCatalogReadsAFileGivenOrCachedAndNamesIt() throws {
    let path = try SeededWeightFiles.shared.xception()
    var given = ModelCatalog.LoadOptions()
    given.weights = .file(path)
    let fromFile = try ModelCatalog.load("xception", options: given)
    XCTAssertEqual(fromFile.weightsFile, path)
    XCTAssertNil(fromFile.randomWeightsSeed)

    let home = FileManager.default.temporaryDirectory.appendingPathComponent(
      "glimpse-keras-home-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: home) }
    let models = home.appendingPathComponent("models")
    try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
    let cached = models.appendingPathComponent("xception_weights_tf_dim_ordering_tf_kernels.h5")
    try FileManager.default.linkItem(atPath: path, toPath: cached.path)
    var standard = ModelCatalog.LoadOptions()
    standard.environment = [
      "KERAS_HOME": home.path, "GLIMPSE_CACHE": home.appendingPathComponent("glimpse").path,
      "HOME": home.path, "GLIMPSE_KERAS_WEIGHTS_URL": "http://127.0.0.1:9/",
    ]
    let fromCache = try ModelCatalog.load("xception", options: standard)
    XCTAssertEqual(fromCache.weightsFile, cached.path)

    var random = ModelCatalog.LoadOptions()
    random.weights = .random(seed: 1)
    let seeded = try ModelCatalog.load("xception", options: random)
    let x = try KerasApplications.xception().seededInput()
    let expected = try seeded.logits(x)
    XCTAssertEqual(try fromFile.logits(x), expected)
    XCTAssertEqual(try fromCache.logits(x), expected)
  }
}
