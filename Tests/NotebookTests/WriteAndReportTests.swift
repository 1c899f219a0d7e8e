// `--write` saves valid nbformat 4.5 with execution counts; `--junit` writes a JUnit report.
import Foundation
import Interpreter
import JupyterProtocol
import XCTest

@testable import Notebook

#if canImport(FoundationXML)
  import FoundationXML
#endif

final class WriteAndReportTests: XCTestCase {
  var scratch: Scratch!

  override func setUpWithError() throws { scratch = try Scratch() }
  override func tearDown() { scratch.cleanUp() }

  /// A classic 4.4 notebook without ids or kernelspec, with stale outputs.
  private func writeOldNotebook() throws -> String {
    let text = """
      {"nbformat": 4, "nbformat_minor": 4, "metadata": {},
       "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Title"},
        {"cell_type": "code", "execution_count": 40, "metadata": {"tags": ["skip-compare"]},
         "outputs": [{"output_type": "stream", "name": "stdout", "text": "stale"}],
         "source": "print fresh\\nwarn careful\\nprint again"},
        {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
         "source": "display 0% bar\\nupdate 100% bar\\nimage 6 4 9\\njson {\\"k\\": [1, 2]}"},
        {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
         "source": ""},
        {"cell_type": "code", "execution_count": null, "metadata": {"tags": ["raises-exception"]},
         "outputs": [], "source": "fail Oops \\u001b[31mred\\u001b[0m"}
       ]}
      """
    return try scratch.write("old.ipynb", text)
  }

  func testWriteSavesNbformat45WithCountsIdsAndGlimpseMetadata() throws {
    let path = try writeOldNotebook()
    var options = ReplayOptions(write: true, writeDirectory: scratch.path("out"))
    options.artifactsDirectory = scratch.path("artifacts")
    _ = replay([path], options: options)
    let written = scratch.path("out/old.ipynb")
    let root = try JSONWire.decoder.decode(
      JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: written)))
    XCTAssertEqual(root["nbformat"], 4)
    XCTAssertEqual(root["nbformat_minor"], 5)
    XCTAssertEqual(root["metadata"]?["kernelspec"], .object(Notebook.glimpseKernelspec))
    XCTAssertEqual(root["metadata"]?["language_info"]?["name"], "glimpse")
    let cells = try XCTUnwrap(root["cells"]?.arrayValue)
    XCTAssertEqual(cells.count, 5)
    for cell in cells {
      XCTAssertTrue(NotebookCell.isValidID(cell["id"]?.stringValue ?? ""))
      for key in ["cell_type", "metadata", "source"] { XCTAssertNotNil(cell[key], key) }
    }
    XCTAssertEqual(cells.map { $0["execution_count"] }, [nil, 1, 2, .null, 3])
    XCTAssertEqual(
      cells[1]["outputs"],
      [
        ["name": "stdout", "output_type": "stream", "text": ["fresh\n"]],
        ["name": "stderr", "output_type": "stream", "text": ["careful\n"]],
        ["name": "stdout", "output_type": "stream", "text": ["again\n"]],
      ])
    let outputs = try XCTUnwrap(cells[2]["outputs"]?.arrayValue)
    XCTAssertEqual(
      outputs.map { $0["output_type"] }, ["display_data", "display_data", "execute_result"])
    XCTAssertEqual(
      outputs[0],
      ["output_type": "display_data", "data": ["text/plain": ["100%"]], "metadata": [:]])
    let png = try XCTUnwrap(outputs[1]["data"]?["image/png"]?.stringValue)
    XCTAssertEqual(
      Data(base64Encoded: png).map { [UInt8]($0) }, ToyImages.png(width: 6, height: 4, shade: 9))
    XCTAssertEqual(outputs[2]["execution_count"], 2)
    XCTAssertEqual(outputs[2]["data"]?["application/json"], ["k": [1, 2]])
    XCTAssertEqual(cells[4]["outputs"]?.arrayValue?.first?["ename"], "Oops")
    // The input is untouched when writing elsewhere; in place overwrites it.
    XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("stale"))
    options.writeDirectory = nil
    _ = replay([path], options: options)
    XCTAssertEqual(
      try String(contentsOfFile: path, encoding: .utf8),
      try String(contentsOfFile: written, encoding: .utf8).replacingIDs(from: written, to: path))
  }

  func testWrittenNotebookPassesTheNbformatValidator() throws {
    guard let python = NbformatValidator.python else {
      throw XCTSkip("no Python with nbformat (set NBFORMAT_PYTHON to one)")
    }
    let path = try writeOldNotebook()
    _ = replay([path], options: ReplayOptions(write: true, artifactsDirectory: scratch.path("a")))
    let (status, output) = try NbformatValidator.validate(path, python: python)
    XCTAssertEqual(status, 0, output)
    XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "valid 4.5")
    // The JupyterLab fixture, read and written back, is valid too.
    let lab = try Notebook(json: Data(Fixtures.jupyterLab45.utf8), name: "lab")
    let labPath = try scratch.write("lab.ipynb", lab)
    XCTAssertEqual(try NbformatValidator.validate(labPath, python: python).0, 0)
    // And the validator rejects a 4.5 cell without an id, and a stream without a name.
    let noID = try scratch.write(
      "noid.ipynb",
      #"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "raw", "#
        + #""metadata": {}, "source": ""}]}"#)
    XCTAssertNotEqual(try NbformatValidator.validate(noID, python: python).0, 0)
    let noName = try scratch.write(
      "noname.ipynb",
      #"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "#
        + #""id": "a", "execution_count": null, "metadata": {}, "source": "", "#
        + #""outputs": [{"output_type": "stream", "text": "x"}]}]}"#)
    XCTAssertNotEqual(try NbformatValidator.validate(noName, python: python).0, 0)
  }

  func testJUnitReportCountsCellsAndFailures() throws {
    let good = try scratch.write(
      "a&b.ipynb",
      glimpseNotebook([
        .code("print x", outputs: [Saved.stdout("x\n")]),
        .code("print <y>", outputs: [Saved.stdout("<z>\n")]),
        .code("fail E boom", outputs: [Saved.error("E", "boom")], tags: ["raises-exception"]),
      ]))
    let bad = try scratch.write("bad.ipynb", "not json")
    let junit = scratch.path("report.xml")
    var options = ReplayOptions(junitPath: junit, artifactsDirectory: scratch.path("a"))
    options.timeout = .seconds(30)
    let result = replay([good, bad], options: options)
    XCTAssertEqual(result.lines.last, "2 passed, 2 failed")
    let document = try XMLDocument(contentsOf: URL(fileURLWithPath: junit))
    let root = try XCTUnwrap(document.rootElement())
    XCTAssertEqual(root.attribute(forName: "tests")?.stringValue, "4")
    XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "2")
    let suites = root.elements(forName: "testsuite")
    XCTAssertEqual(suites.map { $0.attribute(forName: "name")?.stringValue }, [good, bad])
    let cases = suites[0].elements(forName: "testcase")
    XCTAssertEqual(
      cases.map { $0.attribute(forName: "name")?.stringValue },
      ["cell 1 [print x]", "cell 2 [print <y>]", "cell 3 [fail E boom]"])
    let failure = try XCTUnwrap(cases[1].elements(forName: "failure").first)
    XCTAssertEqual(
      failure.attribute(forName: "message")?.stringValue,
      "failed (output 1 (stream stdout) differs)")
    XCTAssertTrue(failure.stringValue?.contains("+<y>") ?? false)
    XCTAssertTrue(cases[2].elements(forName: "failure").isEmpty)
    XCTAssertEqual(
      suites[1].elements(forName: "testcase").first?.elements(forName: "error").count, 1)
  }
}

extension String {
  /// The text with the cell ids of notebook `a` replaced by those of notebook `b`, so two saves
  /// that differ only in freshly generated ids compare equal.
  func replacingIDs(from a: String, to b: String) throws -> String {
    let idsA = try Notebook(contentsOfFile: a).cells.map(\.id)
    let idsB = try Notebook(contentsOfFile: b).cells.map(\.id)
    var text = self
    for (x, y) in zip(idsA, idsB) {
      text = text.replacingOccurrences(of: "\"\(x!)\"", with: "\"\(y!)\"")
    }
    return text
  }
}

/// Validates notebooks with the `nbformat` PyPI package, when a Python that has it is around.
enum NbformatValidator {
  /// `NBFORMAT_PYTHON`, or `python3` on the PATH if it imports nbformat.
  static var python: String? {
    let candidates = [ProcessInfo.processInfo.environment["NBFORMAT_PYTHON"], "python3"].compactMap
    { $0 }
    return candidates.first { (try? run($0, ["-c", "import nbformat"]).0) == 0 }
  }

  static func validate(_ path: String, python: String) throws -> (Int32, String) {
    let script = """
      import sys, warnings, nbformat
      # Strict: nbformat repairs some faults (a missing cell id) with only a warning.
      warnings.simplefilter("error")
      nb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)
      nbformat.validate(nb)
      print("valid %d.%d" % (nb.nbformat, nb.nbformat_minor))
      """
    return try run(python, ["-c", script, path])
  }

  static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
