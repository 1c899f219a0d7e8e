import CommandLanguage
import Foundation
import XCTest

/// A stand-in for the interpreter's names: case-insensitive prefix matching.
struct FakeNames: CompletionSource {
  var known: [NameKind: [String]] = [
    .className: ["tabby", "tiger cat", "Egyptian_cat", "285"],
    .layer: ["block13_sepconv2_act", "block14_sepconv1_act", "block14_sepconv2_act"],
    .image: ["chelsea", "cat 2"],
    .model: ["efficientnet-lite0"],
  ]

  func names(of kind: NameKind, matching prefix: String) -> [String] {
    (known[kind] ?? []).filter { $0.lowercased().hasPrefix(prefix.lowercased()) }
  }
}

final class CompletionTests: XCTestCase {
  let completer = Completer(names: FakeNames())

  /// Completion with the cursor at the end.
  private func complete(_ source: String) -> Completion {
    completer.complete(source, cursor: source.unicodeScalars.count)
  }

  func testVerbsAtTheStartOfALine() {
    XCTAssertEqual(complete("gr"), Completion(matches: ["gradcam"], start: 0, end: 2))
    XCTAssertEqual(
      complete("s").matches, ["saliency", "smoothgrad", "shap", "show", "save", "set"])
    XCTAssertEqual(complete("").matches, Catalog.glimpse.verbs)
    XCTAssertEqual(complete("load\n  GR"), Completion(matches: ["gradcam"], start: 7, end: 9))
    XCTAssertEqual(complete("zz").matches, [])
  }

  func testArgumentNamesAfterAVerb() {
    XCTAssertEqual(complete("occlusion pa"), Completion(matches: ["patch="], start: 10, end: 12))
    let all = complete("occlusion ").matches
    XCTAssertEqual(all, Catalog.glimpse["occlusion"]!.arguments.map { $0.name + "=" })
    XCTAssertFalse(complete("occlusion patch=3 ").matches.contains("patch="))
    XCTAssertEqual(complete("occlusion patch=3 st").matches, ["stride="])
    XCTAssertEqual(complete("gradcam \\\n  me").matches, ["method="])
    XCTAssertEqual(complete("foo pa").matches, [])  // unknown verb
  }

  func testChoicesAfterAKey() {
    XCTAssertEqual(
      complete("gradcam method=grad"),
      Completion(matches: ["gradcam", "gradcam++"], start: 15, end: 19))
    XCTAssertEqual(complete("gradcam method=").matches.count, 7)
    XCTAssertEqual(complete("saliency times_input=").matches, ["yes", "no"])
    XCTAssertEqual(complete("occlusion baseline=b").matches, ["black", "blur"])
    XCTAssertEqual(complete("occlusion patch=").matches, [])
    XCTAssertEqual(complete("gradcam nosuch=").matches, [])
  }

  func testNamesComeFromTheSourceAndAreQuotedWhenNeeded() {
    XCTAssertEqual(
      complete("gradcam class=tabby,eg"),
      Completion(matches: ["Egyptian_cat"], start: 20, end: 22))
    XCTAssertEqual(complete("gradcam class=ti").matches, [#""tiger cat""#])
    XCTAssertEqual(complete("gradcam class=2").matches, ["285"])
    XCTAssertEqual(
      complete(#"gradcam class="ti"#), Completion(matches: ["tiger cat"], start: 15, end: 17))
    XCTAssertEqual(
      complete("gradcam layer=block14").matches,
      ["block14_sepconv1_act", "block14_sepconv2_act"])
    XCTAssertEqual(complete("gradcam layer=l").matches, ["last"])
    XCTAssertEqual(complete("gradcam layer=last,block13").matches, ["block13_sepconv2_act"])
  }

  func testPositionalSlots() {
    XCTAssertEqual(complete("help gr").matches, ["gradcam"])
    XCTAssertEqual(complete("get al").matches, ["alpha"])
    XCTAssertEqual(complete("show ").matches, ["last", "chelsea", #""cat 2""#])
    XCTAssertEqual(complete("save x.png c").matches, ["chelsea", #""cat 2""#])
    XCTAssertEqual(complete("load eff").matches, ["efficientnet-lite0"])
    XCTAssertEqual(complete("predict i").matches, ["image="])
  }

  func testNothingInCommentsOrAfterClosedQuotes() {
    XCTAssertEqual(complete("gradcam # me").matches, [])
    XCTAssertEqual(complete(#"image "a.png""#).matches, [])
    XCTAssertEqual(complete("load $").matches, [])
  }

  func testCursorInsideAWordCompletesItsStart() {
    let source = "occlusion patch=32"
    XCTAssertEqual(
      completer.complete(source, cursor: 12), Completion(matches: ["patch="], start: 10, end: 12))
    XCTAssertEqual(completer.complete(source, cursor: -5).start, 0)  // clamped
    XCTAssertEqual(completer.complete(source, cursor: 99).end, 18)
  }

  func testOffsetsCountCodePointsPastAnEmoji() {
    // 👍🏽 is one character and two code points: offsets must count the two.
    let source = #"gradcam class="👍🏽" me"#
    XCTAssertEqual([source.count, source.unicodeScalars.count], [20, 21])
    XCTAssertEqual(complete(source), Completion(matches: ["method="], start: 19, end: 21))
    let accent = "image \"e\u{301}\" \"cat\" a"  // a combining accent, also two code points
    XCTAssertEqual(complete(accent), Completion(matches: ["as="], start: 17, end: 18))
  }

  func testInspectionShowsHelpOfTheTokenUnderTheCursor() {
    let source = "occlusion patch=32 baseline=blur\nsave out.png last # done"
    let patch = completer.inspect(source, cursor: 12)
    XCTAssertEqual(patch, Catalog.glimpse["occlusion"]!.helpText(forArgument: "patch"))
    XCTAssertEqual(completer.inspect(source, cursor: 17), patch)  // on the value
    XCTAssertEqual(completer.inspect(source, cursor: 15), patch)  // on the `=`
    XCTAssertEqual(completer.inspect(source, cursor: 3), Catalog.glimpse["occlusion"]!.helpText)
    XCTAssertTrue(completer.inspect(source, cursor: 30)!.hasPrefix("occlusion baseline="))
    XCTAssertTrue(completer.inspect(source, cursor: 40)!.hasPrefix("save PATH\n"))
    XCTAssertTrue(completer.inspect(source, cursor: 48)!.hasPrefix("save NAME|last\n"))
    XCTAssertNil(completer.inspect(source, cursor: 55))  // in the comment
    XCTAssertNil(completer.inspect("foo x=1", cursor: 1))
    XCTAssertTrue(completer.inspect("gradcam class=a,b", cursor: 17)!.hasPrefix("gradcam class="))
    XCTAssertTrue(completer.inspect("image a.png b,c", cursor: 15)!.hasPrefix("image PATH\n"))
  }
}

final class FileCompleterTests: XCTestCase {
  var root = ""

  override func setUpWithError() throws {
    root = NSTemporaryDirectory() + "glimpse-files-\(UUID().uuidString)"
    let manager = FileManager.default
    try manager.createDirectory(atPath: root + "/images/sub", withIntermediateDirectories: true)
    for file in ["images/chelsea.png", "images/cat 1.jpg", ".hidden", "notes.txt"] {
      XCTAssertTrue(manager.createFile(atPath: root + "/" + file, contents: Data()))
    }
  }

  override func tearDownWithError() throws { try FileManager.default.removeItem(atPath: root) }

  func testListsMatchingEntriesWithDirectoriesMarked() {
    let files = FileCompleter(directory: root)
    XCTAssertEqual(files.names(of: .path, matching: ""), ["images/", "notes.txt"])
    XCTAssertEqual(files.names(of: .path, matching: "im"), ["images/"])
    XCTAssertEqual(
      files.names(of: .path, matching: "images/c"), ["images/cat 1.jpg", "images/chelsea.png"])
    XCTAssertEqual(files.names(of: .directory, matching: "images/"), ["images/sub/"])
    XCTAssertEqual(files.names(of: .path, matching: "."), [".hidden"])
    XCTAssertEqual(files.names(of: .path, matching: "nowhere/x"), [])
    XCTAssertEqual(files.names(of: .layer, matching: ""), [])
    XCTAssertEqual(
      files.names(of: .path, matching: root + "/no"), [root + "/notes.txt"])  // absolute
  }

  func testCompleterQuotesPathsWithSpaces() {
    let completer = Completer(names: FileCompleter(directory: root))
    let source = "image images/ca"
    XCTAssertEqual(
      completer.complete(source, cursor: 15),
      Completion(matches: [#""images/cat 1.jpg""#], start: 6, end: 15))
    XCTAssertEqual(
      completer.complete("image \"images/ca", cursor: 16),
      Completion(matches: ["images/cat 1.jpg"], start: 7, end: 16))
    XCTAssertEqual(
      completer.complete("shap background=images/", cursor: 23).matches, ["images/sub/"])
  }
}
