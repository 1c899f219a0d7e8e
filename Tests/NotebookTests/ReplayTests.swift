// Replaying notebooks in-process through the toy executor: verdicts, report lines, images
// written on failure, sanitizers, tags, errors, timeouts.
import Foundation
import Imaging
import Interpreter
import JupyterProtocol
import XCTest

@testable import Notebook

final class ReplayTests: XCTestCase {
  var scratch: Scratch!

  override func setUpWithError() throws { scratch = try Scratch() }
  override func tearDown() { scratch.cleanUp() }

  private func options() -> ReplayOptions {
    ReplayOptions(artifactsDirectory: scratch.path("artifacts"))
  }

  func testMatchingNotebookPassesWithStateAcrossCellsAndCellPositions() throws {
    let notebook = glimpseNotebook([
      .code("print hello", outputs: [Saved.stdout("hello\n")]),
      NotebookCell(kind: .markdown, source: "# a heading"),
      .code("set tabby"),
      .code("get", outputs: [Saved.result("tabby", count: 12)]),
      .code("image 12 8 50", outputs: [Saved.image(12, 8, shade: 50)]),
      .code(
        "display 0% p\nupdate 100% p",
        outputs: [.display(MIMEBundle(data: ["text/plain": .text("100%")]))]),
      .code("  \n"),
    ])
    let path = try scratch.write("good.ipynb", notebook)
    var executors: [ToyExecutor] = []
    var lines: [String] = []
    let code = Replayer(options(), output: { lines.append($0) }).run(paths: [path]) {
      let executor = ToyExecutor()
      executors.append(executor)
      return executor
    }
    XCTAssertEqual(code, 0)
    XCTAssertEqual(
      lines,
      [
        path, "cell 1 [print hello]: passed", "cell 3 [set tabby]: passed", "cell 4 [get]: passed",
        "cell 5 [image 12 8 50]: passed", "cell 6 [display 0% p]: passed", "5 passed, 0 failed",
      ])
    XCTAssertEqual(executors.count, 1, "one fresh executor per notebook")
    XCTAssertEqual(executors[0].executed.map(\.0), [1, 3, 4, 5, 6], "cell numbers are positions")
    XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("artifacts")))
  }

  func testChangedHeatmapFailsAndWritesActualAndDiffImages() throws {
    // The text/plain part is identical: only the pixels tell the heatmap changed.
    let notebook = glimpseNotebook([
      .code("print ok", outputs: [Saved.stdout("ok\n")]),
      .code("image 12 8 50 4", outputs: [Saved.image(12, 8, shade: 50)]),
    ])
    let path = try scratch.write("heat map.ipynb", notebook)
    let result = replay([path], options: options())
    XCTAssertEqual(result.code, 1)
    let actual = scratch.path("artifacts/heat map.cell2.actual.png")
    let diff = scratch.path("artifacts/heat map.cell2.diff.png")
    XCTAssertEqual(
      result.lines,
      [
        path, "cell 1 [print ok]: passed",
        "cell 2 [image 12 8 50 4]: failed (output 1 (image/png): 16.7% of pixels (16 of 96) "
          + "differ by more than 8/255 (at most 255/255); allowed 1.0%)",
        "    wrote \(actual)", "    wrote \(diff)", "1 passed, 1 failed",
      ])
    let written = try Image(contentsOfFile: actual)
    XCTAssertEqual(written, ToyImages.image(width: 12, height: 8, shade: 50, spot: 4))
    let picture = try Image(contentsOfFile: diff)
    XCTAssertEqual([picture.width, picture.height], [12, 8])
    XCTAssertEqual(Array(picture.pixels[0..<3]), [255, 0, 0], "changed pixel in red")
    let last = (8 * 12 - 1) * 3
    XCTAssertEqual(picture.pixels[last], picture.pixels[last + 1], "unchanged pixel in grey")
    XCTAssertGreaterThan(picture.pixels[last], 190)
  }

  func testImageToleranceFromNotebookMetadata() throws {
    let cells: [NotebookCell] = [.code("image 12 8 50 4", outputs: [Saved.image(12, 8, shade: 50)])]
    let lenient = glimpseNotebook(
      cells, metadata: ["glimpse": ["image_tolerance": ["max_differing_fraction": 0.2]]])
    XCTAssertEqual(
      replay([try scratch.write("lenient.ipynb", lenient)], options: options()).code, 0)
    let blind = glimpseNotebook(
      cells, metadata: ["glimpse": ["image_tolerance": ["channel_threshold": 255]]])
    XCTAssertEqual(replay([try scratch.write("blind.ipynb", blind)], options: options()).code, 0)
    let bad = glimpseNotebook(
      cells, metadata: ["glimpse": ["image_tolerance": ["channel_threshold": 300]]])
    let result = replay([try scratch.write("bad.ipynb", bad)], options: options())
    XCTAssertTrue(
      result.text.contains(
        "metadata.glimpse.image_tolerance.channel_threshold: expected an integer in 0...255"),
      result.text)
  }

  func testChangedTimingPassesOnlyWithTheSanitizer() throws {
    let notebook = glimpseNotebook([
      .code("time 95", outputs: [Saved.stdout("forward pass took 812 ms\n")]),
      .code("tmpfile", outputs: [Saved.stdout("saved /tmp/glimpse-0000/map.npy\n")]),
    ])
    let path = try scratch.write("timing.ipynb", notebook)
    XCTAssertEqual(replay([path], options: options()).lines.last, "2 passed, 0 failed")

    var raw = options()
    raw.builtInSanitizers = false
    let result = replay([path], options: raw)
    XCTAssertEqual(result.code, 1)
    let details = result.lines.drop { !$0.hasPrefix("cell 1") }.prefix(6)
    XCTAssertEqual(
      Array(details),
      [
        "cell 1 [time 95]: failed (output 1 (stream stdout) differs)",
        "    --- expected", "    +++ actual", "    @@ -1,1 +1,1 @@",
        "    -forward pass took 812 ms", "    +forward pass took 95 ms",
      ])
  }

  func testSanitizersFromNotebookMetadataAndFile() throws {
    let cells: [NotebookCell] = [
      .code("print seed 7 id-x1", outputs: [Saved.stdout("seed 3 id-y2\n")])
    ]
    let file = try scratch.write("ids.cfg", "[ids]\nregex: id-\\w+\nreplace: ID\n")
    let notebook = glimpseNotebook(
      cells, metadata: ["glimpse": ["sanitizers": [["regex": "seed \\d+", "replace": "seed N"]]]])
    let path = try scratch.write("seeds.ipynb", notebook)
    var opts = options()
    XCTAssertEqual(replay([path], options: opts).code, 1, "ids still differ")
    opts.sanitizerFiles = [file]
    XCTAssertEqual(replay([path], options: opts).code, 0)
  }

  func testRaisesExceptionCells() throws {
    let notebook = glimpseNotebook([
      .code(
        "fail UnknownLayer unknown layer 'blok14'",
        outputs: [Saved.error("UnknownLayer", "unknown layer 'blok14'")], tags: ["raises-exception"]
      ),
      .code("print fine", outputs: [Saved.stdout("fine\n")], tags: ["raises-exception"]),
      .code(
        "fail UnknownClass no class 'tabbby'",
        outputs: [Saved.error("UnknownLayer", "unknown layer 'blok14'")], tags: ["raises-exception"]
      ),
      .code("fail BadShape cannot reshape", outputs: []),
      .code("print still running", outputs: [Saved.stdout("still running\n")]),
    ])
    let path = try scratch.write("errors.ipynb", notebook)
    let result = replay([path], options: options())
    XCTAssertEqual(result.code, 1)
    XCTAssertEqual(
      result.lines.filter { $0.hasPrefix("cell") || $0.contains("passed,") },
      [
        "cell 1 [fail UnknownLayer unknown layer 'blok14']: expected failure seen (UnknownLayer)",
        "cell 2 [print fine]: failed (expected failure missing: the cell raised no error)",
        "cell 3 [fail UnknownClass no class 'tabbby']: failed (output 1 (error) differs)",
        "cell 4 [fail BadShape cannot reshape]: failed (raised BadShape: cannot reshape)",
        "cell 5 [print still running]: passed",
        "2 passed, 3 failed",
      ])
    XCTAssertTrue(result.lines.contains("    error: BadShape cannot reshape"), "traceback shown")
    XCTAssertTrue(result.lines.contains("    +UnknownClass: no class 'tabbby'"), result.text)
  }

  func testSkipCompareTagsRunButDoNotCompare() throws {
    let notebook = glimpseNotebook([
      .code("set x\nprint new", outputs: [Saved.stdout("old\n")], tags: ["skip-compare"]),
      .code("print new", outputs: [], tags: ["nbval-ignore-output"]),
      .code("get", outputs: [Saved.result("x")]),
      .code("fail Oops bad", outputs: [], tags: ["skip-compare"]),
    ])
    let result = replay([try scratch.write("skip.ipynb", notebook)], options: options())
    XCTAssertEqual(
      Array(result.lines.dropFirst()),
      [
        "cell 1 [set x]: passed (compare skipped)", "cell 2 [print new]: passed (compare skipped)",
        "cell 3 [get]: passed", "cell 4 [fail Oops bad]: failed (raised Oops: bad)",
        "    error: Oops bad", "     --> cell 4", "3 passed, 1 failed",
      ])
  }

  func testBadJSONAndUnknownLanguageGiveClearErrorsAndOtherNotebooksStillRun() throws {
    let broken = try scratch.write("broken.ipynb", "{\"cells\": [\n  {]\n}")
    var python = Notebook(cells: [.code("print(1)")])
    python.metadata["kernelspec"] = [
      "name": "python3", "language": "python", "display_name": "Python 3",
    ]
    let foreign = try scratch.write("python.ipynb", python)
    var info = Notebook(cells: [.code("x")])
    info.metadata["language_info"] = ["name": "julia"]
    let julia = try scratch.write("julia.ipynb", info)
    let good = try scratch.write(
      "good.ipynb", glimpseNotebook([.code("print a", outputs: [Saved.stdout("a\n")])]))
    let result = replay(
      [broken, foreign, julia, scratch.path("missing.ipynb"), good], options: options())
    XCTAssertEqual(result.code, 1)
    XCTAssertEqual(
      result.lines.filter { $0.hasPrefix("error") },
      [
        "error: notebook '\(broken)' is not valid JSON: line 2, column 4: "
          + "Invalid value around character 15",
        "error: notebook '\(foreign)' is for kernel language 'python' "
          + "(metadata.kernelspec.language); this replays 'glimpse' notebooks",
        "error: notebook '\(julia)' is for kernel language 'julia' "
          + "(metadata.language_info.name); this replays 'glimpse' notebooks",
        "error: cannot read notebook '\(scratch.path("missing.ipynb"))': no such file",
      ])
    XCTAssertEqual(result.lines.suffix(2), ["cell 1 [print a]: passed", "1 passed, 4 failed"])
  }

  func testTimeoutInterruptsAndTheNextCellStillRuns() throws {
    let notebook = glimpseNotebook([
      .code("sleep 10000"), .code("print after", outputs: [Saved.stdout("after\n")]),
    ])
    var opts = options()
    opts.timeout = .milliseconds(200)
    let start = ContinuousClock.now
    let result = replay([try scratch.write("slow.ipynb", notebook)], options: opts)
    XCTAssertLessThan(ContinuousClock.now - start, .seconds(3))
    XCTAssertEqual(
      Array(result.lines.dropFirst()),
      [
        "cell 1 [sleep 10000]: failed (timed out after 0.2 s and was interrupted)",
        "cell 2 [print after]: passed", "1 passed, 1 failed",
      ])
  }

  func testStopOnFirstFailureStopsEverything() throws {
    let first = try scratch.write(
      "first.ipynb",
      glimpseNotebook([
        .code("print a", outputs: [Saved.stdout("a\n")]),
        .code("print b", outputs: [Saved.stdout("not b\n")]), .code("print c"),
      ]))
    let second = try scratch.write("second.ipynb", glimpseNotebook([.code("print z")]))
    var opts = options()
    opts.stopOnFirstFailure = true
    let result = replay([first, second], options: opts)
    XCTAssertEqual(result.code, 1)
    XCTAssertFalse(result.lines.contains(second))
    XCTAssertFalse(result.text.contains("cell 3"))
    XCTAssertEqual(result.lines.suffix(2), ["stopped at the first failure", "1 passed, 1 failed"])
  }
}
