import Foundation
import Imaging
import XCTest

/// The reference values made by Tests/Fixtures/generate/make_colormap_fixture.py.
struct RenderReference: Decodable {
  struct Upsample: Decodable {
    var width: Int
    var height: Int
    var out_width: Int
    var out_height: Int
    var input: [Float]
    var output: [Float]
  }
  var matplotlib: String
  var colormaps: [String: [[Double]]]
  var upsample: [Upsample]

  static let shared: RenderReference = {
    let data = try! Data(contentsOf: RenderFixtures.url("colormaps.json"))
    return try! JSONDecoder().decode(RenderReference.self, from: data)
  }()
}

final class RenderColormapTests: XCTestCase {
  /// The Swift name of each matplotlib map in the fixture.
  let pairs: [(String, Colormap)] = [
    ("jet", .jet), ("viridis", .viridis), ("inferno", .inferno), ("gray", .grey),
    ("red_transparent_blue", .redTransparentBlue), ("red_white_blue", .redWhiteBlue),
  ]

  func testEveryEntryMatchesMatplotlibWithinOneLevel() {
    let reference = RenderReference.shared.colormaps
    XCTAssertEqual(Set(reference.keys), Set(pairs.map(\.0)))
    for (name, colormap) in pairs {
      let expected = reference[name]!
      XCTAssertEqual(expected.count, 256, name)
      var worst = 0.0
      for i in 0..<256 {
        for c in 0..<4 {
          let got = Double(colormap.table[i * 4 + c]) / 255
          worst = max(worst, abs(got - expected[i][c]))
        }
      }
      XCTAssertLessThanOrEqual(worst, 1.0 / 255, "\(name): worst entry off by \(worst * 255)/255")
    }
  }

  func testSHAPEndsAndTransparentCentre() {
    let map = Colormap.redTransparentBlue
    XCTAssertTrue(map.rgba(at: 0) == (30, 136, 229, 255), "negative end is SHAP's blue")
    XCTAssertTrue(map.rgba(at: 1) == (255, 13, 87, 255), "positive end is SHAP's red")
    XCTAssertEqual(map.rgba(at: 0.5).a, 0, "zero is fully transparent")
    XCTAssertTrue(map.hasTransparency)
    XCTAssertFalse(Colormap.jet.hasTransparency)
    XCTAssertTrue(Colormap.redWhiteBlue.rgba(at: 0.5) == (255, 255, 255, 255))
  }

  func testPositionToEntryFollowsMatplotlib() {
    // matplotlib: index = floor(t * 256), 1.0 -> 255, out of range clipped.
    XCTAssertEqual(Colormap.index(0), 0)
    XCTAssertEqual(Colormap.index(0.5), 128)
    XCTAssertEqual(Colormap.index(127.99 / 256), 127)
    XCTAssertEqual(Colormap.index(1), 255)
    XCTAssertEqual(Colormap.index(1.7), 255)
    XCTAssertEqual(Colormap.index(-3), 0)
    XCTAssertEqual(Colormap.index(.nan), 0)
    XCTAssertTrue(Colormap.grey.rgba(at: 0.5) == (128, 128, 128, 255))
  }

  func testLookupByName() {
    XCTAssertEqual(Colormap.named("Viridis"), .viridis)
    XCTAssertEqual(Colormap.named("gray"), .grey)
    XCTAssertEqual(Colormap.named("red_transparent_blue"), .redTransparentBlue)
    XCTAssertNil(Colormap.named("rainbow"))
    XCTAssertEqual(Set(Colormap.all.map(\.name)).count, Colormap.all.count, "names are unique")
  }

  func testRenderCompositesTransparentEntriesOverWhite() {
    let map = ScalarMap(width: 3, height: 1, values: [-1, 0, 1])
    let image = Colormap.redTransparentBlue.render(map, scale: MapScale(low: -1, high: 1))
    XCTAssertEqual(image.pixels, [30, 136, 229, 255, 255, 255, 255, 13, 87])
  }
}
