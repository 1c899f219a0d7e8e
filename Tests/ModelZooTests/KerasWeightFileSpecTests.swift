import ModelZoo
import XCTest

final class KerasWeightFileSpecTests: XCTestCase {
  func testLookupByModelAndTop() {
    XCTAssertEqual(KerasWeightFileSpec.forModel("vgg16", includeTop: true), .vgg16)
    XCTAssertEqual(KerasWeightFileSpec.forModel("VGG16", includeTop: false), .vgg16NoTop)
    XCTAssertEqual(KerasWeightFileSpec.forModel("xception", includeTop: true), .xception)
    XCTAssertEqual(KerasWeightFileSpec.forModel("Xception", includeTop: false), .xceptionNoTop)
    XCTAssertNil(KerasWeightFileSpec.forModel("resnet50", includeTop: true))
  }

  /// The names, URLs and md5s tf_keras 2.18 declares in applications/vgg16.py and xception.py.
  func testFilesAreThoseKerasDeclares() {
    let base = "https://storage.googleapis.com/tensorflow/keras-applications/"
    let expected: [(KerasWeightFileSpec, String, String, String)] = [
      (
        .vgg16, "vgg16_weights_tf_dim_ordering_tf_kernels.h5", "vgg16/",
        "64373286793e3c8b2b4e3219cbf3544b"
      ),
      (
        .vgg16NoTop, "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "vgg16/",
        "6d6bbae143d832006294945121d1f1fc"
      ),
      (
        .xception, "xception_weights_tf_dim_ordering_tf_kernels.h5", "xception/",
        "0a58e3b7378bc2990ea3b43d5981f1f6"
      ),
      (
        .xceptionNoTop, "xception_weights_tf_dim_ordering_tf_kernels_notop.h5", "xception/",
        "b0042744bf5b25fce3cb969f33bebb97"
      ),
    ]
    for (spec, name, folder, md5) in expected {
      XCTAssertEqual(spec.fileName, name)
      XCTAssertEqual(spec.kerasURL, base + folder + name)
      XCTAssertEqual(spec.md5, md5)
    }
    XCTAssertEqual(KerasWeightFileSpec.all.count, 4)
    XCTAssertEqual(Set(KerasWeightFileSpec.all.map(\.fileName)).count, 4)
  }

  func testOverrideBaseReplacesKerasBase() {
    let spec = KerasWeightFileSpec.xceptionNoTop
    let expected = "http://mirror.example:8080/keras/xception/" + spec.fileName
    XCTAssertEqual(spec.url(base: "http://mirror.example:8080/keras"), expected)
    XCTAssertEqual(spec.url(base: "http://mirror.example:8080/keras//"), expected)
  }

  func testExpectingAnotherChecksumKeepsTheFileAndLowercases() {
    let spec = KerasWeightFileSpec.vgg16.expecting(md5: "ABCDEF0123456789ABCDEF0123456789")
    XCTAssertEqual(spec.fileName, KerasWeightFileSpec.vgg16.fileName)
    XCTAssertEqual(spec.relativePath, KerasWeightFileSpec.vgg16.relativePath)
    XCTAssertEqual(spec.md5, "abcdef0123456789abcdef0123456789")
    XCTAssertNil(spec.byteCount)
  }
}
