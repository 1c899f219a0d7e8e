import CommandLanguage
import XCTest

/// Exact renderings of diagnostics: what a user sees in a notebook or the REPL.
final class DiagnosticGoldenTests: XCTestCase {
  private func rendering(_ source: String, cell: Int? = nil) -> String {
    do {
      _ = try Catalog.glimpse.check(source)
      return "no error"
    } catch {
      return error.rendered(in: source, cell: cell)
    }
  }

  func testUnknownArgumentSuggestsTheClosestName() {
    XCTAssertEqual(
      rendering("occlusion ptach=32"),
      """
      error: unknown argument 'ptach' for occlusion
       --> line 1, column 11
        | occlusion ptach=32
        |           ^^^^^ did you mean patch?
      """)
  }

  func testUnknownCommandWithCellNumber() {
    XCTAssertEqual(
      rendering("load\ngradcm layer=block14", cell: 3),
      """
      error: unknown command 'gradcm'
       --> cell 3, line 2, column 1
        | gradcm layer=block14
        | ^^^^^^ did you mean gradcam?
      """)
  }

  func testValueErrors() {
    XCTAssertEqual(
      rendering("occlusion patch=0"),
      """
      error: patch=0 is out of range
       --> line 1, column 17
        | occlusion patch=0
        |                 ^ expected an integer (1 to 4096)
      """)
    XCTAssertEqual(
      rendering("occlusion baseline=blrr"),
      """
      error: invalid value 'blrr' for baseline
       --> line 1, column 20
        | occlusion baseline=blrr
        |                    ^^^^ expected one of zero, black, mean, blur or a number; \
      did you mean blur?
      """)
    XCTAssertEqual(
      rendering("saliency times_input=maybe"),
      """
      error: invalid value 'maybe' for times_input
       --> line 1, column 22
        | saliency times_input=maybe
        |                      ^^^^^ expected yes or no
      """)
    XCTAssertEqual(
      rendering("gradcam class=tabby vs=a,b"),
      """
      error: vs takes one value, not a list of 2
       --> line 1, column 24
        | gradcam class=tabby vs=a,b
        |                        ^^^ expected a class (index, WordNet id or name)
      """)
  }

  func testDuplicateOnAContinuedLinePointsBack() {
    XCTAssertEqual(
      rendering("gradcam class=tabby \\\n  class=tiger_cat"),
      """
      error: duplicate argument 'class' for gradcam
       --> line 2, column 3
        |   class=tiger_cat
        |   ^^^^^ already given at line 1, column 9
      """)
  }

  func testPositionalArity() {
    XCTAssertEqual(
      rendering("save"),
      """
      error: missing PATH for save
       --> line 1, column 1
        | save
        | ^^^^ usage: save PATH [NAME|last]
      """)
    XCTAssertEqual(
      rendering("occlusion 32"),
      """
      error: too many values for occlusion
       --> line 1, column 11
        | occlusion 32
        |           ^^ occlusion takes only key=value arguments
      """)
  }

  func testSyntaxErrors() {
    XCTAssertEqual(
      rendering(#"image cat.png as="x"#),
      """
      error: unterminated string
       --> line 1, column 18
        | image cat.png as="x
        |                  ^ no closing double quote
      """)
    XCTAssertEqual(
      rendering(#"image "caf\q""#),
      #"""
      error: invalid escape '\q' in string
       --> line 1, column 11
        | image "caf\q"
        |           ^^ use \\, \", \', \n, \t, \r, \0 or \u{HEX}
      """#)
    XCTAssertEqual(
      rendering("gradcam layer="),
      """
      error: expected a value after 'layer='
       --> line 1, column 14
        | gradcam layer=
        |              ^ write layer=VALUE
      """)
  }

  func testCaretsFollowDisplayWidthNotCodePoints() {
    // The emoji is two code points and two cells wide; é is two code points, one cell.
    XCTAssertEqual(
      rendering("load 👍🏽"),
      """
      error: unexpected character '👍🏽'
       --> line 1, column 6
        | load 👍🏽
        |      ^^ quote values that contain it
      """)
    XCTAssertEqual(
      rendering("image \"e\u{301}👍🏽\" as=x ptch=3"),
      """
      error: unknown argument 'ptch' for image
       --> line 1, column 19
        | image "e\u{301}👍🏽" as=x ptch=3
        |                  ^^^^
      """)
    XCTAssertEqual(
      rendering("occlusion\tptach=1"),
      "error: unknown argument 'ptach' for occlusion\n --> line 1, column 11\n"
        + "  | occlusion\tptach=1\n  |          \t^^^^^ did you mean patch?")
  }

  func testInterpreterDiagnosticsAtATokensRange() throws {
    // What the interpreter does when a layer name matches nothing.
    let source = "gradcam layer=blok14"
    let command = try Catalog.glimpse.check(source)[0]
    let layers = [
      "block1_conv1", "block13_sepconv2_act", "block14_sepconv1_act", "block14_sepconv2_act",
    ]
    let typed = command["layer"]!.text!
    let diagnostic = Diagnostic(
      .unknownName, "unknown layer '\(typed)'", at: command.argument("layer")!.valueRange,
      suggestions: Suggestions.closest(to: typed, among: layers, limit: 2))
    XCTAssertEqual(
      diagnostic.rendered(in: source, cell: 3),
      """
      error: unknown layer 'blok14'
       --> cell 3, line 1, column 15
        | gradcam layer=blok14
        |               ^^^^^^ did you mean block14_sepconv1_act, block14_sepconv2_act?
      """)
    XCTAssertEqual(diagnostic.name, "UnknownName")
    XCTAssertEqual(
      diagnostic.description,
      "error: unknown layer 'blok14' (line 1, column 15): did you mean block14_sepconv1_act, "
        + "block14_sepconv2_act?")
  }

  func testSuggestionsRankPrefixesThenEditDistance() {
    let names = ["patch", "stride", "baseline", "class", "vs", "top"]
    XCTAssertEqual(Suggestions.closest(to: "ptach", among: names), ["patch"])
    XCTAssertEqual(Suggestions.closest(to: "st", among: names), ["stride"])
    XCTAssertEqual(Suggestions.closest(to: "CLAS", among: names), ["class"])
    XCTAssertEqual(Suggestions.closest(to: "xyzzy", among: names), [])
    XCTAssertEqual(Suggestions.closest(to: "", among: names), [])
    XCTAssertEqual(Suggestions.closest(to: "patch", among: names), [])  // exact is no suggestion
    XCTAssertEqual(
      Suggestions.closest(to: "grad", among: ["gradcam++", "gradcam", "xgradcam"]),
      ["gradcam", "gradcam++", "xgradcam"])
  }
}
