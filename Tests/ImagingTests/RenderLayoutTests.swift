import Imaging
import XCTest

/// A `width` x `height` picture of one colour.
func solid(_ width: Int, _ height: Int, _ color: RGB) -> Image {
  Image(
    width: width, height: height, channels: 3,
    pixels: Array((0..<width * height).map { _ in [color.r, color.g, color.b] }.joined()))
}

final class RenderLayoutTests: XCTestCase {
  let style = GridStyle()  // margin 8, gap 8, caption gap 4, 1x font (9-pixel lines)

  func testGridGeometryByHand() {
    let rows = [
      [Panel(solid(10, 20, .black), caption: "a"), Panel(solid(30, 10, .black))],
      [Panel(solid(20, 5, .black), caption: "b\nc")],
    ]
    let g = GridGeometry(rows, style: style)
    XCTAssertEqual(g.columnWidths, [20, 30])
    XCTAssertEqual(g.captionHeights, [9 + 4, 18 + 4])
    XCTAssertEqual(g.imageHeights, [20, 5])
    XCTAssertEqual(g.width, 8 + 20 + 8 + 30 + 8)
    XCTAssertEqual(g.height, 8 + 33 + 8 + 27 + 8)
    XCTAssertTrue(g.cellOrigin(row: 1, column: 0, style: style) == (8, 8 + 33 + 8))
    let image = composeGrid(rows, style: style)
    XCTAssertEqual(image.width, g.width)
    XCTAssertEqual(image.height, g.height)
  }

  func testPanelsAreCentredUnderTheirCaptions() {
    let red = RGB(255, 0, 0)
    let rows = [
      [Panel(solid(10, 20, red), caption: "x"), Panel(solid(30, 10, .black))],
      [Panel(solid(20, 6, red))],
    ]
    let image = composeGrid(rows, style: style)
    func at(_ x: Int, _ y: Int) -> RGB {
      let p = (y * image.width + x) * 3
      return RGB(image.pixels[p], image.pixels[p + 1], image.pixels[p + 2])
    }
    // Row 0: caption band 13 tall, so pictures start at y = 21. The 10-wide red panel sits in
    // a 20-wide column at x = 8 + 5; the 10-tall black one is centred in 20 rows (y = 26).
    XCTAssertEqual(at(13, 21), red)
    XCTAssertEqual(at(12, 21), .white)
    XCTAssertEqual(at(22, 40), red)
    XCTAssertEqual(at(36, 26), .black)
    XCTAssertEqual(at(36, 25), .white)
    // Row 1 has no captions: its picture starts right at its cell top, 8 + 33 + 8 = 49.
    XCTAssertEqual(at(8, 49), red)
    // The caption "x" is inked somewhere above the first panel.
    let band = (8..<17).flatMap { y in (8..<28).map { at($0, y) } }
    XCTAssertTrue(band.contains(.ink))
  }

  func testLongCaptionsAreShortenedToTheirPanel() {
    let font = BitmapFont()
    let text = fitted("a very long class name", width: 60, font: font)
    XCTAssertTrue(text.hasSuffix(".."))
    XCTAssertLessThanOrEqual(font.width(of: text) - 1, 60)
    XCTAssertGreaterThan(font.width(of: text + "x") - 1, 60 - 6, "as much as fits is kept")
    XCTAssertEqual(fitted("short", width: 60, font: font), "short")
  }

  func testSHAPLayoutSizeAndPanels() {
    let photo = solid(60, 40, RGB(100, 200, 50))
    let zero = ScalarMap(width: 6, height: 4, values: Array(repeating: 0, count: 24))
    var hot = zero
    hot.values[0] = 2
    hot.values[23] = -2
    let figure = Layout.shap(
      [SHAPRow(photo: photo, classes: [CaptionedMap("cat", hot), CaptionedMap("dog", zero)])],
      panelHeight: nil, style: style)
    // Grid: 8 + 3 * 60 + 2 * 8 + 8 wide; 8 + (13 + 40) + 8 tall. Colour bar: 8-pixel bar,
    // 3 tick, 2 gap, 9 labels, 2 gap, 9 title; then an 8-pixel margin.
    XCTAssertEqual(figure.width, 212)
    XCTAssertEqual(figure.height, 69 + (8 + 3 + 2 + 9 + 2 + 9) + 8)
    func at(_ x: Int, _ y: Int) -> [UInt8] {
      let p = (y * figure.width + x) * 3
      return Array(figure.pixels[p..<p + 3])
    }
    let top = 8 + 13
    XCTAssertEqual(at(8, top), [100, 200, 50], "first column: the photo itself")
    XCTAssertEqual(at(8 + 68 + 30, top + 20), [240, 240, 240], "zero: the faded grey photo")
    XCTAssertEqual(at(8 + 68, top), [255, 13, 87], "positive corner: SHAP red")
    XCTAssertEqual(at(8 + 68 + 59, top + 39), [30, 136, 229], "negative corner: SHAP blue")
    XCTAssertEqual(at(8 + 136 + 30, top + 20), [240, 240, 240], "an all-zero map stays grey")
  }

  func testHeatmapPanelsScaleThePhotoAndSitSideBySide() {
    let photo = solid(90, 60, .white)
    let map = ScalarMap(width: 3, height: 2, values: [0, 1, 2, 3, 4, 5])
    let figure = Layout.heatmapPanels(
      photo: photo, maps: [CaptionedMap("a 0.5", map), CaptionedMap("b 0.2", map)],
      panelHeight: 30, style: style)
    XCTAssertEqual(figure.width, 8 + 45 + 8 + 45 + 8)
    XCTAssertEqual(figure.height, 8 + 13 + 30 + 8)
  }

  func testActivationGridGeometry() {
    let maps = (0..<5).map { k in
      ScalarMap(width: 14, height: 7, values: (0..<98).map { Float($0 + k) })
    }
    let figure = Layout.activationGrid(maps, channels: [3, 8, 9, 12, 40], tileSize: 20)
    // 3 per row (ceil(sqrt(5))), tiles 20x10, margin and gap 6, caption 9 + 2.
    XCTAssertEqual(figure.width, 6 + 3 * 20 + 2 * 6 + 6)
    XCTAssertEqual(figure.height, 6 + 2 * (11 + 10) + 6 + 6)
    let first = (6 + 11) * figure.width * 3 + 6 * 3
    let low = Colormap.viridis.rgba(at: 0)
    XCTAssertEqual(Array(figure.pixels[first..<first + 3]), [low.r, low.g, low.b])
  }

  func testPhotoFittingKeepsAspect() {
    let photo = solid(300, 200, .black)
    let small = photo.fitted(height: 100)
    XCTAssertEqual(small.width, 150)
    XCTAssertEqual(small.height, 100)
    XCTAssertEqual(photo.fitted(height: nil), photo)
    XCTAssertEqual(photo.fitted(height: 200), photo)
  }
}

final class RenderColorBarTests: XCTestCase {
  func testTickLabels() {
    XCTAssertEqual(ColorBar.format(0), "0")
    XCTAssertEqual(ColorBar.format(1), "1")
    XCTAssertEqual(ColorBar.format(0.0123), "0.0123")
    XCTAssertEqual(ColorBar.format(-1.5), "-1.5")
    XCTAssertEqual(ColorBar.format(250), "250")
    XCTAssertEqual(ColorBar.format(12.345), "12.3")
    XCTAssertEqual(ColorBar.format(0.99996), "1")
    XCTAssertEqual(ColorBar.format(2.5e-5), "2.5e-5")
    XCTAssertEqual(ColorBar.format(123_456), "1.23e5")
    XCTAssertEqual(ColorBar.format(-0.000999996), "-0.001")
  }

  func testTicksAreMinZeroMax() {
    let symmetric = ColorBar(
      colormap: .redTransparentBlue, scale: MapScale(low: -2, high: 2), width: 101)
    XCTAssertEqual(symmetric.ticks, [-2, 0, 2])
    XCTAssertEqual(symmetric.column(of: 0), 50)
    XCTAssertEqual(symmetric.column(of: 2), 100)
    let positive = ColorBar(colormap: .jet, scale: MapScale(low: 0.5, high: 3), width: 50)
    XCTAssertEqual(positive.ticks, [0.5, 3])
  }

  func testZeroLabelGivesWayToCrowdedEnds() {
    let crowded = ColorBar(colormap: .jet, scale: MapScale(low: -0.001, high: 1000), width: 120)
    XCTAssertEqual(crowded.labelPlacements().map(\.value), [-0.001, 1000])
    let roomy = ColorBar(colormap: .jet, scale: MapScale(low: -1, high: 1), width: 120)
    let placed = roomy.labelPlacements()
    XCTAssertEqual(placed.map(\.value), [-1, 0, 1])
    XCTAssertEqual(placed[0].left, 0, "the low label is flush left")
    XCTAssertEqual(placed[2].left, 120 - 5, "the high label is flush right")
  }

  func testRenderedBarShowsTheColormap() {
    let bar = ColorBar(
      colormap: .redTransparentBlue, scale: MapScale(low: -1, high: 1), label: "SHAP value",
      width: 101)
    let image = bar.render()
    XCTAssertEqual(image.width, 101)
    XCTAssertEqual(image.height, bar.height)
    XCTAssertEqual(bar.height, 12 + 3 + 2 + 9 + 2 + 9)
    XCTAssertEqual(Array(image.pixels[0..<3]), [30, 136, 229])
    XCTAssertEqual(Array(image.pixels[150..<153]), [255, 255, 255], "transparent centre on white")
    XCTAssertEqual(Array(image.pixels[300..<303]), [255, 13, 87])
  }
}
