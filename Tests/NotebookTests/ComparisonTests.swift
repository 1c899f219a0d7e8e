// Text diffs, sanitizers and pixel comparison, each against hand-worked answers.
import Foundation
import Imaging
import Interpreter
import XCTest

@testable import Notebook

final class ComparisonTests: XCTestCase {
  func testUnifiedDiffLayout() {
    let expected = "a\nb\nc\nd\ne\nf\ng\nh\n"
    let actual = "a\nb\nc\nD\ne\nf\ng\nh\nextra"
    XCTAssertEqual(
      TextDiff.unified(expected: expected, actual: actual),
      [
        "--- expected", "+++ actual", "@@ -1,8 +1,9 @@", " a", " b", " c", "-d", "+D", " e", " f",
        " g", " h", "+extra", "\\ No newline at end of file",
      ])
    // Changes more than 2 * 3 unchanged lines apart make two hunks, as in diff -u.
    let lines = (1...20).map { "l\($0)\n" }
    var changed = lines
    changed[1] = "L2\n"
    changed[17] = "L18\n"
    XCTAssertEqual(
      TextDiff.unified(expected: lines.joined(), actual: changed.joined()),
      [
        "--- expected", "+++ actual", "@@ -1,5 +1,5 @@", " l1", "-l2", "+L2", " l3", " l4", " l5",
        "@@ -15,6 +15,6 @@", " l15", " l16", " l17", "-l18", "+L18", " l19", " l20",
      ])
    XCTAssertEqual(TextDiff.unified(expected: "same\n", actual: "same\n"), [])
    XCTAssertEqual(
      TextDiff.unified(expected: "", actual: "new\n"),
      ["--- expected", "+++ actual", "@@ -0,0 +1,1 @@", "+new"])
  }

  func testEditScriptsRebuildBothTextsAndAreMinimal() {
    var random = SystemRandomNumberGenerator()
    for trial in 0..<300 {
      let x = (0..<Int.random(in: 0...30, using: &random)).map { _ in "\(Int.random(in: 0..<4))" }
      var y = x
      for _ in 0..<Int.random(in: 0...8, using: &random) {
        if !y.isEmpty, Bool.random(using: &random) {
          y.remove(at: Int.random(in: 0..<y.count, using: &random))
        } else {
          y.insert("\(Int.random(in: 0..<5))", at: Int.random(in: 0...y.count, using: &random))
        }
      }
      let a = TextDiff.lines(of: x.map { $0 + "\n" }.joined())
      let b = TextDiff.lines(of: y.map { $0 + "\n" }.joined())
      for maxEdits in [1000, 2] {
        let edits = TextDiff.edits(a, b, maxEdits: maxEdits)
        var old: [TextDiff.Line] = []
        var new: [TextDiff.Line] = []
        var changes = 0
        for edit in edits {
          switch edit {
          case .same(let l): (old, new) = (old + [l], new + [l])
          case .removed(let l): (old, changes) = (old + [l], changes + 1)
          case .added(let l): (new, changes) = (new + [l], changes + 1)
          }
        }
        XCTAssertEqual(old, a, "trial \(trial)")
        XCTAssertEqual(new, b, "trial \(trial)")
        if maxEdits == 1000 {
          XCTAssertEqual(
            changes, a.count + b.count - 2 * lcsLength(x, y), "trial \(trial): \(x) \(y)")
        }
      }
    }
  }

  /// Longest common subsequence length by the textbook table (the reference for minimality).
  private func lcsLength(_ x: [String], _ y: [String]) -> Int {
    var table = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in stride(from: x.count - 1, through: 0, by: -1) {
      for j in stride(from: y.count - 1, through: 0, by: -1) {
        table[i][j] = x[i] == y[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
      }
    }
    return table[0][0]
  }

  func testBuiltInSanitizersHideDurationsAndTemporaryPaths() {
    let text =
      "took 123 ms, then 1.23 s and 4µs; 3 samples; step 2s\n"
      + "saved \(NSTemporaryDirectory())glimpse-1234/map.npy ok\n"
    XCTAssertEqual(
      Sanitizer.apply(Sanitizer.builtIn, to: text),
      "took <duration>, then <duration> and <duration>; 3 samples; step <duration>\n"
        + "saved <tmp> ok\n")
  }

  func testSanitizerFilesJSONAndINI() throws {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let json = try scratch.write(
      "s.json", #"{"sanitizers": [{"regex": "seed=(\\d+)", "replace": "seed=N"}]}"#)
    let ini = try scratch.write(
      "s.cfg",
      "# nbval layout\n[dates]\nregex: \\d{4}-\\d{2}-\\d{2}\nreplace: DATE\n\n"
        + "[ids]\nregex = id-(\\w+)\nreplace = ID($1)\n"
    )
    let list = try Sanitizer.load(file: json) + Sanitizer.load(file: ini)
    XCTAssertEqual(
      Sanitizer.apply(list, to: "seed=42 on 2024-05-01 for id-abc"),
      "seed=N on DATE for ID(abc)")
    let bad = try scratch.write("bad.json", #"[{"regex": "(unclosed"}]"#)
    XCTAssertThrowsError(try Sanitizer.load(file: bad)) { error in
      XCTAssertEqual(
        "\(error)", "bad sanitizer in \(bad): pattern '(unclosed' is not a valid regular expression"
      )
    }
    let noRegex = try scratch.write("bad.cfg", "[x]\nreplace: y\n")
    XCTAssertThrowsError(try Sanitizer.load(file: noRegex)) { error in
      XCTAssertEqual("\(error)", "bad sanitizer in \(noRegex): section [x] has no 'regex:' line")
    }
  }

  func testPixelDifferenceCountsPixelsOverTheThreshold() {
    let a = ToyImages.image(width: 10, height: 5, shade: 100)
    var b = a
    b.pixels[0] = b.pixels[0] &+ 8  // exactly at the threshold: not counted
    b.pixels[3 * 7 + 2] = 100 + 9  // pixel 7 blue moved by 9: counted
    b.pixels[3 * 20] = 200  // pixel 20 (x = 0) red 0 -> 200: counted, the largest
    let d = PixelDifference(expected: a, actual: b, threshold: 8)
    XCTAssertEqual(d.differingPixels, 2)
    XCTAssertEqual(d.totalPixels, 50)
    XCTAssertEqual(d.maxChannelDifference, 200)
    XCTAssertEqual(d.differingFraction, 0.04)
    let diff = PixelDifference.diffImage(expected: a, actual: b, threshold: 8)
    XCTAssertEqual(Array(diff.pixels[21..<24]), [255, 0, 0])
    XCTAssertEqual(Array(diff.pixels[60..<63]), [255, 0, 0])
    let grey = Array(diff.pixels[0..<3])
    XCTAssertEqual(Set(grey).count, 1, "unchanged pixels are grey")
    XCTAssertGreaterThanOrEqual(grey[0], 191, "and faded")
    XCTAssertEqual(
      diff.pixels.enumerated().filter { $0.offset % 3 == 1 && $0.element == 0 }.count, 2)
  }

  func testImagesCompareByPixelsNotBytes() throws {
    let image = ToyImages.image(width: 16, height: 8, shade: 30)
    let png = try image.pngData()
    // Same pixels, different bytes: an RGBA encoding of the same picture.
    var rgba = [UInt8]()
    for i in 0..<(16 * 8) { rgba += image.pixels[(3 * i)..<(3 * i + 3)] + [255] }
    let other = try Image(width: 16, height: 8, channels: 4, pixels: rgba).pngData()
    XCTAssertNotEqual(png, other)
    let comparer = OutputComparer(sanitizers: [])
    XCTAssertNil(comparer.compareImages(png, other, label: "x", index: 0))
    // One pixel of 128 (0.8%) may differ under the default 1%; two (1.6%) may not.
    let one = try ToyImages.image(width: 16, height: 8, shade: 30, spot: 1).pngData()
    XCTAssertNil(comparer.compareImages(png, one, label: "x", index: 0))
    let four = try ToyImages.image(width: 16, height: 8, shade: 30, spot: 2).pngData()
    let mismatch = try XCTUnwrap(comparer.compareImages(png, four, label: "out", index: 0))
    XCTAssertTrue(
      mismatch.summary.hasPrefix("out: 3.1% of pixels (4 of 128) differ by more than 8/255"),
      mismatch.summary)
    XCTAssertEqual(mismatch.image?.actualBytes, four)
    let small = try ToyImages.image(width: 8, height: 8, shade: 30).pngData()
    XCTAssertEqual(
      comparer.compareImages(png, small, label: "out", index: 0)?.summary,
      "out: size differs: expected 16x8, got 8x8")
  }

  func testJSONComparesByValueAndOutputCountMismatchIsDiffed() {
    let comparer = OutputComparer(sanitizers: [])
    let a = CellOutput.result(
      MIMEBundle(data: ["application/json": .json(#"{"b":1,"a":[1,2]}"#)]), executionCount: 1)
    let b = CellOutput.result(
      MIMEBundle(data: ["application/json": .json(#"{"a": [1, 2], "b": 1}"#)]), executionCount: 9)
    XCTAssertEqual(comparer.compare(expected: [a], actual: [b]), [])
    let c = CellOutput.result(
      MIMEBundle(data: ["application/json": .json(#"{"a":[1,3],"b":1}"#)]), executionCount: 1)
    let mismatch = comparer.compare(expected: [a], actual: [c])
    XCTAssertEqual(mismatch.first?.summary, "output 1 (application/json) differs")
    XCTAssertTrue(mismatch.first?.details.contains("-  2") ?? false, "\(mismatch)")

    let extra = comparer.compare(
      expected: [.stream(name: "stdout", text: "x\n")],
      actual: [.stream(name: "stdout", text: "x\n"), .stream(name: "stderr", text: "boom\n")])
    XCTAssertEqual(extra.first?.summary, "expected 1 output(s), got 2")
    XCTAssertEqual(Array(extra.first?.details.suffix(2) ?? []), ["+[stream stderr]", "+boom"])
  }
}

/// JSON outputs: numbers within a relative 1e-5, everything else exact.
final class JSONNumberComparisonTests: XCTestCase {
  func testFloat32LastBitsPassButRealChangesFail() {
    XCTAssertTrue(JSONNumbers.equal(#"[{"p": 0.7889695763587952, "n": "cat"}]"#, #"[{"n": "cat", "p": 0.7889699339866638}]"#))
    XCTAssertFalse(JSONNumbers.equal(#"{"p": 0.7889}"#, #"{"p": 0.7890}"#))
    XCTAssertFalse(JSONNumbers.equal(#"{"n": "cat"}"#, #"{"n": "dog"}"#))
    XCTAssertFalse(JSONNumbers.equal(#"{"b": true}"#, #"{"b": 1}"#))
    XCTAssertFalse(JSONNumbers.equal(#"[1, 2]"#, #"[1, 2, 3]"#))
    XCTAssertFalse(JSONNumbers.equal(#"{"a": 1}"#, #"{"b": 1}"#))
    XCTAssertTrue(JSONNumbers.equal(#"{"z": 0}"#, #"{"z": 1e-9}"#))
  }
}
