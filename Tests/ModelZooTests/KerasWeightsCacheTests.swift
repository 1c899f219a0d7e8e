import ModelZoo
import XCTest

final class KerasWeightsCacheTests: XCTestCase {
  func testKerasHomeThenKerasDefaultThenGlimpseCache() {
    let cache = KerasWeightsCache(environment: [
      "HOME": "/home/ada", "KERAS_HOME": "/data/keras", "GLIMPSE_CACHE": "/data/glimpse",
      "XDG_CACHE_HOME": "/ignored",
    ])
    XCTAssertEqual(
      cache.searchDirectories.map(\.path),
      ["/data/keras/models", "/home/ada/.keras/models", "/data/glimpse"])
    XCTAssertEqual(
      cache.manualDestinations(for: .vgg16),
      [
        "/data/keras/models/vgg16_weights_tf_dim_ordering_tf_kernels.h5",
        "/data/glimpse/vgg16_weights_tf_dim_ordering_tf_kernels.h5",
      ])
  }

  func testDefaultsFollowHomeAndXDG() {
    let plain = KerasWeightsCache(environment: ["HOME": "/home/ada", "KERAS_HOME": ""])
    XCTAssertEqual(
      plain.searchDirectories.map(\.path),
      ["/home/ada/.keras/models", "/home/ada/.cache/glimpse/keras"])
    let xdg = KerasWeightsCache(environment: ["HOME": "/home/ada", "XDG_CACHE_HOME": "/xdg"])
    XCTAssertEqual(xdg.glimpseDirectory.path, "/xdg/glimpse/keras")
    let tilde = KerasWeightsCache(environment: ["HOME": "/home/ada", "KERAS_HOME": "~/k"])
    XCTAssertEqual(tilde.kerasDirectories.first?.path, "/home/ada/k/models")
  }

  func testDownloadURLHonoursTheOverride() {
    let spec = KerasWeightFileSpec.xception
    XCTAssertEqual(KerasWeightsCache(environment: [:]).downloadURL(for: spec), spec.kerasURL)
    let mirrored = KerasWeightsCache(environment: ["GLIMPSE_KERAS_WEIGHTS_URL": "http://m/k/"])
    XCTAssertEqual(mirrored.downloadURL(for: spec), "http://m/k/xception/" + spec.fileName)
  }

  func testLocateReturnsTheFirstExistingFile() throws {
    let temp = try TemporaryFolder()
    defer { temp.remove() }
    let cache = KerasWeightsCache(environment: [
      "HOME": temp.path("home"), "KERAS_HOME": temp.path("keras"),
      "GLIMPSE_CACHE": temp.path("glimpse"),
    ])
    let name = KerasWeightFileSpec.vgg16NoTop.fileName
    XCTAssertNil(cache.locate(.vgg16NoTop))
    // A folder with the file's name is not the file.
    try FileManager.default.createDirectory(
      atPath: temp.path("keras/models/" + name), withIntermediateDirectories: true)
    XCTAssertNil(cache.locate(.vgg16NoTop))
    let glimpse = try temp.write([1], at: "glimpse/" + name)
    XCTAssertEqual(cache.locate(.vgg16NoTop)?.path, glimpse.path)
    let kerasDefault = try temp.write([2], at: "home/.keras/models/" + name)
    XCTAssertEqual(cache.locate(.vgg16NoTop)?.path, kerasDefault.path)
    XCTAssertNil(cache.locate(.vgg16))
  }

  /// A file already in a cache is returned without any network access.
  func testFetchReturnsACachedFileWithoutDownloading() throws {
    let temp = try TemporaryFolder()
    defer { temp.remove() }
    let cache = KerasWeightsCache(environment: [
      "HOME": temp.path("home"), "GLIMPSE_CACHE": temp.path("glimpse"),
      "GLIMPSE_KERAS_WEIGHTS_URL": "http://127.0.0.1:\(LocalHTTPServer.closedPort())",
    ])
    let name = KerasWeightFileSpec.xception.fileName
    let cached = try temp.write([7, 7], at: "home/.keras/models/" + name)
    XCTAssertEqual(try cache.fetch(.xception).path, cached.path)
  }

  func testMD5OfAFile() throws {
    let temp = try TemporaryFolder()
    defer { temp.remove() }
    let abc = try temp.write(Array("abc".utf8), at: "abc")
    XCTAssertEqual(try KerasWeightsCache.md5(ofFileAt: abc), "900150983cd24fb0d6963f7d28e17f72")
    let empty = try temp.write([], at: "empty")
    XCTAssertEqual(try KerasWeightsCache.md5(ofFileAt: empty), "d41d8cd98f00b204e9800998ecf8427e")
  }
}
