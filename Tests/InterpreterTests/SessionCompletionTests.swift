// Completion of layer, class, image and photo names; inspection; is_complete.
import Interpreter
import XCTest

final class SessionCompletionTests: XCTestCase {
  private func loaded() -> Session {
    let session = Session()
    XCTAssertOK(session.run("load\nimage chelsea\nimage coffee as=cup"))
    return session
  }

  private func matches(_ session: Session, _ source: String) -> [String] {
    session.complete(source, cursor: source.unicodeScalars.count).matches
  }

  func testLayerNames() {
    let session = loaded()
    XCTAssertEqual(matches(session, "gradcam layer=block14_d"), ["block14_dwconv"])
    XCTAssertEqual(matches(session, "gradcam layer=top"), ["top_conv", "top_activation"])
    XCTAssertEqual(matches(session, "gradcam layer=block13_add,top_a"), ["top_activation"])
    XCTAssertEqual(matches(session, "activations layer=la"), ["last"])
    let result = session.complete("gradcam layer=stem", cursor: 18)
    XCTAssertEqual([result.start, result.end], [14, 18])
  }

  func testClassNames() {
    let session = loaded()
    XCTAssertEqual(matches(session, "gradcam class=egyptian"), ["Egyptian_cat"])
    XCTAssertEqual(matches(session, "gradcam class=tabb"), ["tabby"])
    XCTAssertTrue(matches(session, "gradcam class=tig").contains("tiger_cat"))
    XCTAssertEqual(matches(session, "gradcam vs=n0212407"), ["n02124075"])
    XCTAssertEqual(matches(Session(), "gradcam class=tab"), [], "no model, no classes")
  }

  func testImageAndPhotoNames() {
    let session = loaded()
    XCTAssertEqual(matches(session, "predict image=c"), ["chelsea", "cup"])
    XCTAssertEqual(matches(session, "image ch"), ["chelsea", "china"])
    XCTAssertEqual(matches(session, "gradcam preset="), ["tfexplain", "none"])
  }

  func testInspectAndIsComplete() {
    let session = loaded()
    let help = session.inspect("occlusion patch=3", cursor: 12)
    XCTAssertTrue(help?.contains("patch side, in pixels") == true, help ?? "nil")
    XCTAssertEqual(session.isComplete("image \"my photo"), .incomplete(indent: ""))
    XCTAssertEqual(session.isComplete("gradcam \\"), .incomplete(indent: ""))
    XCTAssertEqual(session.isComplete("gradcam layer=top"), .complete)
    XCTAssertEqual(
      session.isComplete("occlusion ptach=2"),
      .invalid(reason: "unknown argument 'ptach' for occlusion"))
  }
}
