import CommandLanguage
import XCTest

final class ParserTests: XCTestCase {
  func testParsesVerbPositionalsAndArgumentsWithRanges() throws {
    let commands = try parse(#"save "out/cat map.png" last  top=3"#)
    XCTAssertEqual(commands.count, 1)
    let save = commands[0]
    XCTAssertEqual(save.verb, "save")
    XCTAssertEqual(save.verbRange, SourceRange(offset: 0, line: 1, column: 1, length: 4))
    XCTAssertEqual(save.positionals.map(\.value), [.text("out/cat map.png"), .text("last")])
    XCTAssertEqual(
      save.positionals[0].range, SourceRange(offset: 5, line: 1, column: 6, length: 17))
    XCTAssertEqual(
      save.positionals[1].range, SourceRange(offset: 23, line: 1, column: 24, length: 4))
    XCTAssertEqual(save.arguments.map(\.name), ["top"])
    XCTAssertEqual(
      save.arguments[0].nameRange, SourceRange(offset: 29, line: 1, column: 30, length: 3))
    XCTAssertEqual(
      save.arguments[0].valueRange, SourceRange(offset: 33, line: 1, column: 34, length: 1))
    XCTAssertEqual(save.range, SourceRange(offset: 0, line: 1, column: 1, length: 34))
    XCTAssertEqual(save["top"], .integer(3))
  }

  func testClassifiesNumbersAndWords() throws {
    let source =
      "x a=32 b=-5 c=+7 d=0.15 e=-1e-3 f=.5 g=5. h=1E6 i=2e+2 j=224x224 k=1x1 "
      + "l=- m=-. n=1e o=99999999999999999999 p=0x10 q=1e999 r=-0"
    let values = try parse(source)[0].arguments.map(\.value)
    let expected: [Value] = [
      .integer(32), .integer(-5), .integer(7), .real(0.15), .real(-0.001), .real(0.5), .real(5),
      .real(1e6), .real(200), .text("224x224"), .text("1x1"), .text("-"), .text("-."), .text("1e"),
      .real(1e20), .text("0x10"), .text("1e999"), .integer(0),
    ]
    XCTAssertEqual(values, expected)
  }

  func testWordsHoldPathsLayerNamesAndMethods() throws {
    let source =
      "gradcam layer=block14_sepconv2_act method=gradcam++ x=/features/features.0/Conv_"
      + "output_0 y=onnx::Conv_123 z=~/photos/cat.jpg w=café v=ЖЖ"
    let values = try parse(source)[0].arguments.map(\.value)
    XCTAssertEqual(
      values,
      [
        "block14_sepconv2_act", "gradcam++", "/features/features.0/Conv_output_0",
        "onnx::Conv_123", "~/photos/cat.jpg", "café", "ЖЖ",
      ])
  }

  func testQuotedStringsResolveEscapes() throws {
    let source = #"image "Egyptian cat" 'it\'s' "a # b" "t\tn\nq\"s\\" "\u{1F44D}\u{301}" "" '"'"#
    let values = try parse(source)[0].positionals.map(\.value)
    XCTAssertEqual(
      values, ["Egyptian cat", "it's", "a # b", "t\tn\nq\"s\\", "\u{1F44D}\u{301}", "", "\""])
  }

  func testCommaListsKeepItemRanges() throws {
    let command = try parse("gradcam class=tabby,Egyptian_cat,285 layer = block13 , block14")[0]
    XCTAssertEqual(command["class"], .list(["tabby", "Egyptian_cat", 285]))
    XCTAssertEqual(command["layer"], .list(["block13", "block14"]))
    let items = command.arguments[0].itemRanges.map { [$0.column, $0.length] }
    XCTAssertEqual(items, [[15, 5], [21, 12], [34, 3]])
    XCTAssertEqual(command.arguments[0].valueRange.column, 15)
    XCTAssertEqual(command.arguments[0].valueRange.length, 22)
    XCTAssertEqual(command.arguments[1].itemRanges.map(\.column), [46, 56])
  }

  func testCommentsAndBlankLinesYieldNoCommands() throws {
    let source = "# a cell\n\nload   # the default model\n  \n\timage chelsea.png#cat\n# end"
    let commands = try parse(source)
    XCTAssertEqual(commands.map(\.verb), ["load", "image"])
    XCTAssertEqual(commands[1].verbRange, SourceRange(offset: 41, line: 5, column: 2, length: 5))
    XCTAssertEqual(commands[1].positionals.map(\.value), ["chelsea.png"])
    XCTAssertEqual(try parse(""), [])
    XCTAssertEqual(try parse("\n\n  # only comments \\\n"), [])
  }

  func testTrailingBackslashContinuesTheLine() throws {
    let source = "gradcam class=tabby \\\n  method=gradcam++ \\  \r\n  top=2\npredict"
    let commands = try parse(source)
    XCTAssertEqual(commands.map(\.verb), ["gradcam", "predict"])
    XCTAssertEqual(commands[0].arguments.map(\.name), ["class", "method", "top"])
    let method = commands[0].arguments[1].nameRange
    XCTAssertEqual([method.line, method.column, method.offset], [2, 3, 24])
    XCTAssertEqual(commands[0].arguments[2].nameRange.line, 3)
    XCTAssertEqual(commands[1].verbRange.line, 4)
  }

  func testQuotedStringsMaySpanLines() throws {
    let commands = try parse("image \"a\nb\" as=x\nimages")
    XCTAssertEqual(commands[0].positionals[0].value, "a\nb")
    XCTAssertEqual(commands[0].arguments[0].nameRange.line, 2)
    XCTAssertEqual(commands[0].arguments[0].nameRange.column, 4)
    XCTAssertEqual(try parse("image \"a\\\nb\"")[0].positionals[0].value, "ab")
  }

  func testOpenQuotesAndTrailingBackslashesAreIncomplete() {
    for source in [#"image "my cat"#, "image 'x", "load \\", "load x \\  ", #"image "a\"#] {
      XCTAssertThrowsError(try parse(source), source) { error in
        XCTAssertTrue((error as! Diagnostic).isIncompleteInput, source)
      }
    }
    XCTAssertThrowsError(try parse("load x \\ y")) { error in
      XCTAssertFalse((error as! Diagnostic).isIncompleteInput)
    }
  }

  func testSyntaxErrorsNameTheirKindAndToken() {
    let cases: [(String, Diagnostic.Kind, Int, Int)] = [
      ("load $x", .unexpectedCharacter, 6, 1),
      ("load x \\ y", .unexpectedCharacter, 8, 1),
      (#"image "caf\q""#, .invalidEscape, 11, 2),
      (#"image "\u{110000}""#, .invalidEscape, 8, 10),
      ("patch=3", .expectedCommand, 1, 5),
      ("42 x", .expectedCommand, 1, 2),
      (#""load""#, .expectedCommand, 1, 6),
      ("= 3", .expectedCommand, 1, 1),
      ("gradcam layer=", .expectedValue, 14, 1),
      ("gradcam layer=\npredict", .expectedValue, 14, 1),
      ("gradcam class=a,,b", .expectedValue, 16, 1),
      ("gradcam class=a,", .expectedValue, 16, 1),
      ("gradcam class==a", .expectedArgumentName, 15, 1),
      ("gradcam ,a", .expectedValue, 9, 1),
      (#"gradcam "a"=1"#, .expectedArgumentName, 9, 3),
      ("gradcam 5=1", .expectedArgumentName, 9, 1),
      ("gradcam a=b=c", .expectedArgumentName, 12, 1),
    ]
    for (source, kind, column, length) in cases {
      XCTAssertThrowsError(try parse(source), source) { error in
        let d = error as! Diagnostic
        XCTAssertEqual(d.kind, kind, source)
        XCTAssertEqual([d.range.column, d.range.length], [column, length], source)
      }
    }
  }

  func testColumnsCountCodePointsNotCharacters() throws {
    // 👍🏽 is one character but two code points; e + U+0301 likewise.
    let command = try parse("image \"👍🏽\" \"e\u{301}\" as=x")[0]
    XCTAssertEqual(command.positionals[1].range.column, 12)
    XCTAssertEqual(command.arguments[0].nameRange.offset, 16)
    XCTAssertEqual(command.arguments[0].nameRange.column, 17)
    XCTAssertEqual(command.positionals[1].value, .text("e\u{301}"))
  }

  func testEqualityComparesWhatCommandsSayNotWhere() throws {
    let a = try parse("occlusion patch=32 stride=8")[0]
    let b = try parse("\n\n   occlusion   patch = 32  stride=8  # same")[0]
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a.arguments[0].nameRange, b.arguments[0].nameRange)
    XCTAssertNotEqual(a, try parse("occlusion stride=8 patch=32")[0])  // order counts
    XCTAssertEqual(a, Command("occlusion", [], [("patch", 32), ("stride", 8)]))
  }
}
