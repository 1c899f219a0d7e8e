// Resampling: Pillow's nearest, torch's bilinear/bicubic/area rules, crop layout, map upsampling.
import Engine
import TestSupport
import XCTest

@testable import Imaging

final class ResizeTests: XCTestCase {
  /// A one-channel float row of values.
  private func row(_ values: [Float]) -> FloatImage {
    FloatImage(width: values.count, height: 1, channels: 1, planes: values)
  }

  private func resizedRow(_ values: [Float], _ out: Int, _ method: Interpolation) -> [Float] {
    row(values).resized(width: out, height: 1, interpolation: method).planes
  }

  func testNearestMatchesPillow() throws {
    for resize in try Corpus.manifest().nearest_resizes {
      let source = try Image(contentsOfFile: Corpus.path(resize.source))
      let out = source.resized(width: resize.width, height: resize.height, interpolation: .nearest)
      XCTAssertEqual(
        out.roundedImage().pixels, try Corpus.bytes(resize.expected),
        "\(resize.width)x\(resize.height)")
    }
  }

  func testBilinearHalfPixelCentresAndEdgeClamp() {
    // Up 2 -> 4: s = max((d + 0.5)/2 - 0.5, 0) = 0, 0.25, 0.75, 1.25 (clamped to the last pixel).
    XCTAssertEqual(resizedRow([0, 255], 4, .bilinear), [0, 63.75, 191.25, 255])
    // Down 4 -> 2 without antialiasing: samples at 0.5 and 2.5, not box means.
    XCTAssertEqual(resizedRow([0, 10, 20, 100], 2, .bilinear), [5, 60])
    // 2-D, non-square: rows and columns use their own scales.
    let image = FloatImage(width: 3, height: 2, channels: 1, planes: [0, 1, 2, 10, 11, 12])
    let up = image.resized(width: 6, height: 4)
    XCTAssertEqual(up.width, 6)
    XCTAssertEqual(up.height, 4)
    // Row 1 sits at source y = 0.25, column 3 at source x = 1.25: 0.75*(1.25) + 0.25*(11.25).
    XCTAssertEqual(up[0, 1, 3], 0.75 * 1.25 + 0.25 * 11.25, accuracy: 1e-6)
  }

  func testBicubicMatchesTorchValues() {
    // torch.nn.functional.interpolate([[0, 1]], size=4, mode="bicubic", align_corners=False):
    // cubic convolution with a = -0.75 overshoots at the ends.
    let out = resizedRow([0, 1], 4, .bicubic)
    let expected: [Float] = [-0.10546875, 0.2265625, 0.7734375, 1.10546875]
    for (a, b) in zip(out, expected) { XCTAssertEqual(a, b, accuracy: 1e-7) }
    // Down 4 -> 2 on a step: taps clamp at the edges, the -0.09375 lobe undershoots and overshoots.
    XCTAssertEqual(resizedRow([0, 0, 8, 8], 2, .bicubic), [-0.75, 8.75])
  }

  func testAreaAveragesTorchWindows() {
    XCTAssertEqual(resizedRow([0, 10, 20, 30], 2, .area), [5, 25])
    // 5 -> 2: windows [0, 3) and [2, 5) overlap (torch's adaptive average pooling).
    XCTAssertEqual(resizedRow([0, 10, 20, 30, 40], 2, .area), [10, 30])
    // 2 -> 3: windows [0, 1), [0, 2), [1, 2).
    XCTAssertEqual(resizedRow([0, 30], 3, .area), [0, 15, 30])
  }

  func testSameSizeIsTheIdentityAndConstantsStayConstant() {
    var rng = SplitMix64(seed: 5)
    let values = (0..<35).map { _ in Float(rng.nextUniform(in: 0...255)) }
    let image = FloatImage(width: 7, height: 5, channels: 1, planes: values)
    let flat = FloatImage(
      width: 7, height: 5, channels: 1, planes: [Float](repeating: 42, count: 35))
    for method in Interpolation.allCases {
      XCTAssertEqual(
        image.resized(width: 7, height: 5, interpolation: method).planes, values, "\(method)")
      for (w, h) in [(3, 11), (16, 2), (1, 1)] {
        let out = flat.resized(width: w, height: h, interpolation: method).planes
        XCTAssertTrue(out.allSatisfy { abs($0 - 42) < 1e-4 }, "\(method) \(w)x\(h)")
      }
    }
  }

  func testCropLayoutFollowsTorchvision() {
    // chelsea is 451x300: shorter side to 256, longer int(256 * 451 / 300) = 384, centre 224.
    let layout = CropLayout(sourceWidth: 451, sourceHeight: 300, width: 224, height: 224)
    XCTAssertEqual(layout, CropLayout(resizedWidth: 384, resizedHeight: 256, left: 80, top: 16))
    let portrait = CropLayout(sourceWidth: 300, sourceHeight: 451, width: 224, height: 224)
    XCTAssertEqual(portrait, CropLayout(resizedWidth: 256, resizedHeight: 384, left: 16, top: 80))
  }

  func testCropIsTheCentreOfTheFullResize() {
    var rng = SplitMix64(seed: 9)
    let image = Image(
      width: 45, height: 30, channels: 3,
      pixels: (0..<45 * 30 * 3).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    let cropped = image.resized(width: 20, height: 20, mode: .crop)
    // 30 -> round(20 / 0.875) = 23, 45 -> int(23 * 45 / 30) = 34;
    // offsets 7 and 2 (1.5 rounds to even).
    let full = image.resized(width: 34, height: 23)
    for c in 0..<3 {
      for y in 0..<20 {
        for x in 0..<20 { XCTAssertEqual(cropped[c, y, x], full[c, y + 2, x + 7]) }
      }
    }
  }

  func testImageResizeKeepsChannelsApartAndOrientation() {
    // 3 wide, 2 high, R = column, G = row, B = 200.
    var pixels: [UInt8] = []
    for y in 0..<2 { for x in 0..<3 { pixels += [UInt8(x * 100), UInt8(y * 100), 200] } }
    let image = Image(width: 3, height: 2, channels: 3, pixels: pixels)
    let out = image.resized(width: 9, height: 4, interpolation: .nearest)
    XCTAssertEqual(out.width, 9)
    XCTAssertEqual(out.height, 4)
    XCTAssertEqual(out[0, 3, 8], 200)  // R at the right edge
    XCTAssertEqual(out[1, 3, 0], 100)  // G on the bottom row
    XCTAssertEqual(out[2, 1, 4], 200)
  }

  func testSmallMapsUpsampleToDisplaySize() {
    for (mw, mh, w, h) in [(7, 7, 224, 224), (14, 14, 451, 300), (7, 5, 100, 70)] {
      // A single hot cell at the top-right corner.
      var map = FloatImage(
        width: mw, height: mh, channels: 1, planes: [Float](repeating: 0, count: mw * mh))
      map[0, 0, mw - 1] = 1
      let up = map.resized(width: w, height: h)
      XCTAssertEqual(up.width, w)
      XCTAssertEqual(up.height, h)
      let best = up.planes.indices.max { up.planes[$0] < up.planes[$1] }!
      let (y, x) = (best / w, best % w)
      XCTAssertLessThan(y, h / mh, "\(mw)x\(mh): peak row \(y)")
      XCTAssertGreaterThanOrEqual(x, w - w / mw, "\(mw)x\(mh): peak column \(x)")
      XCTAssertEqual(up.planes.max(), 1)  // flat beyond the outer cell centres
      XCTAssertEqual(up.planes.min(), 0)
    }
  }
}
