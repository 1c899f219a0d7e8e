// Temporary folders, notebook files and a replayer that records its lines.
import Foundation
import Interpreter
import JupyterProtocol
import Notebook
import XCTest

/// A fresh folder under the temporary directory, removed by `cleanUp()`.
final class Scratch {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("nbtest-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
    return path(name)
  }

  @discardableResult
  func write(_ name: String, _ notebook: Notebook) throws -> String {
    try notebook.write(toFile: path(name))
    return path(name)
  }

  func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// Runs a replay in-process with fresh toy executors and keeps every line it printed.
struct ReplayResult {
  var code: Int32
  var lines: [String]
  var text: String { lines.joined(separator: "\n") }
}

func replay(_ paths: [String], options: ReplayOptions) -> ReplayResult {
  var lines: [String] = []
  let replayer = Replayer(options, output: { lines.append($0) })
  let code = replayer.run(paths: paths, executorFactory: { ToyExecutor() })
  return ReplayResult(code: code, lines: lines)
}

/// Saved outputs as the toy executor would produce them for a command.
enum Saved {
  static func stdout(_ text: String) -> CellOutput { .stream(name: "stdout", text: text) }
  static func result(_ text: String, count: Int? = nil) -> CellOutput {
    .result(MIMEBundle(data: ["text/plain": .text(text)]), executionCount: count)
  }
  static func image(_ width: Int, _ height: Int, shade: Int, spot: Int = 0) -> CellOutput {
    .display(
      MIMEBundle(data: [
        "image/png": .binary(ToyImages.png(width: width, height: height, shade: shade, spot: spot)),
        "text/plain": .text("<image>"),
      ]))
  }
  static func error(_ name: String, _ message: String) -> CellOutput {
    .error(name: name, value: message, traceback: [])
  }
}

/// A glimpse notebook of code cells.
func glimpseNotebook(_ cells: [NotebookCell], metadata: JSONObject = [:]) -> Notebook {
  var meta = metadata
  meta["kernelspec"] = .object(Notebook.glimpseKernelspec)
  return Notebook(cells: cells, metadata: meta)
}
