// The test-only legacy writer (Support/KerasLegacyH5Writer.swift) against files tf_keras and
// h5py wrote (Tests/Fixtures/generate/make_keras_h5_fixtures.py): the tiny model written by
// the writer has the structure of tiny_legacy.h5 and reads back to the same weights.
import Engine
import Foundation
import KerasImport
import XCTest

final class KerasLegacyH5WriterTests: XCTestCase {
  private var directory: URL!

  override func setUpWithError() throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("glimpse-writer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: directory)
  }

  private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

  /// Every layer tiny_legacy.h5 lists, with the generator's weights for the weighted ones.
  private func tinyLayers() throws -> [KerasLayerWeights] {
    let root = try HDF5File.open(path: H5Fixture.path("tiny_legacy.h5")).root
    let names = try XCTUnwrap(root.strings(attribute: "layer_names"))
    XCTAssertEqual(names.count, 9, "input, 5 weighted layers, activation, add and pool")
    return names.map { name in
      guard let l = TinyModel.layers.firstIndex(where: { $0.name == name }) else {
        return KerasLayerWeights(layer: name, names: [], tensors: [])
      }
      let weights = TinyModel.layers[l].weights
      let tensors = weights.enumerated().map { j, weight in
        let count = weight.shape.reduce(1, *)
        return Tensor(
          shape: weight.shape, storage: TinyModel.values(layer: l, weight: j, count: count))
      }
      return KerasLayerWeights(layer: name, names: weights.map(\.name), tensors: tensors)
    }
  }

  /// Asserts both files read to the same layers, weight names and tensors.
  private func assertSameWeights(_ a: String, _ b: String, line: UInt = #line) throws {
    let (x, y) = (try KerasWeightFile.read(path: a), try KerasWeightFile.read(path: b))
    XCTAssertEqual(x.layers.map(\.layer), y.layers.map(\.layer), line: line)
    for (p, q) in zip(x.layers, y.layers) {
      XCTAssertEqual(p.names, q.names, p.layer, line: line)
      XCTAssertEqual(p.tensors, q.tensors, p.layer, line: line)
    }
  }

  func testVariableLengthStringsGiveTfKeras218sFileObjectForObject() throws {
    let written = path("tiny.h5")
    try KerasLegacyH5Writer.write(try tinyLayers(), to: written, strings: .variableLength)
    let tfKeras = H5Fixture.path("tiny_legacy.h5")
    // Groups, attributes with their values and storage types, datasets with shapes and types.
    let expected = try HDF5Structure.lines(of: tfKeras, types: true)
    XCTAssertEqual(try HDF5Structure.lines(of: written, types: true), expected)
    XCTAssertTrue(expected.contains { $0.hasPrefix("/top_level_model_weights @weight_names=[]") })
    XCTAssertTrue(
      expected.contains(
        "/block2_sepconv1/block2_sepconv1/pointwise_kernel:0 "
          + "[1, 1, 4, 5] float32 le contiguous"), expected.joined(separator: "\n"))
    try assertSameWeights(written, tfKeras)
    TinyModel.check(
      try KerasWeightFile.read(path: written), layers: TinyModel.layers.map(\.name))
  }

  func testFixedLengthStringsHoldTheSameAsTheDownloadedFilesStoreThem() throws {
    let written = path("tiny_fixed.h5")
    try KerasLegacyH5Writer.write(try tinyLayers(), to: written)
    let tfKeras = H5Fixture.path("tiny_legacy.h5")
    XCTAssertEqual(try HDF5Structure.lines(of: written), try HDF5Structure.lines(of: tfKeras))
    try assertSameWeights(written, tfKeras)
    // The widest of the 9 names is block2_sepconv1_act (19 bytes).
    XCTAssertEqual(
      HDF5Structure.attributeType("layer_names", of: "/", in: written),
      "string fixed 19 nullpad ascii [9]")
    XCTAssertEqual(
      HDF5Structure.attributeType("backend", of: "/", in: written),
      "string fixed 10 nullpad ascii scalar")
    // The same layer list h5py wrote as a numpy `|S` array (tiny_keras1.h5) is stored alike.
    let keras1 = H5Fixture.path("tiny_keras1.h5")
    let names = try XCTUnwrap(
      try HDF5File.open(path: keras1).root.strings(attribute: "layer_names"))
    let weightless = names.map { KerasLayerWeights(layer: $0, names: [], tensors: []) }
    try KerasLegacyH5Writer.write(weightless, to: path("names.h5"))
    XCTAssertEqual(
      HDF5Structure.attributeType("layer_names", of: "/", in: path("names.h5")),
      HDF5Structure.attributeType("layer_names", of: "/", in: keras1))
  }

  func testLongLayerListsSplitIntoNumberedAttributesAsKerasSplitsThem() throws {
    // 2600 names of 34 bytes: 88400 bytes, over 64512, so two halves of 1300 (44200 bytes).
    var layers = (0..<2600).map { index in
      KerasLayerWeights(
        layer: "layer_with_a_rather_long_name_" + String(format: "%04d", index), names: [],
        tensors: [])
    }
    layers[7] = KerasLayerWeights(
      layer: layers[7].layer, names: ["kernel"], tensors: [Tensor(shape: [2], storage: [1, 2])])
    layers[2000] = KerasLayerWeights(
      layer: layers[2000].layer, names: ["bias"], tensors: [Tensor(shape: [1], storage: [3])])
    try KerasLegacyH5Writer.write(layers, to: path("long.h5"))
    let root = try HDF5File.open(path: path("long.h5")).root
    XCTAssertEqual(
      try root.attributeNames(), ["backend", "keras_version", "layer_names0", "layer_names1"])
    XCTAssertEqual(try root.strings(attribute: "layer_names1")?.first, layers[1300].layer)
    let read = try KerasWeightFile.read(path: path("long.h5"))
    XCTAssertEqual(read.layers.map(\.layer), [layers[7].layer, layers[2000].layer])
    XCTAssertEqual(read.layers.map(\.tensors), [layers[7].tensors, layers[2000].tensors])
  }
}
