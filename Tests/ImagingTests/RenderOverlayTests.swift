import Imaging
import XCTest

final class RenderOverlayTests: XCTestCase {
  /// Two pixels side by side: orange-brown, then blue.
  let photo = Image(width: 2, height: 1, channels: 3, pixels: [100, 50, 0, 0, 0, 200])
  let ramp = ScalarMap(width: 2, height: 1, values: [3, 7])  // min-max: positions 0 and 1

  func testConstantAlphaBlendsByHand() {
    // jet entry 0 is (0, 0, 128), entry 255 is (128, 0, 0).
    let out = photo.overlaid(with: ramp, normalization: .minMax, colormap: .jet, blend: .alpha(0.5))
    XCTAssertEqual(out.channels, 3)
    XCTAssertEqual(out.pixels, [50, 25, 64, 64, 0, 100])
  }

  func testAlphaFollowingTheValueLeavesColdPixelsUntouched() {
    let out = photo.overlaid(
      with: ramp, normalization: .minMax, colormap: .jet, blend: .followValue(0.8))
    // Position 0: alpha 0, the photo. Position 1: 0.2 * (0,0,200) + 0.8 * (128,0,0).
    XCTAssertEqual(out.pixels, [100, 50, 0, 102, 0, 40])
  }

  func testWeightedSumSaturatesLikeAddWeighted() {
    let out = photo.overlaid(
      with: ramp, normalization: .minMax, colormap: .jet, blend: .weighted(image: 0.7, map: 1))
    XCTAssertEqual(out.pixels, [70, 35, 128, 128, 0, 140])
    let white = Image(width: 1, height: 1, channels: 3, pixels: [255, 255, 255])
    let hot = white.overlaid(
      with: ScalarMap(width: 1, height: 1, values: [1]), scale: MapScale(low: 0, high: 1),
      colormap: .jet, blend: .weighted(image: 0.7, map: 1))
    XCTAssertEqual(hot.pixels, [255, 179, 179], "red saturates; 0.7 * 255 = 178.5 rounds up")
  }

  func testSHAPMapIsTransparentAtZero() {
    let grey = Image(width: 3, height: 1, channels: 3, pixels: Array(repeating: 200, count: 9))
    let values = ScalarMap(width: 3, height: 1, values: [-2, 0, 2])
    let out = grey.overlaid(
      with: values, scale: MapScale.fitting([values], .symmetric(percentile: 100)),
      colormap: .redTransparentBlue, blend: .alpha(1))
    XCTAssertEqual(out.pixels, [30, 136, 229, 200, 200, 200, 255, 13, 87])
    // followValue keeps the colormap's own alpha when it has one.
    let follow = grey.overlaid(
      with: values, scale: MapScale.fitting([values], .symmetric(percentile: 100)),
      colormap: .redTransparentBlue, blend: .followValue(1))
    XCTAssertEqual(follow, out)
  }

  func testFadedGreyIsSHAPBackdrop() {
    let pixel = Image(width: 1, height: 1, channels: 3, pixels: [100, 200, 50])
    // 0.15 * (0.2989*100 + 0.5870*200 + 0.1140*50) + 0.85 * 255 = 239.70
    XCTAssertEqual(pixel.fadedGrey().pixels, [240, 240, 240])
    XCTAssertEqual(pixel.fadedGrey(opacity: 1).pixels, [153, 153, 153])
  }

  func testGreyAndRGBAPhotosGiveRGB() {
    let grey = Image(width: 2, height: 1, channels: 1, pixels: [10, 20])
    let out = grey.overlaid(with: ramp, normalization: .minMax, colormap: .grey, blend: .alpha(0))
    XCTAssertEqual(out.pixels, [10, 10, 10, 20, 20, 20])
    let rgba = Image(width: 1, height: 1, channels: 4, pixels: [1, 2, 3, 0])
    XCTAssertEqual(rgba.rgb().pixels, [1, 2, 3])
  }

  /// A 7x5 map with one hot cell at column 5, row 1, drawn over a 300x200 photo: the hottest
  /// pixels must sit around that cell's centre, ((5 + 0.5) * 300/7, (1 + 0.5) * 200/5) =
  /// (235.7, 60), not at a transposed or mirrored place.
  func testOffCentreHotSpotLandsOnItsCellInANonSquareImage() {
    var values = [Float](repeating: 0, count: 35)
    values[1 * 7 + 5] = 1
    let map = ScalarMap(width: 7, height: 5, values: values)
    let photo = Image(
      width: 300, height: 200, channels: 3, pixels: Array(repeating: 128, count: 300 * 200 * 3))
    // The grey colormap drawn opaquely makes each pixel's red channel its colormap entry.
    let out = photo.overlaid(with: map, normalization: .minMax, colormap: .grey, blend: .alpha(1))
    XCTAssertEqual(out.width, 300)
    XCTAssertEqual(out.height, 200)
    let reds = stride(from: 0, to: out.pixels.count, by: 3).map { out.pixels[$0] }
    let hottest = reds.max()!
    XCTAssertGreaterThan(hottest, 240)
    var xs = [Int]()
    var ys = [Int]()
    for (p, v) in reds.enumerated() where v >= hottest - 2 {
      xs.append(p % 300)
      ys.append(p / 300)
    }
    let cx = Double(xs.reduce(0, +)) / Double(xs.count)
    let cy = Double(ys.reduce(0, +)) / Double(ys.count)
    XCTAssertEqual(cx, 235.7, accuracy: 1.5)
    XCTAssertEqual(cy, 60, accuracy: 1.5)
    XCTAssertLessThan(xs.count, 100, "only a small neighbourhood of the centre is that hot")
    XCTAssertEqual(reds[0], 0, "the far corner is cold")
    // The same map drawn with jet over the photo: red at the spot, dark blue far away.
    let jet = photo.overlaid(with: map, normalization: .minMax, colormap: .jet, blend: .alpha(1))
    let spot = (60 * 300 + 236) * 3
    let corner = (199 * 300 + 0) * 3
    XCTAssertGreaterThan(jet.pixels[spot], 120)
    XCTAssertEqual(jet.pixels[spot + 2], 0)
    XCTAssertEqual(Array(jet.pixels[corner..<corner + 3]), [0, 0, 128])
  }

  func testMapOfPhotoSizeIsUsedAsIs() {
    let map = ScalarMap(width: 2, height: 1, values: [0, 1])
    let out = photo.overlaid(
      with: map, scale: MapScale(low: 0, high: 1), colormap: .grey, blend: .alpha(1))
    XCTAssertEqual(out.pixels, [0, 0, 0, 255, 255, 255])
  }
}
