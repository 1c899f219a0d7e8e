// Every corpus file decodes to what Pillow decodes (exactly for PNG, within a few levels for JPEG).
import Foundation
import XCTest
@testable import Imaging

final class DecodeCorpusTests: XCTestCase {
  func testCorpusDecodesLikePillow() throws {
    let manifest = try Corpus.manifest()
    XCTAssertGreaterThanOrEqual(manifest.decodes.count, 30)
    var report: [String] = []
    for entry in manifest.decodes {
      let options = DecodeOptions(
        appliesOrientation: entry.orientation == "apply",
        transparency: Transparency(rawValue: entry.transparency)!)
      let image = try Image(contentsOfFile: Corpus.path(entry.file), options: options)
      let label = "\(entry.file) (\(entry.orientation), \(entry.transparency))"
      XCTAssertEqual(image.channels, 3, label)
      XCTAssertEqual(image.width, entry.width, "\(label): width")
      XCTAssertEqual(image.height, entry.height, "\(label): height")
      guard image.width == entry.width, image.height == entry.height else { continue }
      let expected = try Corpus.bytes(entry.expected)
      let diff = PixelDifference(image.pixels, expected)
      XCTAssertLessThanOrEqual(diff.maxAbs, entry.tolerance, "\(label): \(diff.differing) differ")
      if diff.differing > 0 {
        report.append("\(label): max \(diff.maxAbs), \(diff.differing)/\(diff.count) values")
      }
    }
    // Printed so the test log records how far the system libjpeg-turbo lands from Pillow's.
    print("Pillow \(manifest.pillow); differences:\n  " + (report.isEmpty ? ["none"] : report).joined(separator: "\n  "))
  }

  func testPNGIsExactForEveryColourTypeAndDepth() throws {
    let pngs = try Corpus.manifest().decodes.filter { $0.kind == "png" && $0.transparency == "drop" }
    XCTAssertGreaterThanOrEqual(pngs.count, 20)
    for entry in pngs {
      let image = try Image(contentsOfFile: Corpus.path(entry.file))
      XCTAssertEqual(image.pixels, try Corpus.bytes(entry.expected), entry.file)
    }
  }

  func testExifOrientationTurnsTheImage() throws {
    let upright = try Image(contentsOfFile: Corpus.path("exif1.jpg"))
    XCTAssertEqual(Exif.orientation(inJPEG: try Corpus.bytes("exif6.jpg")), .right)
    XCTAssertEqual(Exif.orientation(inJPEG: try Corpus.bytes("baseline420.jpg")), nil)
    for orientation in 1...8 {
      let bytes = try Corpus.bytes("exif\(orientation).jpg")
      XCTAssertEqual(Exif.orientation(inJPEG: bytes)?.rawValue, orientation)
      let turned = try Image(decoding: bytes, name: "exif\(orientation).jpg")
      let swaps = orientation >= 5
      XCTAssertEqual(turned.width, swaps ? upright.height : upright.width, "orientation \(orientation)")
      let stored = try Image(
        decoding: bytes, name: "x", options: DecodeOptions(appliesOrientation: false))
      XCTAssertEqual(stored.width, upright.width)
      XCTAssertEqual(stored.pixels, upright.pixels, "same stored pixels, orientation \(orientation)")
    }
  }

  func testOrientationsComposeToTheIdentity() {
    var rng = SystemRandomNumberGenerator()
    let image = Image(width: 5, height: 3, channels: 3, pixels: (0..<45).map { _ in UInt8.random(in: 0...255, using: &rng) })
    // right then left, down twice, mirror twice, transpose twice.
    XCTAssertEqual(image.oriented(.right).oriented(.left), image)
    XCTAssertEqual(image.oriented(.down).oriented(.down), image)
    XCTAssertEqual(image.oriented(.mirrored).oriented(.mirrored), image)
    XCTAssertEqual(image.oriented(.leftMirrored).oriented(.leftMirrored), image)
    XCTAssertEqual(image.oriented(.rightMirrored).oriented(.rightMirrored), image)
    XCTAssertNotEqual(image.oriented(.right), image.oriented(.left))
  }

  func testFormatIsDetectedByContentNotName() throws {
    // A JPEG named .png and a PNG named .jpg decode by content.
    let jpeg = try Corpus.bytes("baseline420.jpg"), png = try Corpus.bytes("rgb8.png")
    XCTAssertEqual(try Image(decoding: jpeg, name: "photo.png").width, 40)
    XCTAssertEqual(try Image(decoding: png, name: "photo.jpg").width, 23)
    XCTAssertEqual(ImageFormat.detect(jpeg), .jpeg)
    XCTAssertEqual(ImageFormat.detect(png), .png)
  }

  func testChelseaHasItsSizeTheRightWayRound() throws {
    let path = Corpus.packageRoot.appendingPathComponent("../shared/images/chelsea.png").path
    let image = try Image(contentsOfFile: path)
    XCTAssertEqual(image.width, 451)
    XCTAssertEqual(image.height, 300)
  }
}
