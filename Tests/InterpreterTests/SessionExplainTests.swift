// Every command of the catalog end to end, and the pictures explanations answer with.
import CommandLanguage
import Imaging
import Interpreter
import XCTest

final class SessionExplainTests: XCTestCase {
  /// One line per command of the catalog, with small sample counts, and what it answers with.
  private static let cells: [(verb: String, line: String, answer: Answer)] = [
    ("load", "load", .text), ("image", "image rocket", .text), ("images", "images", .table),
    ("predict", "predict", .table), ("layers", "layers filter=top", .table),
    ("activations", "activations channels=4", .picture),
    ("gradcam", "gradcam", .picture), ("occlusion", "occlusion patch=112 stride=112", .progress),
    ("saliency", "saliency", .picture), ("smoothgrad", "smoothgrad samples=2 seed=3", .progress),
    ("ig", "ig steps=2", .progress), ("shap", "shap samples=2 top=1", .progress),
    ("rise", "rise masks=4 seed=5", .progress), ("show", "show", .picture),
    ("save", "save out.png", .text), ("set", "set alpha=0.4", .text), ("get", "get", .table),
    ("reset", "reset", .text), ("echo", "echo a note", .text), ("help", "help gradcam", .text), ("exit", "exit", .exit),
    ("quit", "quit", .exit),
  ]

  enum Answer { case text, table, picture, progress, exit }

  /// Every verb of the catalog runs and answers with its documented kind of output.
  func testEveryCatalogCommandRunsEndToEnd() throws {
    XCTAssertEqual(Self.cells.map(\.verb).sorted(), Catalog.glimpse.verbs.sorted())
    let session = Session(directory: try temporaryDirectory(self))
    for (verb, line, answer) in Self.cells {
      let run = session.run(line)
      let items = run.sink.all
      switch answer {
      case .exit:
        XCTAssertEqual(run.outcome, .exit, verb)
        continue
      case .text:
        XCTAssertOK(run)
        XCTAssertFalse(run.sink.stdout.isEmpty, verb)
        XCTAssertTrue(items.allSatisfy { if case .stream = $0 { true } else { false } }, verb)
      case .table:
        XCTAssertOK(run)
        XCTAssertEqual(items.count, 1, verb)
        let table = try XCTUnwrap(run.sink.results.first, verb)
        XCTAssertEqual(Set(table.data.keys), ["text/plain", "text/html", "application/vnd.glimpse.table+json"], verb)
      case .picture:
        XCTAssertOK(run)
        XCTAssertEqual(items.count, 1, verb)
        guard case .display(let bundle, nil) = items.first else {
          return XCTFail("\(verb): \(items)")
        }
        try checkPicture(bundle, verb: verb)
      case .progress:
        XCTAssertOK(run)
        guard case .display(let first, let id?) = items.first, first.png == nil else {
          return XCTFail("\(verb) opens no progress display: \(items)")
        }
        guard case .updateDisplay(let final, id) = items.last else {
          return XCTFail("\(verb) does not replace its progress display: \(items)")
        }
        XCTAssertTrue(first.plainText?.hasPrefix("\(verb): ") == true, first.plainText ?? "")
        try checkPicture(final, verb: verb)
      }
    }
  }

  /// A picture bundle: a PNG that decodes, empty metadata, one line of text.
  private func checkPicture(_ bundle: MIMEBundle, verb: String) throws {
    let picture = try decodedPNG(bundle)
    let caption = try XCTUnwrap(bundle.plainText, verb)
    XCTAssertFalse(caption.contains("\n"), caption)
    XCTAssertEqual(bundle.metadata, [:], verb)
    XCTAssertGreaterThan(picture.width, 0)
    if ["activations", "shap"].contains(verb) {
      XCTAssertTrue(caption.hasPrefix(verb), caption)
    } else if verb != "show" {
      // Overlays keep the photo's size, height and width not swapped.
      XCTAssertEqual([picture.width, picture.height], [640, 427], verb)
      XCTAssertTrue(caption.contains("(540)") || caption.contains("(657)"), caption)
    }
    if verb == "shap" {
      XCTAssertGreaterThan(picture.width, 2 * 224 * 640 / 427, "photo and one class panel")
    }
  }

  /// Captions name the method, target, layer, seed (sampled methods) and cost.
  func testCaptions() throws {
    let session = Session()
    XCTAssertOK(session.run("load\nimage chelsea"))
    let cases: [(String, [String])] = [
      (
        "gradcam class=tabby",
        ["gradcam | tabby (281) p=0.069 | layer top_activation | 1 forward, 1 backward, "]
      ),
      (
        "gradcam class=281 vs=egyptian_cat score=prob layer=block14",
        ["gradcam | tabby (281) vs Egyptian_cat (285) [prob] | layer block14_add | "]
      ),
      (
        "gradcam method=eigencam layer=block13_add",
        ["eigencam | class-agnostic | layer block13_add | "]
      ),
      (
        "gradcam layer=block14,last method=layercam",
        ["layercam | Egyptian_cat (285) p=0.789 | layer block14_add,top_activation | "]
      ),
      (
        "smoothgrad samples=2 seed=9 of=gradxinput kind=vargrad",
        ["smoothgrad-vargrad of gradxinput | Egyptian_cat (285) p=0.789 | 2 samples | seed 9 | "]
      ),
      ("rise masks=2 class=n02123045", ["rise | tabby (281) p=0.069 | 2 masks | seed 0 | "]),
      (
        "ig steps=2 baseline=black",
        ["ig | Egyptian_cat (285) p=0.789 | 2 steps from black | completeness gap "]
      ),
      (
        "gradcam top=2",
        ["gradcam | Egyptian_cat (285) p=0.789; tiger_cat (282) p=0.1 | layer top_activation | "]
      ),
    ]
    for (line, prefixes) in cases {
      let run = session.run(line)
      XCTAssertOK(run)
      let caption = try XCTUnwrap(run.sink.pictures.last?.plainText, line)
      for prefix in prefixes { XCTAssertTrue(caption.hasPrefix(prefix), "\(line): \(caption)") }
    }
    // Two targets: two panels side by side, each the photo's size, 8 pixels apart.
    let two = try decodedPNG(try XCTUnwrap(session.run("gradcam top=2").sink.pictures.last))
    XCTAssertEqual([two.width, two.height], [451 * 2 + 8, 300])
  }

  /// With `resize=crop` the map covers only the centre crop the model saw; the rest of the
  /// picture is the photo (below the caption band).
  func testCropModeDrawsOnlyOnTheCrop() throws {
    let session = Session()
    XCTAssertOK(session.run("load\nimage rocket\nset resize=crop"))
    let picture = try decodedPNG(try XCTUnwrap(session.run("gradcam").sink.pictures.last))
    let photo = try decodedPNG(try XCTUnwrap(session.run("show rocket").sink.pictures.last))
    XCTAssertEqual([picture.width, picture.height], [640, 427])
    func pixel(_ image: Image, _ x: Int, _ y: Int) -> [UInt8] {
      Array(image.pixels[((y * image.width + x) * 3)..<((y * image.width + x) * 3 + 3)])
    }
    // The crop of a 640x427 photo at 224/0.875: x from about 107 to 533.
    for (x, y) in [(5, 200), (100, 400), (600, 100), (635, 420)] {
      XCTAssertEqual(pixel(picture, x, y), pixel(photo, x, y), "outside the crop at \(x),\(y)")
    }
    XCTAssertNotEqual(pixel(picture, 320, 220), pixel(photo, 320, 220), "inside the crop")
  }

  /// The tf-explain preset draws with viridis added onto the photo, not jet.
  func testPresetChangesTheDrawing() throws {
    let session = Session()
    XCTAssertOK(session.run("load\nimage chelsea"))
    let plain = try decodedPNG(try XCTUnwrap(session.run("gradcam").sink.pictures.last))
    let preset = try decodedPNG(
      try XCTUnwrap(session.run("set preset=tfexplain\ngradcam").sink.pictures.last))
    XCTAssertEqual([preset.width, preset.height], [plain.width, plain.height])
    XCTAssertNotEqual(preset.pixels, plain.pixels)
  }
}
