// Full-size weight files, written by the test-only legacy writer (as tf_keras' save_weights
// lays them out), read by KerasWeightFile and bound to the architectures: the network equals
// the one built from the same seeded weights in memory, bit for bit, and each way a file can
// be wrong for a model gives one clear line.
//
// The files carry the names a tf_keras session gives the layers
// (Fixtures/session/layer_names.json, from Tests/Fixtures/generate/keras_session_names.py):
// Xception built after another Xception, so its shortcuts are `conv2d_4` ... `conv2d_7`.
import Engine
import Foundation
import KerasImport
import Network
import XCTest

final class ArchitectureWeightFileTests: XCTestCase {
  override class func tearDown() {
    SeededWeightFiles.shared.removeAll()
    super.tearDown()
  }

  private var files: SeededWeightFiles { .shared }

  /// The file's weights equal the seeded ones, and the network built from them computes the
  /// same output as the one built from the seeded weights in memory.
  private func assertRoundTrip(_ model: KerasArchitecture, file path: String) throws {
    let seeded = KerasWeights.seeded(for: model, seed: 1)
    let read = try KerasWeightFile.read(path: path)
    XCTAssertEqual(read.source, path)
    XCTAssertEqual(read.layers.map(\.names), seeded.layers.map(\.names))
    XCTAssertEqual(read.layers.map(\.tensors), seeded.layers.map(\.tensors))
    let x: [String: Value] = [model.inputName: .float(model.seededInput())]
    let fromFile = try model.network(weights: read).forward(x).tensor(model.outputName)
    let fromSeed = try model.network(weights: seeded).forward(x).tensor(model.outputName)
    XCTAssertNotNil(fromSeed)
    XCTAssertEqual(fromFile, fromSeed)
  }

  func testXceptionFileWithSessionNumberedShortcutsBindsLikeSeededWeights() throws {
    let path = try files.xception()
    let weighted = try KerasWeightFile.read(path: path).layers.map(\.layer)
    XCTAssertEqual(weighted.filter { $0.hasPrefix("conv2d") }, (4...7).map { "conv2d_\($0)" })
    XCTAssertEqual(
      weighted.filter { $0.hasPrefix("batch_normalization") },
      (4...7).map { "batch_normalization_\($0)" })
    try assertRoundTrip(try KerasApplications.xception(), file: path)
  }

  func testVGG16NotopFileBindsLikeSeededWeights() throws {
    try assertRoundTrip(
      try KerasApplications.vgg16(includeTop: false), file: try files.vgg16Notop())
  }

  func testXceptionFileGivenToVGG16SaysItLooksLikeXception() throws {
    let path = try files.xception()
    let weights = try KerasWeightFile.read(path: path)
    let message = try XCTUnwrap(
      oneLineError { try KerasApplications.vgg16().network(weights: weights) })
    XCTAssertTrue(message.contains("are not vgg16's"), message)
    XCTAssertTrue(message.contains("they look like xception's weights"), message)
    XCTAssertTrue(message.contains(path), message)
  }

  func testVGG16NotopFileGivenToVGG16WithTopSuggestsIncludeTopNo() throws {
    let weights = try KerasWeightFile.read(path: try files.vgg16Notop())
    let message = try XCTUnwrap(
      oneLineError { try KerasApplications.vgg16().network(weights: weights) })
    XCTAssertTrue(message.contains("no fc1, fc2, predictions"), message)
    XCTAssertTrue(message.contains("use include_top=no"), message)
  }

  func testXceptionFileCutInHalfSaysTruncated() throws {
    let full = try Data(contentsOf: URL(fileURLWithPath: try files.xception()))
    let path = try files.path("xception_half.h5")
    try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: path))
    let message = try XCTUnwrap(oneLineError { try KerasWeightFile.read(path: path) })
    XCTAssertTrue(message.contains("looks truncated or damaged"), message)
    XCTAssertTrue(
      message.contains("has \(full.count / 2) bytes but its HDF5 superblock records \(full.count)"),
      message)
  }

  func testKernelOfAnotherShapeNamesLayerWeightAndBothShapes() throws {
    let model = try KerasApplications.vgg16(includeTop: false)
    var layers = try files.sessionLayers(model, names: "vgg16_notop")
    let index = try XCTUnwrap(layers.firstIndex { $0.layer == "block3_conv2" })
    // The kernel stored channels-first, as Theano-ordered (`th_dim_ordering`) files store it.
    let kernel = layers[index].tensors[0]
    XCTAssertEqual(kernel.shape, [3, 3, 256, 256])
    layers[index].tensors[0] = Tensor(shape: [256, 256, 3, 3], storage: kernel.storage)
    let path = try files.path("vgg16_notop_reshaped.h5")
    try KerasLegacyH5Writer.write(layers, to: path)
    let weights = try KerasWeightFile.read(path: path)
    let message = try XCTUnwrap(oneLineError { try model.network(weights: weights) })
    XCTAssertEqual(
      message,
      "layer 'block3_conv2' weight 'kernel' in \(path) has shape [256, 256, 3, 3], "
        + "the model needs [3, 3, 256, 256]")
  }

  /// The description of the error `body` throws, checked to be one line; nil if none.
  private func oneLineError(line: UInt = #line, _ body: () throws -> Any) -> String? {
    do {
      _ = try body()
      XCTFail("expected an error", line: line)
      return nil
    } catch {
      let message = "\(error)"
      XCTAssertFalse(message.contains("\n"), message, line: line)
      return message
    }
  }
}
