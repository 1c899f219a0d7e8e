// Photo -> model input: the golden EfficientNet-Lite0 input, presets, names and geometry.
import Attribution
import Engine
import Foundation
import Imaging
import TestSupport
import XCTest

final class PreprocessingTests: XCTestCase {
  /// The folder that holds `shared/`, seen from the package root as `..`.
  private var shared: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("../shared")
  }

  /// The key acceptance check: chelsea.png -> 224 bilinear squash -> lite equals the golden input
  /// (made by shared/models/golden/make_goldens.py) to 1e-5 per element.
  func testChelseaReproducesTheGoldenInputTensor() throws {
    let image = try Image(contentsOfFile: shared.appendingPathComponent("images/chelsea.png").path)
    let x = Preprocessing.lite.tensor(from: image, geometry: .squash224)
    XCTAssertEqual(x.shape, [1, 3, 224, 224])
    let data = try Data(
      contentsOf: shared.appendingPathComponent(
        "models/golden/efficientnet-lite0-chelsea.input.f32"))
    let golden = data.withUnsafeBytes { raw in
      (0..<raw.count / 4).map {
        Float(
          bitPattern: UInt32(
            littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))
      }
    }
    let diff = difference(x.storage, golden)
    XCTAssertLessThanOrEqual(diff.maxAbs, 1e-5, "\(diff)")
    print("chelsea vs golden input: \(diff)")
    // Nearest sampling is a different input: the check above is not vacuous.
    let nearest = Preprocessing.lite.tensor(
      from: image, geometry: InputGeometry(width: 224, height: 224, interpolation: .nearest))
    XCTAssertGreaterThan(difference(nearest.storage, golden).maxAbs, 0.1)
  }

  func testNonSquareImageKeepsHeightAndWidth() {
    // 4 wide, 2 high; pixel value = 10*row + column in every channel.
    let pixels = (0..<2).flatMap { y in
      (0..<4).flatMap { x in [UInt8](repeating: UInt8(10 * y + x), count: 3) }
    }
    let image = Image(width: 4, height: 2, channels: 3, pixels: pixels)
    let identity = try! Preprocessing(mean: [0, 0, 0], std: [1, 1, 1])
    let x = identity.tensor(
      from: image, geometry: InputGeometry(width: 4, height: 2, interpolation: .nearest))
    XCTAssertEqual(x.shape, [1, 3, 2, 4])
    XCTAssertEqual(x[0, 1, 1, 3], 13)
    XCTAssertEqual(x[0, 2, 0, 2], 2)
    let wide = identity.tensor(from: image, geometry: InputGeometry(width: 6, height: 3))
    XCTAssertEqual(wide.shape, [1, 3, 3, 6])
  }

  func testPresetsFollowTheirFormulas() throws {
    // One pixel (R, G, B) = (0, 100, 255).
    let image = FloatImage(width: 1, height: 1, channels: 3, planes: [0, 100, 255])
    func values(_ p: Preprocessing) -> [Float] { p.tensor(from: image).storage }
    XCTAssertEqual(values(.lite), [-127.0 / 128, -27.0 / 128, 1])
    XCTAssertEqual(values(.tf), [-1, Float(100 / 127.5 - 1), 1])
    // caffe: BGR order, minus the BGR means.
    XCTAssertEqual(values(.caffe), [Float(255 - 103.939), Float(100 - 116.779), Float(0 - 123.68)])
    let torch = values(.torch)
    let expected = [(0 - 0.485) / 0.229, (100 / 255 - 0.456) / 0.224, (1 - 0.406) / 0.225]
    for c in 0..<3 { XCTAssertEqual(Double(torch[c]), expected[c], accuracy: 1e-6) }
    let custom = try Preprocessing(mean: [1, 2, 3], std: [2, 4, 5])
    XCTAssertEqual(values(custom), [-0.5, 24.5, 50.4])
  }

  func testGreyImagesFeedAllChannels() {
    let grey = FloatImage(width: 2, height: 1, channels: 1, planes: [0, 255])
    XCTAssertEqual(
      Preprocessing.lite.tensor(from: grey).storage,
      [-127.0 / 128, 1, -127.0 / 128, 1, -127.0 / 128, 1])
  }

  func testNamesParseAndUnknownNamesListTheValidOnes() {
    for name in ["lite", "caffe", "tf", "torch"] {
      XCTAssertEqual(try Preprocessing.named(name).name, name)
    }
    XCTAssertEqual(try Preprocessing.named("Torch"), .torch)
    XCTAssertThrowsError(try Preprocessing.named("keras")) {
      XCTAssertEqual(
        $0 as? PreprocessingError, .unknownName("keras", valid: ["lite", "caffe", "tf", "torch"]))
      XCTAssertEqual("\($0)", "unknown preprocessing 'keras'; valid: lite, caffe, tf, torch")
    }
    XCTAssertThrowsError(try Preprocessing(mean: [1, 2], std: [1, 1, 1]))
    XCTAssertThrowsError(try Preprocessing(mean: [1, 2, 3], std: [1, 0, 1]))
  }

  func testCropGeometryGivesTheRequestedShape() throws {
    let image = Image(
      width: 40, height: 30, channels: 3, pixels: [UInt8](repeating: 9, count: 3600))
    let x = Preprocessing.lite.tensor(
      from: image, geometry: InputGeometry(width: 24, height: 16, mode: .crop))
    XCTAssertEqual(x.shape, [1, 3, 16, 24])
    XCTAssertTrue(
      x.storage.allSatisfy { abs($0 - (9 - 127) / 128) < 1e-6 }, "a flat image stays flat")
  }
}
