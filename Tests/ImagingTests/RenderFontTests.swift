import Imaging
import XCTest

final class RenderFontTests: XCTestCase {
  let printable = (32...126).map { Character(UnicodeScalar(UInt8($0))) }

  func testEveryPrintableGlyphIsDistinct() {
    let glyphs = printable.map(BitmapFont.glyph)
    XCTAssertEqual(Set(glyphs).count, 95)
    XCTAssertEqual(glyphs.filter { $0 == 0 }.count, 1, "only the space is blank")
    XCTAssertEqual(BitmapFont.glyph(" "), 0)
  }

  func testOnlyDescendersReachBelowTheBaseline() {
    let below = printable.filter { c in
      (0..<5).contains { x in BitmapFont.ink(c, x: x, y: 7) || BitmapFont.ink(c, x: x, y: 8) }
    }
    XCTAssertEqual(String(below), ",;_gjpqy|")
  }

  func testGlyphArtByHand() {
    // "T": a full top bar, then the middle column down to the baseline.
    for x in 0..<5 { XCTAssertTrue(BitmapFont.ink("T", x: x, y: 0)) }
    for y in 1..<7 {
      for x in 0..<5 { XCTAssertEqual(BitmapFont.ink("T", x: x, y: y), x == 2, "T at \(x),\(y)") }
    }
    XCTAssertFalse(BitmapFont.ink("T", x: 2, y: 7))
  }

  func testWidthIsTheSumOfAdvances() {
    XCTAssertEqual(BitmapFont().width(of: "Hello"), 5 * 6)
    XCTAssertEqual(BitmapFont(scale: 2).width(of: "Hello, world"), 12 * 12)
    XCTAssertEqual(BitmapFont().width(of: ""), 0)
    XCTAssertEqual(BitmapFont().width(of: "né"), 12, "one advance per character, ASCII or not")
    XCTAssertEqual(BitmapFont.glyph("é"), BitmapFont.glyph("?"))
    XCTAssertEqual(BitmapFont(scale: 2).lineHeight, 18)
  }

  func testDrawnPixelsFollowTheGlyphAtScaleTwo() {
    var canvas = Canvas(width: 40, height: 30)
    canvas.draw("Ag", x: 3, y: 2, font: BitmapFont(scale: 2), color: .black)
    for (i, c) in ["A", "g"].enumerated() {
      for row in 0..<9 {
        for column in 0..<5 {
          let ink = BitmapFont.ink(Character(c), x: column, y: row)
          for dy in 0..<2 {
            for dx in 0..<2 {
              let x = 3 + i * 12 + column * 2 + dx
              let y = 2 + row * 2 + dy
              XCTAssertEqual(canvas[x, y], ink ? .black : .white, "\(c) at \(column),\(row)")
            }
          }
        }
      }
    }
    XCTAssertEqual(canvas[13, 5], .white, "the spacing column stays blank")
  }

  func testBackgroundBoxSurroundsTheText() {
    var canvas = Canvas(width: 30, height: 20)
    canvas.draw("Hi", x: 5, y: 4, color: .white, background: .black, padding: 2)
    let box = canvas.textBox("Hi", x: 5, y: 4, font: BitmapFont(), padding: 2)
    XCTAssertEqual(box, PixelRect(x: 3, y: 2, width: 11 + 4, height: 9 + 4))
    XCTAssertEqual(canvas[3, 2], .black)
    XCTAssertEqual(canvas[17, 14], .black)
    XCTAssertEqual(canvas[2, 2], .white)
    XCTAssertEqual(canvas[18, 14], .white)
    XCTAssertEqual(canvas[5, 4], .white, "the H's ink is white on the box")
    XCTAssertEqual(canvas[6, 4], .black, "between the H's stems is the box")
  }

  func testDrawingOffTheCanvasIsClipped() {
    var canvas = Canvas(width: 8, height: 8)
    canvas.draw("WWW", x: -4, y: -3, font: BitmapFont(scale: 2))
    canvas.fill(PixelRect(x: 6, y: 6, width: 10, height: 10), .black)
    XCTAssertEqual(canvas[7, 7], .black)
    XCTAssertEqual(canvas.image.pixels.count, 8 * 8 * 3)
  }
}
