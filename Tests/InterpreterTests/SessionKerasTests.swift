// Keras' models in a session: seeded weights say so everywhere; weight files fail clearly.
import Foundation
import Imaging
import Interpreter
import XCTest

final class SessionKerasTests: XCTestCase {
  /// The Keras HDF5 fixtures of KerasImportTests (tf_keras-written files of a tiny model).
  private func kerasFixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("KerasImportTests/Fixtures/h5/\(name)").path
  }

  func testSeededVGG16SaysUntrainedInTheBannerTablesAndPictures() throws {
    let session = Session()
    let load = session.run("load vgg16 weights=random seed=3")
    XCTAssertOK(load)
    XCTAssertTrue(load.sink.stdout.contains("UNTRAINED (random weights, seed 3)"), load.sink.stdout)
    let banners = load.sink.all.compactMap { item -> MIMEBundle? in
      if case .display(let bundle, _) = item { bundle } else { nil }
    }
    XCTAssertEqual(banners.count, 1)
    XCTAssertTrue(banners[0].plainText?.contains("seeded random weights (seed 3)") ?? false)

    let predict = session.run("image chelsea\npredict top=2")
    XCTAssertOK(predict)
    let table = try XCTUnwrap(predict.sink.results.first?.plainText)
    XCTAssertTrue(table.hasPrefix("UNTRAINED vgg16: random weights, seed 3\n"), table)

    let cam = session.run("gradcam layer=block5_conv3 top=1")
    XCTAssertOK(cam)
    let picture = try XCTUnwrap(cam.sink.pictures.last)
    XCTAssertTrue(picture.plainText?.hasSuffix("UNTRAINED vgg16: random weights, seed 3") ?? false)
    XCTAssertTrue(picture.plainText?.contains("layer block5_conv3 |") ?? false, picture.plainText ?? "")
    // The warning band is added below the photo's own height (chelsea is 451x300).
    let image = try decodedPNG(picture)
    XCTAssertGreaterThan(image.height, 300)
    XCTAssertEqual(image.width, 451)
  }

  func testTrainedModelsCarryNoUntrainedNote() throws {
    let session = Session()
    XCTAssertOK(session.run("load\nimage chelsea"))
    let predict = session.run("predict top=1")
    XCTAssertFalse(predict.sink.results.first?.plainText?.contains("UNTRAINED") ?? true)
  }

  func testHeadlessVGG16TakesItsSizeAndRefusesClassCommands() throws {
    let session = Session()
    let load = session.run("load vgg16 weights=random seed=1 include_top=no size=96")
    XCTAssertOK(load)
    XCTAssertTrue(load.sink.stdout.contains("input 96x96"), load.sink.stdout)
    XCTAssertTrue(load.sink.stdout.contains("no classifier head"), load.sink.stdout)
    XCTAssertOK(session.run("image chelsea\nactivations layer=block3_conv3 channels=4"))
    let predict = session.run("predict")
    XCTAssertTrue(
      diagnosticText(predict)?.contains("include_top=no") ?? false, diagnosticText(predict) ?? "")
  }

  func testWeightFileErrorsPointAtTheArgumentAndKeepTheModel() throws {
    let session = Session()
    XCTAssertOK(session.run("load"))
    let directory = try temporaryDirectory(self)

    let missing = session.run("load vgg16 weights=no/such/vgg16.h5")
    XCTAssertTrue(
      diagnosticText(missing)?.contains("no such weights file 'no/such/vgg16.h5'") ?? false,
      diagnosticText(missing) ?? "")

    let wrongModel = session.run("load vgg16 weights=\"\(kerasFixture("tiny_legacy.h5"))\"")
    let wrongText = diagnosticText(wrongModel) ?? ""
    XCTAssertTrue(wrongText.contains("block2_conv1") || wrongText.contains("vgg16"), wrongText)

    let bytes = try Data(contentsOf: URL(fileURLWithPath: kerasFixture("tiny_legacy.h5")))
    let truncated = directory.appendingPathComponent("cut.h5")
    try bytes.prefix(bytes.count / 2).write(to: truncated)
    let cut = session.run("load vgg16 weights=\"\(truncated.path)\"")
    XCTAssertTrue(
      diagnosticText(cut)?.contains("truncated") ?? false, diagnosticText(cut) ?? "")

    let notHDF5 = directory.appendingPathComponent("photo.h5")
    try Data([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0, count: 600)).write(to: notHDF5)
    let jpeg = session.run("load xception weights=\"\(notHDF5.path)\"")
    XCTAssertTrue(
      diagnosticText(jpeg)?.contains("not an HDF5 file") ?? false, diagnosticText(jpeg) ?? "")

    // Every failure left the embedded model in place.
    let predict = session.run("image chelsea\npredict top=1")
    XCTAssertOK(predict)
    XCTAssertTrue(predict.sink.results.first?.plainText?.contains("Egyptian_cat") ?? false)
  }

  func testArgumentCombinationsThatMakeNoSense() {
    let session = Session()
    let seedAlone = session.run("load vgg16 seed=4")
    XCTAssertTrue(
      diagnosticText(seedAlone)?.contains("seed= needs weights=random") ?? false,
      diagnosticText(seedAlone) ?? "")
    let headless = session.run("load include_top=no")
    XCTAssertTrue(
      diagnosticText(headless)?.contains("include_top=no applies to the Keras models") ?? false,
      diagnosticText(headless) ?? "")
    let size = session.run("load xception weights=random size=224")
    XCTAssertTrue(
      diagnosticText(size)?.contains("takes 299x299 input, got 224x224") ?? false, diagnosticText(size) ?? "")
  }

  func testRandomWeightsOnTheEmbeddedModelChangeItsPrediction() throws {
    let session = Session()
    XCTAssertOK(session.run("load weights=random seed=5\nimage chelsea"))
    let predict = session.run("predict top=1")
    XCTAssertOK(predict)
    let text = try XCTUnwrap(predict.sink.results.first?.plainText)
    XCTAssertTrue(text.hasPrefix("UNTRAINED efficientnet-lite0: random weights, seed 5"), text)
  }
}
