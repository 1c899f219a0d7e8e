// Errors point at the offending token with suggestions, and never change the session.
import Interpreter
import XCTest

final class SessionErrorTests: XCTestCase {
  private func loaded() -> Session {
    let session = Session()
    XCTAssertOK(session.run("load\nimage chelsea"))
    return session
  }

  func testLayerTypoSuggestsTheBlock() {
    let run = loaded().run("gradcam layer=blok14", cell: 3)
    XCTAssertEqual(
      diagnosticText(run),
      """
      error: unknown layer 'blok14'
       --> cell 3, line 1, column 15
        | gradcam layer=blok14
        |               ^^^^^^ did you mean block14, block1, block4?
      """)
    guard case .error(let name, let message, _) = run.outcome else { return XCTFail() }
    XCTAssertEqual(name, "UnknownName")
    XCTAssertEqual(message, "unknown layer 'blok14'")
  }

  func testUnknownAndAmbiguousClasses() {
    let session = loaded()
    XCTAssertEqual(
      diagnosticText(session.run("saliency\ngradcam class=tabbby top=1")),
      """
      error: unknown class 'tabbby'
       --> line 2, column 15
        | gradcam class=tabbby top=1
        |               ^^^^^^ did you mean tabby?
      """)
    XCTAssertEqual(
      diagnosticText(session.run("gradcam class=285,crane")),
      """
      error: class 'crane' is ambiguous: 2 classes match
       --> line 1, column 19
        | gradcam class=285,crane
        |                   ^^^^^ give an index or more of the name; did you mean crane (134), crane (517)?
      """)
    XCTAssertEqual(
      diagnosticText(session.run("occlusion class=1000")),
      """
      error: class 1000 is out of range
       --> line 1, column 17
        | occlusion class=1000
        |                 ^^^^ the model has 1000 classes (0...999)
      """)
  }

  func testMissingFileAndCommandBeforeLoad() {
    let session = Session()
    XCTAssertEqual(
      diagnosticText(session.run("image missing.png")),
      """
      error: no such image file 'missing.png'
       --> line 1, column 7
        | image missing.png
        |       ^^^^^^^^^^^ bundled photos: astronaut, chelsea, china, coffee, flower, grace_hopper, rocket
      """)
    XCTAssertEqual(
      diagnosticText(session.run("  predict top=3")),
      """
      error: no model loaded
       --> line 1, column 3
        |   predict top=3
        |   ^^^^^^^ run `load` first (load alone loads the embedded model)
      """)
    XCTAssertOK(session.run("load"))
    XCTAssertEqual(
      diagnosticText(session.run("gradcam")),
      """
      error: no image loaded
       --> line 1, column 1
        | gradcam
        | ^^^^^^^ load one with `image PATH` (e.g. image chelsea)
      """)
  }

  /// Syntax and catalog errors stop the whole cell before anything runs.
  func testCatalogErrorsRunNothing() {
    let session = loaded()
    let run = session.run("predict\nocclusion ptach=32")
    XCTAssertTrue(run.sink.all.isEmpty)
    guard case .error(let name, _, let lines) = run.outcome else { return XCTFail() }
    XCTAssertEqual(name, "UnknownArgument")
    XCTAssertEqual(lines.last, "  |           ^^^^^ did you mean patch?")
  }

  /// A failing command changes nothing: not the images, not the results, not the settings.
  func testFailedCommandsLeaveStateUnchanged() throws {
    let session = loaded()
    XCTAssertOK(session.run("gradcam"))
    let before = session.run("images\nget\nshow last")
    // The second path fails: the first must not have been added.
    XCTAssertNotNil(diagnosticText(session.run("image rocket missing.png")))
    // An unknown colormap: alpha must not change either.
    XCTAssertNotNil(diagnosticText(session.run("set alpha=0.2 colormap=turbo")))
    // A failure after the earlier commands of a cell keeps what they did, and stops there.
    let partial = session.run("predict\ngradcam layer=nope\npredict")
    XCTAssertEqual(partial.sink.results.count, 1)
    XCTAssertNotNil(diagnosticText(session.run("load nosuchmodel")))
    let after = session.run("images\nget\nshow last")
    XCTAssertEqual(after.sink.results, before.sink.results)
    XCTAssertEqual(after.sink.pictures, before.sink.pictures)
    XCTAssertEqual(
      diagnosticText(session.run("load nosuchmodel")),
      """
      error: unknown model 'nosuchmodel'
       --> line 1, column 6
        | load nosuchmodel
        |      ^^^^^^^^^^^ give a bundled model's name or an .onnx file's path; did you mean efficientnet-lite0, vgg16, xception?
      """)
  }

  /// Layers that exist but do not suit the command.
  func testLayerKinds() {
    let session = loaded()
    XCTAssertEqual(
      diagnosticText(session.run("gradcam layer=flatten")),
      """
      error: layer 'flatten' is not a 4-D tensor
       --> line 1, column 15
        | gradcam layer=flatten
        |               ^^^^^^^ its shape is 1x1280; did you mean top_activation?
      """)
    XCTAssertEqual(
      diagnosticText(session.run("gradcam layer=top_activation,block99")).map {
        String($0.split(separator: "\n")[0])
      }, "error: unknown layer 'block99'")
  }
}
