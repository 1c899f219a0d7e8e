// PNG encoding: decode(encode(image)) gives back the same pixels.
import Engine
import TestSupport
import XCTest

@testable import Imaging

final class PNGRoundTripTests: XCTestCase {
  private func randomImage(_ width: Int, _ height: Int, _ channels: Int, _ rng: inout SplitMix64)
    -> Image
  {
    Image(
      width: width, height: height, channels: channels,
      pixels: (0..<width * height * channels).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
  }

  func testRGBRoundTripIsTheIdentity() throws {
    var rng = SplitMix64(seed: 11)
    for (w, h) in [(1, 1), (7, 3), (3, 7), (64, 33), (301, 2)] {
      let image = randomImage(w, h, 3, &rng)
      let png = try image.pngData()
      XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
      XCTAssertEqual(try Image(decoding: png, name: "round trip"), image, "\(w)x\(h)")
    }
  }

  func testRGBAAndGreyRoundTrip() throws {
    var rng = SplitMix64(seed: 12)
    let rgba = randomImage(13, 9, 4, &rng)
    let png = try rgba.pngData()
    // Dropping alpha on decode returns the colour channels untouched.
    let decoded = try Image(decoding: png, name: "rgba")
    XCTAssertEqual(decoded.pixels, (0..<13 * 9).flatMap { Array(rgba.pixels[4 * $0..<4 * $0 + 3]) })
    let white = try Image(decoding: png, name: "rgba", options: DecodeOptions(transparency: .white))
    XCTAssertEqual(white, rgba.flattened(.white))
    XCTAssertNotEqual(white, decoded)

    let grey = randomImage(10, 6, 1, &rng)
    let greyBack = try Image(decoding: grey.pngData(), name: "grey")
    XCTAssertEqual(greyBack.pixels, grey.pixels.flatMap { [$0, $0, $0] })
  }

  func testWhiteCompositeRule() {
    let pixel = Image(
      width: 3, height: 1, channels: 4, pixels: [10, 20, 30, 0, 10, 20, 30, 255, 100, 0, 200, 128])
    // a = 128: (128*100 + 127*255 + 127) / 255 = 177; (127*255 + 127) / 255 = 127;
    // (128*200 + 127*255 + 127) / 255 = 227.
    XCTAssertEqual(pixel.flattened(.white).pixels, [255, 255, 255, 10, 20, 30, 177, 127, 227])
  }

  func testEmptyImageCannotBeEncoded() {
    let empty = Image(width: 0, height: 4, channels: 3, pixels: [])
    XCTAssertThrowsError(try empty.pngData()) {
      guard case .encodingFailed = $0 as? ImageError else { return XCTFail("\($0)") }
    }
  }
}
