// Reading and writing nbformat 4: Jupyter-written JSON round-trips byte for byte, older minor
// versions read, malformed files give errors that say where.
import Foundation
import Interpreter
import JupyterProtocol
import XCTest

@testable import Notebook

final class NotebookFormatTests: XCTestCase {
  func testJupyterLabNotebookReadsAndWritesBackByteForByte() throws {
    let notebook = try Notebook(json: Data(Fixtures.jupyterLab45.utf8), name: "lab.ipynb")
    XCTAssertEqual(notebook.cells.map(\.kind), [.markdown, .code, .code, .code, .markdown, .code])
    XCTAssertEqual(
      notebook.cells[0].source, "# Explaining a cat\n\nGrad-CAM on the embedded model.")
    XCTAssertEqual(notebook.cells[1].source, "load model xception\nprint hello")
    XCTAssertEqual(notebook.cells[1].tags, ["skip-compare"])
    XCTAssertEqual(
      notebook.cells[1].outputs,
      [.stream(name: "stdout", text: "loaded xception (22.9M parameters)\ntook 812 ms\n")])
    let display = try XCTUnwrap(notebook.cells[2].outputs[0].bundle)
    XCTAssertEqual(display.png, ToyImages.png(width: 4, height: 3, shade: 40))
    XCTAssertEqual(display.metadata["image/png"], #"{"height":3,"width":4}"#)
    guard case .result(let result, let count) = notebook.cells[2].outputs[1] else {
      return XCTFail("expected an execute_result")
    }
    XCTAssertEqual(count, 2)
    XCTAssertEqual(
      result.data["application/json"], .json(#"{"class":"tabby","score":0.62,"top":[281,285]}"#))
    XCTAssertEqual(
      result.data["text/html"], .text("<table>\n<tr><td>tabby</td><td>0.62</td></tr>\n</table>"))
    XCTAssertEqual(notebook.cells[3].outputs.first?.outputType, "error")
    XCTAssertNotNil(notebook.cells[4].attachments)
    XCTAssertNil(notebook.cells[5].executionCount)
    XCTAssertEqual(notebook.declaredLanguage?.name, "glimpse")

    XCTAssertEqual(notebook.jupyterText(), Fixtures.jupyterLab45)
  }

  func testClassicNotebook44ReadsAndIsWrittenAs45WithIds() throws {
    let notebook = try Notebook(json: Data(Fixtures.classic44.utf8), name: "old.ipynb")
    XCTAssertEqual(notebook.formatMinor, 4)
    XCTAssertEqual(notebook.cells[0].source, "print one\nprint two")
    XCTAssertEqual(notebook.cells[0].executionCount, 7)
    XCTAssertEqual(notebook.cells[0].outputs.count, 3)
    XCTAssertEqual(
      notebook.cells[0].outputs[2].bundle?.png, ToyImages.png(width: 4, height: 3, shade: 40))
    XCTAssertEqual(notebook.cells[1].kind, .raw)
    XCTAssertNil(notebook.cells[0].id)

    let written = notebook.jupyterJSON()
    XCTAssertEqual(written["nbformat"], 4)
    XCTAssertEqual(written["nbformat_minor"], 5)
    let cells = try XCTUnwrap(written["cells"]?.arrayValue)
    let ids = cells.compactMap { $0["id"]?.stringValue }
    XCTAssertEqual(ids.count, 2)
    XCTAssertNotEqual(ids[0], ids[1])
    XCTAssertTrue(ids.allSatisfy(NotebookCell.isValidID))
    XCTAssertEqual(cells[0]["source"], ["print one\n", "print two"])
    XCTAssertEqual(
      cells[0]["outputs"]?.arrayValue?[2]["data"]?["image/png"], .string(Fixtures.smallPNG))
    // Reading the written text gives the same notebook back (ids now set).
    var again = try Notebook(json: Data(notebook.jupyterText().utf8), name: "again")
    XCTAssertEqual(again.formatMinor, 5)
    for n in again.cells.indices { again.cells[n].id = nil }
    again.formatMinor = 4
    XCTAssertEqual(again, notebook)
  }

  func testDuplicateAndInvalidIdsAreReplacedOnWrite() throws {
    var notebook = Notebook(cells: [.code("a"), .code("b"), .code("c")])
    notebook.cells[0].id = "same"
    notebook.cells[1].id = "same"
    notebook.cells[2].id = "not valid!"
    let ids = notebook.jupyterJSON()["cells"]!.arrayValue!.map { $0["id"]!.stringValue! }
    XCTAssertEqual(ids[0], "same")
    XCTAssertNotEqual(ids[1], "same")
    XCTAssertTrue(NotebookCell.isValidID(ids[2]))
  }

  func testSplitLinesMatchesPython() {
    // Expected values from Python: "...".splitlines(True).
    XCTAssertEqual(JupyterJSON.splitLines("a\nb"), ["a\n", "b"])
    XCTAssertEqual(JupyterJSON.splitLines("a\r\nb\rc\n"), ["a\r\n", "b\r", "c\n"])
    XCTAssertEqual(JupyterJSON.splitLines("\n\n"), ["\n", "\n"])
    XCTAssertEqual(JupyterJSON.splitLines("x\u{0C}y\u{2028}z"), ["x\u{0C}", "y\u{2028}", "z"])
    XCTAssertEqual(JupyterJSON.splitLines(""), [])
  }

  func testJSONFormattingEscapesLikePython() {
    let value: JSONValue = ["b": [1, 2.5, true, nil], "a": "q\"\\\u{01}é\t", "c": [:], "d": []]
    XCTAssertEqual(
      JupyterJSON.format(value),
      "{\n \"a\": \"q\\\"\\\\\\u0001é\\t\",\n \"b\": [\n  1,\n  2.5,\n  true,\n  null\n ],\n"
        + " \"c\": {},\n \"d\": []\n}")
    XCTAssertEqual(
      JupyterJSON.format(value, indent: nil),
      #"{"a":"q\"\\\u0001é\t","b":[1,2.5,true,null],"c":{},"d":[]}"#)
  }

  func testBadJSONNamesTheFileAndPosition() {
    let text = "{\n \"cells\": [\n  {\"cell_type\": \"code\",,}\n ]\n}"
    XCTAssertThrowsError(try Notebook(json: Data(text.utf8), name: "broken.ipynb")) { error in
      guard case NotebookError.badJSON(let file, let reason) = error else {
        return XCTFail("\(error)")
      }
      XCTAssertEqual(file, "broken.ipynb")
      XCTAssertTrue(reason.hasPrefix("line 3, column 24: "), reason)
      XCTAssertTrue("\(error)".hasPrefix("notebook 'broken.ipynb' is not valid JSON"))
    }
  }

  func testStructuralErrorsSayWhere() {
    func error(_ text: String) -> String {
      do {
        _ = try Notebook(json: Data(text.utf8), name: "n.ipynb")
        return "no error"
      } catch { return error.description }
    }
    /// A one-cell notebook around `cell` (JSON text).
    func one(_ cell: String) -> String {
      #"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": ["# + cell + "]}"
    }
    let invalid = "notebook 'n.ipynb' is not a valid nbformat 4 notebook: "
    XCTAssertEqual(
      error(#"{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}"#),
      "notebook 'n.ipynb' is nbformat 3.0; only nbformat 4 (4.0-4.5) is supported")
    XCTAssertEqual(
      error(one(#"{"cell_type": "code", "source": "", "outputs": [{"output_type": "widget"}]}"#)),
      invalid + "cells[0].outputs[0].output_type: unknown output type 'widget'")
    XCTAssertEqual(
      error(one(#"{"cell_type": "heading", "source": ""}"#)),
      invalid + "cells[0].cell_type: unknown cell type 'heading' (code, markdown, raw)")
    XCTAssertEqual(
      error(one(#"{"cell_type": "code", "source": [1]}"#)),
      invalid + "cells[0].source: expected a string or a list of strings")
    XCTAssertEqual(
      error(
        one(
          #"{"cell_type": "code", "source": "", "outputs": [{"output_type": "display_data", "#
            + #""data": {"image/png": "@@not base64@@"}}]}"#)),
      invalid + "cells[0].outputs[0].data.image/png: not base64")
    XCTAssertEqual(
      error(#"{"nbformat": 4, "nbformat_minor": 5, "cells": {}}"#),
      invalid + "cells: missing or not a list")
  }
}
