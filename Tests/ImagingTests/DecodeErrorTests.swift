// Damaged, foreign, empty and over-budget files fail with typed errors that name the file.
import Foundation
import XCTest
@testable import Imaging

final class DecodeErrorTests: XCTestCase {
  /// Decodes a file of the corpus's bad/ folder and returns the error it must raise.
  private func error(
    _ name: String, options: DecodeOptions = DecodeOptions(), file: StaticString = #filePath,
    line: UInt = #line
  ) -> ImageError? {
    do {
      let image = try Image(contentsOfFile: Corpus.path("bad/" + name), options: options)
      XCTFail("\(name) decoded to \(image.width)x\(image.height)", file: file, line: line)
      return nil
    } catch let error as ImageError {
      XCTAssertTrue(error.description.contains(name), "\(error) does not name the file", file: file, line: line)
      return error
    } catch {
      XCTFail("\(name): untyped error \(error)", file: file, line: line)
      return nil
    }
  }

  func testTruncatedFilesAreRefused() {
    for name in ["truncated.jpg", "truncated-progressive.jpg", "truncated.png", "header-only.png"] {
      guard case .truncated = error(name) else {
        XCTFail("\(name): expected a truncation error")
        continue
      }
    }
    XCTAssertTrue(error("truncated.jpg")!.description.contains("truncated"))
  }

  func testCorruptPNGIsRefused() throws {
    // A flipped byte inside IDAT: zlib trips over it before libpng reaches the chunk's CRC.
    guard case .corrupt(_, "PNG", let detail) = error("corrupt-crc.png") else {
      return XCTFail("expected a PNG corruption error")
    }
    XCTAssertTrue(detail.contains("IDAT"), detail)
    // A damaged CRC on IHDR is caught by the CRC itself.
    var bytes = try Corpus.bytes("rgb8.png")
    bytes[29] ^= 0xFF
    XCTAssertThrowsError(try Image(decoding: bytes, name: "crc.png")) {
      XCTAssertTrue(String(describing: $0).contains("CRC"), "\($0)")
    }
  }

  func testForeignFilesSayWhatTheyAre() {
    guard case .unsupportedFormat(_, let text) = error("not-an-image.png") else {
      return XCTFail("text accepted")
    }
    XCTAssertTrue(text.hasPrefix("text (starting \"hello, I am a text file"), text)
    guard case .unsupportedFormat(_, let gif) = error("really-a-gif.jpg") else {
      return XCTFail("GIF accepted")
    }
    XCTAssertEqual(gif, "a GIF image")
    XCTAssertEqual(ImageFormat.detect([0x00, 0x01, 0x02]), .other("unknown binary data (starts 00 01 02)"))
  }

  func testEmptyAndZeroSizeImages() {
    XCTAssertEqual(error("empty.png"), .empty(file: Corpus.path("bad/empty.png")))
    // libpng refuses a zero width itself; libjpeg a zero height. Either way: no pixels.
    for name in ["zero-width.png", "zero-height.jpg"] {
      switch error(name) {
      case .zeroSize?, .corrupt?: break
      default: XCTFail("\(name): expected an empty-image error")
      }
    }
    XCTAssertThrowsError(try Image(decoding: [], name: "nothing")) {
      XCTAssertEqual($0 as? ImageError, .empty(file: "nothing"))
    }
  }

  func testPixelBudgetIsCheckedFromTheHeader() throws {
    // 30000x30000 and 20000x20000 headers over tiny files: refused before any allocation.
    XCTAssertEqual(
      error("huge.png"),
      .tooLarge(file: Corpus.path("bad/huge.png"), width: 30000, height: 30000, limit: 100_000_000))
    guard case .tooLarge(_, 20000, 20000, 100_000_000)? = error("huge.jpg") else {
      return XCTFail("huge JPEG accepted")
    }
    // The budget is settable: 23x17 = 391 pixels.
    let small = DecodeOptions(maxPixels: 390)
    XCTAssertThrowsError(try Image(contentsOfFile: Corpus.path("rgb8.png"), options: small))
    XCTAssertThrowsError(try Image(contentsOfFile: Corpus.path("baseline420.jpg"), options: small))
    XCTAssertNoThrow(try Image(contentsOfFile: Corpus.path("rgb8.png"), options: DecodeOptions(maxPixels: 391)))
  }

  func testMissingFileIsUnreadable() {
    XCTAssertThrowsError(try Image(contentsOfFile: "/nonexistent/cat.png")) {
      XCTAssertEqual($0 as? ImageError, .unreadable(file: "/nonexistent/cat.png", reason: "no such file"))
    }
  }

  func testJPEGWarningsCanBeRefused() throws {
    // A stray byte inside the entropy-coded data: libjpeg warns ("Corrupt JPEG data") and goes on.
    var bytes = try Corpus.bytes("baseline420.jpg")
    let sos = (0..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA }!
    bytes.insert(contentsOf: [0xFF, 0xD0], at: bytes.count - 200)  // an out-of-place restart marker
    XCTAssertGreaterThan(bytes.count - 200, sos)
    let lenient = try? Image(decoding: bytes, name: "warned.jpg")
    XCTAssertNotNil(lenient, "warnings alone are tolerated by default")
    XCTAssertThrowsError(
      try Image(decoding: bytes, name: "warned.jpg", options: DecodeOptions(rejectsJPEGWarnings: true))
    ) {
      XCTAssertTrue(String(describing: $0).contains("warning"), "\($0)")
    }
  }
}
