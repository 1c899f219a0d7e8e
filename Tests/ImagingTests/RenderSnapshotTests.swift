import Foundation
import Imaging
import XCTest

/// Where the rendering fixtures live in the source tree (snapshots are recorded into it).
enum RenderFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/render")

  static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }
}

/// How far a rendered picture is from its snapshot.
struct SnapshotDifference: Equatable {
  var sameSize: Bool
  /// Share of pixels with any channel different.
  var differingShare: Double
  /// Largest channel difference.
  var maxDifference: Int
  /// Amplified per-pixel difference (RGB), for a human to look at.
  var diffImage: Image?
}

/// Compares decoded pixels of two RGB pictures.
func snapshotDifference(_ actual: Image, _ expected: Image) -> SnapshotDifference {
  let a = actual.rgb()
  let e = expected.rgb()
  guard a.width == e.width, a.height == e.height else {
    return SnapshotDifference(
      sameSize: false, differingShare: 1, maxDifference: 255, diffImage: nil)
  }
  var differing = 0
  var largest = 0
  var diff = [UInt8](repeating: 0, count: a.pixels.count)
  for p in 0..<a.width * a.height {
    var pixelMax = 0
    for c in 0..<3 {
      pixelMax = max(pixelMax, abs(Int(a.pixels[p * 3 + c]) - Int(e.pixels[p * 3 + c])))
    }
    if pixelMax > 0 { differing += 1 }
    largest = max(largest, pixelMax)
    // Differences in red, scaled x8; identical pixels as a faint grey of the expected picture.
    let grey = UInt8(Int(e.pixels[p * 3]) / 8 + 200)
    diff[p * 3] = pixelMax > 0 ? UInt8(min(64 + pixelMax * 8, 255)) : grey
    diff[p * 3 + 1] = pixelMax > 0 ? 0 : grey
    diff[p * 3 + 2] = pixelMax > 0 ? 0 : grey
  }
  return SnapshotDifference(
    sameSize: true, differingShare: Double(differing) / Double(a.width * a.height),
    maxDifference: largest,
    diffImage: Image(width: a.width, height: a.height, channels: 3, pixels: diff))
}

/// Checks `image` against `Fixtures/render/snapshots/<name>.png`: at most `share` of the pixels
/// may differ, none by more than `drift` per channel. On failure the actual picture and a diff
/// are written beside the snapshot. `GLIMPSE_RECORD_SNAPSHOTS=1` re-records (and fails, so a
/// recording run is never mistaken for a passing one).
func assertSnapshot(
  _ image: Image, named name: String, share: Double = 0.002, drift: Int = 3,
  file: StaticString = #filePath, line: UInt = #line
) throws {
  let directory = RenderFixtures.url("snapshots")
  let path = directory.appendingPathComponent(name + ".png")
  let actualPath = directory.appendingPathComponent(name + ".actual.png")
  let diffPath = directory.appendingPathComponent(name + ".diff.png")
  if ProcessInfo.processInfo.environment["GLIMPSE_RECORD_SNAPSHOTS"] == "1" {
    try Data(try image.pngData()).write(to: path)
    XCTFail(
      "recorded snapshot \(name).png; run again without GLIMPSE_RECORD_SNAPSHOTS", file: file,
      line: line)
    return
  }
  guard FileManager.default.fileExists(atPath: path.path) else {
    try Data(try image.pngData()).write(to: actualPath)
    XCTFail(
      "no snapshot \(name).png (wrote \(name).actual.png); record with GLIMPSE_RECORD_SNAPSHOTS=1",
      file: file, line: line)
    return
  }
  let expected = try Image(contentsOfFile: path.path)
  let d = snapshotDifference(image, expected)
  if d.sameSize && d.differingShare <= share && d.maxDifference <= drift {
    try? FileManager.default.removeItem(at: actualPath)
    try? FileManager.default.removeItem(at: diffPath)
    return
  }
  try Data(try image.pngData()).write(to: actualPath)
  if let diffImage = d.diffImage { try Data(try diffImage.pngData()).write(to: diffPath) }
  let what =
    d.sameSize
    ? "\(d.differingShare * 100)% of pixels differ (allowed \(share * 100)%), "
      + "max \(d.maxDifference) (allowed \(drift))"
    : "size \(image.width)x\(image.height) vs \(expected.width)x\(expected.height)"
  XCTFail(
    "\(name): \(what); see \(actualPath.path) and \(diffPath.lastPathComponent)",
    file: file, line: line)
}

/// A 300x200 synthetic outdoor scene (sky, sun at upper right, ground, a house at lower left):
/// photo-like smooth areas and edges, and no fixture file to keep.
func syntheticScene(width: Int = 300, height: Int = 200) -> Image {
  var pixels = [UInt8](repeating: 0, count: width * height * 3)
  for y in 0..<height {
    for x in 0..<width {
      var c: (Double, Double, Double)
      let fy = Double(y) / Double(height)
      let fx = Double(x) / Double(width)
      if fy < 0.62 {
        c = (90 + 110 * fy, 150 + 80 * fy, 235 - 20 * fy)  // sky, lighter at the horizon
      } else {
        c = (70 + 40 * fx, 130 - 30 * fy, 60)  // ground
      }
      let sx = Double(x) - 0.78 * Double(width)
      let sy = Double(y) - 0.22 * Double(height)
      if sx * sx + sy * sy < 18 * 18 { c = (255, 215, 80) }  // sun
      if fx > 0.12 && fx < 0.38 && fy > 0.45 && fy < 0.85 { c = (170, 80, 60) }  // house
      if fx > 0.22 && fx < 0.28 && fy > 0.65 && fy < 0.85 { c = (90, 50, 30) }  // door
      let at = (y * width + x) * 3
      pixels[at] = UInt8(c.0)
      pixels[at + 1] = UInt8(c.1)
      pixels[at + 2] = UInt8(c.2)
    }
  }
  return Image(width: width, height: height, channels: 3, pixels: pixels)
}

/// A `width` x `height` map: a Gaussian bump of `amplitude` centred at (`cx`, `cy`) in map cells.
func bump(width: Int, height: Int, cx: Double, cy: Double, sigma: Double, amplitude: Double = 1)
  -> ScalarMap
{
  var values = [Float]()
  for y in 0..<height {
    for x in 0..<width {
      let d2 = (Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)
      values.append(Float(amplitude * exp(-d2 / (2 * sigma * sigma))))
    }
  }
  return ScalarMap(width: width, height: height, values: values)
}

final class RenderSnapshotTests: XCTestCase {
  func testGradCAMStyleOverlaySnapshot() throws {
    let scene = syntheticScene()
    let map = bump(width: 7, height: 5, cx: 5.3, cy: 1.0, sigma: 1.1)
    let overlay = scene.overlaid(
      with: map, normalization: .minMax, colormap: .jet, blend: .alpha(0.5))
    try assertSnapshot(overlay, named: "overlay-jet-300x200")
  }

  func testSHAPLayoutSnapshot() throws {
    let scene = syntheticScene()
    let positive = bump(width: 15, height: 10, cx: 11.5, cy: 2.2, sigma: 1.5)
    let negative = bump(width: 15, height: 10, cx: 3.8, cy: 6.5, sigma: 2, amplitude: -0.6)
    let first = ScalarMap(
      width: 15, height: 10, values: zip(positive.values, negative.values).map(+))
    let second = ScalarMap(width: 15, height: 10, values: first.values.map { -0.5 * $0 })
    let figure = Layout.shap(
      [
        SHAPRow(
          photo: scene,
          classes: [CaptionedMap("sun 0.81", first), CaptionedMap("house 0.07", second)])
      ],
      panelHeight: 100, style: GridStyle())
    try assertSnapshot(figure, named: "shap-layout")
  }

  func testSnapshotComparisonCatchesChanges() {
    let scene = syntheticScene(width: 40, height: 30)
    XCTAssertEqual(snapshotDifference(scene, scene).differingShare, 0)
    var changed = scene
    changed.pixels[0] = changed.pixels[0] &+ 9
    changed.pixels[(15 * 40 + 20) * 3 + 2] = changed.pixels[(15 * 40 + 20) * 3 + 2] &+ 2
    let d = snapshotDifference(changed, scene)
    XCTAssertEqual(d.maxDifference, 9)
    XCTAssertEqual(d.differingShare, 2.0 / 1200, accuracy: 1e-12)
    XCTAssertFalse(snapshotDifference(syntheticScene(width: 30, height: 40), scene).sameSize)
  }
}
