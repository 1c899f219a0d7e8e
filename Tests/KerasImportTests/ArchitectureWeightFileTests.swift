// Weight files tf_keras saved, read by KerasWeightFile and bound to the architectures: the
// network equals the one built from the same seeded weights in memory.
//
// The files are too big for the repository. Make them with tf_keras (pip: tensorflow-cpu,
// tf_keras) and Tests/Fixtures/generate/keras_seeded.py, then run with
// GLIMPSE_KERAS_SEEDED_H5=<directory> (the test skips without it):
//
//   k.applications.Xception(weights=None)   # so the next one numbers conv2d_4 ... conv2d_7
//   m = k.applications.Xception(weights=None); apply_seeded(m, 1)
//   m.save_weights("<directory>/xception_seed1.h5")
//   v = k.applications.VGG16(weights=None, include_top=False); apply_seeded(v, 1)
//   v.save_weights("<directory>/vgg16_notop_seed1.h5")
import Engine
import Foundation
import KerasImport
import Network
import XCTest

final class ArchitectureWeightFileTests: XCTestCase {
  private func directory() throws -> String {
    guard let path = ProcessInfo.processInfo.environment["GLIMPSE_KERAS_SEEDED_H5"] else {
      throw XCTSkip("set GLIMPSE_KERAS_SEEDED_H5 to a directory of tf_keras seeded weight files")
    }
    return path
  }

  /// The file's weights equal the seeded ones tensor for tensor, and give the same output.
  private func check(_ model: KerasArchitecture, file: String) throws {
    let weights = try KerasWeightFile.read(path: "\(try directory())/\(file)")
    let seeded = KerasWeights.seeded(for: model, seed: 1)
    let x: [String: Value] = [model.inputName: .float(model.seededInput())]
    let fromFile = try model.network(weights: weights).forward(x).tensor(model.outputName)
    let fromSeed = try model.network(weights: seeded).forward(x).tensor(model.outputName)
    XCTAssertNotNil(fromFile)
    XCTAssertEqual(fromFile, fromSeed)
  }

  func testXceptionFileWithRenumberedShortcutsBindsLikeSeededWeights() throws {
    try check(try KerasApplications.xception(), file: "xception_seed1.h5")
  }

  func testVGG16NotopFileBindsAndANotopFileRefusesTheTop() throws {
    try check(try KerasApplications.vgg16(includeTop: false), file: "vgg16_notop_seed1.h5")
    let weights = try KerasWeightFile.read(path: "\(try directory())/vgg16_notop_seed1.h5")
    XCTAssertThrowsError(try KerasApplications.vgg16().network(weights: weights)) {
      XCTAssertTrue("\($0)".contains("include_top=no"), "\($0)")
    }
  }
}
