// Inline image escape sequences, terminal detection, colours.
import Foundation
import Interpreter
import XCTest

@testable import Terminal

final class RenderingTests: XCTestCase {
  /// Splits `ESC _ G <keys>;<payload> ESC \` sequences into (keys, payload).
  private func kittyChunks(_ sequence: String) -> [(keys: String, payload: String)] {
    sequence.components(separatedBy: "\u{1B}\\").dropLast().map { chunk in
      XCTAssertTrue(chunk.hasPrefix("\u{1B}_G"), chunk.prefix(10).debugDescription)
      let body = chunk.dropFirst(3)
      let semicolon = body.firstIndex(of: ";")!
      return (String(body[..<semicolon]), String(body[body.index(after: semicolon)...]))
    }
  }

  func testKittyChunksAt4096Base64Bytes() throws {
    // 6200 bytes -> 8268 base64 characters -> chunks of 4096, 4096, 76.
    let png = (0..<6200).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let chunks = kittyChunks(InlineImageProtocol.kitty.escapeSequence(for: png, name: "a.png"))
    XCTAssertEqual(chunks.map(\.keys), ["f=100,a=T,q=2,m=1", "m=1", "m=0"])
    XCTAssertEqual(chunks.map(\.payload.count), [4096, 4096, 76])
    let joined = chunks.map(\.payload).joined()
    XCTAssertEqual(Data(base64Encoded: joined), Data(png))
  }

  func testSmallKittyImageIsOneChunk() {
    let png: [UInt8] = [1, 2, 3]
    XCTAssertEqual(
      InlineImageProtocol.kitty.escapeSequence(for: png, name: "x.png"),
      "\u{1B}_Gf=100,a=T,q=2,m=0;AQID\u{1B}\\")
    // Exactly one chunk's worth: 3072 bytes -> 4096 characters, still one escape.
    let full = [UInt8](repeating: 7, count: 3072)
    let chunks = kittyChunks(InlineImageProtocol.kitty.escapeSequence(for: full, name: "x.png"))
    XCTAssertEqual(chunks.map(\.keys), ["f=100,a=T,q=2,m=0"])
  }

  func testITerm2Sequence() {
    let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 9]
    XCTAssertEqual(
      InlineImageProtocol.iTerm2.escapeSequence(for: bytes, name: "out-1-1.png"),
      "\u{1B}]1337;File=name=b3V0LTEtMS5wbmc=;size=5;inline=1;preserveAspectRatio=1:"
        + "iVBORwk=\u{07}")
  }

  func testDetectionFromEnvironment() {
    let cases: [([String: String], InlineImageProtocol?)] = [
      (["TERM": "xterm-kitty"], .kitty),
      (["TERM": "xterm-256color", "KITTY_WINDOW_ID": "1"], .kitty),
      (["TERM_PROGRAM": "iTerm.app"], .iTerm2),
      (["LC_TERMINAL": "iTerm2", "TERM": "xterm-256color"], .iTerm2),
      (["TERM_PROGRAM": "WezTerm"], .iTerm2),
      (["TERM": "xterm-256color"], nil),
      (["TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/default,1,0"], nil),
      ([:], nil),
    ]
    for (environment, expected) in cases {
      XCTAssertEqual(
        InlineImageProtocol.detect(environment: environment), expected,
        "\(environment)")
    }
  }

  func testModeOverridesDetectionAndAutoNeedsATerminal() {
    let kitty = ["TERM": "xterm-kitty"]
    XCTAssertEqual(InlineImageProtocol.resolve(.auto, environment: kitty, isTerminal: true), .kitty)
    XCTAssertNil(InlineImageProtocol.resolve(.auto, environment: kitty, isTerminal: false))
    XCTAssertNil(InlineImageProtocol.resolve(.disabled, environment: kitty, isTerminal: true))
    XCTAssertEqual(
      InlineImageProtocol.resolve(.iTerm2, environment: [:], isTerminal: false),
      .iTerm2)
  }

  func testForcedKittyDrawsTheImageBeforeItsPath() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let captured = CapturedOutput(directory: directory)
    var options = captured.options
    options.inlineImages = .kitty
    let script = directory.appendingPathComponent("s").path
    try "image\n".write(toFile: script, atomically: true, encoding: .utf8)
    XCTAssertEqual(ScriptRunner(executor: ToyExecutor(), options: options).run(path: script), 0)
    let path = directory.appendingPathComponent("out/out-1-1.png").path
    let sequence = InlineImageProtocol.kitty.escapeSequence(for: ToyExecutor.png, name: "")
    XCTAssertEqual(captured.output, sequence + "\ntoy image -> \(path)\n")
  }

  func testColourFollowsModeTerminalAndNoColor() {
    XCTAssertTrue(DiagnosticStyle.useColour(.auto, isTerminal: true, environment: [:]))
    XCTAssertFalse(DiagnosticStyle.useColour(.auto, isTerminal: false, environment: [:]))
    XCTAssertFalse(
      DiagnosticStyle.useColour(.auto, isTerminal: true, environment: ["NO_COLOR": "1"]))
    XCTAssertTrue(DiagnosticStyle.useColour(.auto, isTerminal: true, environment: ["NO_COLOR": ""]))
    XCTAssertTrue(DiagnosticStyle.useColour(.always, isTerminal: false, environment: [:]))
    XCTAssertFalse(DiagnosticStyle.useColour(.never, isTerminal: true, environment: [:]))
  }

  func testColouredDiagnosticKeepsItsText() {
    let lines = [
      "error: unknown layer 'blok14'", " --> cell 3, line 1, column 15",
      "  | gradcam layer=blok14", "  |               ^^^^^^ did you mean block14?",
    ]
    let coloured = lines.map(DiagnosticStyle.coloured)
    XCTAssertEqual(
      coloured[0], "\u{1B}[1;31merror:\u{1B}[0m\u{1B}[1m unknown layer 'blok14'\u{1B}[0m")
    XCTAssertEqual(
      coloured[3],
      "  \u{1B}[1;34m|\u{1B}[0m               \u{1B}[1;31m^^^^^^ did you mean block14?\u{1B}[0m")
    XCTAssertEqual(coloured.map { PseudoTerminal.plain($0) }, lines)
  }
}

final class CompletionMappingTests: XCTestCase {
  func testCompletionOnAContinuationLineSeesTheWholeCell() {
    let toy = ToyExecutor()
    let result = REPL.complete(toy, pending: ["echo a \\"], line: "x sp", cursor: 4)
    XCTAssertEqual(result, CompletionResult(matches: ["spin"], start: 2, end: 4))
  }

  func testCommonPrefix() {
    XCTAssertEqual(LineEditor.commonPrefix(["gradcam", "gradients"]), "grad")
    XCTAssertEqual(LineEditor.commonPrefix(["a", "b"]), "")
    XCTAssertEqual(LineEditor.commonPrefix(["héllo", "hélp"]), "hél")
  }
}
