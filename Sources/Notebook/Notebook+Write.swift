// Writing nbformat 4.5 as Jupyter does: sorted keys, 1-space indent, multi-line strings as
// lists of lines, base64 images, `{}` metadata, a unique id on every cell, a final newline.
import Foundation
import Interpreter
public import JupyterProtocol

extension Notebook {
  /// The kernelspec Glimpse notebooks carry (the kernel is installed under the name `glimpse`).
  public static let glimpseKernelspec: JSONObject = [
    "display_name": "Glimpse", "language": "glimpse", "name": "glimpse",
  ]

  /// The `language_info` the replayer writes when the kernel did not tell its own.
  public static let glimpseLanguageInfo: JSONObject = [
    "name": "glimpse", "mimetype": "text/x-glimpse", "file_extension": ".glimpse",
  ]

  /// The notebook as nbformat 4.5 JSON text, byte for byte as Jupyter would save it.
  ///
  /// Cells without a valid, unique id get a fresh one (ids are required from 4.5 on).
  public func jupyterText() -> String {
    JupyterJSON.format(jupyterJSON()) + "\n"
  }

  /// Writes `jupyterText()` to `path` atomically.
  ///
  /// - Throws: the file system's error when the file cannot be written.
  public func write(toFile path: String) throws {
    try Data(jupyterText().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  /// The notebook as a JSON value in nbformat 4.5 layout.
  public func jupyterJSON() -> JSONValue {
    var seen = Set<String>()
    let cells = cells.map { cell -> JSONValue in
      var id = cell.id ?? ""
      if !NotebookCell.isValidID(id) || seen.contains(id) {
        repeat { id = NotebookCell.freshID() } while seen.contains(id)
      }
      seen.insert(id)
      return cell.jupyterJSON(id: id)
    }
    return [
      "cells": .array(cells), "metadata": .object(metadata), "nbformat": 4, "nbformat_minor": 5,
    ]
  }
}

extension NotebookCell {
  /// nbformat 4.5: 1-64 characters of `[a-zA-Z0-9-_]`.
  static func isValidID(_ id: String) -> Bool {
    (1...64).contains(id.utf8.count)
      && id.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
          UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
          true
        default: false
        }
      }
  }

  /// Eight hex digits of a random UUID, the form nbformat itself generates.
  static func freshID() -> String {
    String(UUID().uuidString.lowercased().filter { $0 != "-" }.prefix(8))
  }

  func jupyterJSON(id: String) -> JSONValue {
    var out: JSONObject = [
      "cell_type": .string(kind.rawValue), "id": .string(id), "metadata": .object(metadata),
      "source": .array(JupyterJSON.splitLines(source).map(JSONValue.string)),
    ]
    switch kind {
    case .code:
      out["execution_count"] = executionCount.map(JSONValue.int) ?? .null
      out["outputs"] = .array(outputs.map(\.jupyterJSON))
    case .markdown, .raw:
      if let attachments { out["attachments"] = attachments }
    }
    return .object(out)
  }
}

extension CellOutput {
  /// The output in nbformat layout (display ids are transient and never written).
  var jupyterJSON: JSONValue {
    switch self {
    case .stream(let name, let text):
      return [
        "output_type": "stream", "name": .string(name),
        "text": .array(JupyterJSON.splitLines(text).map(JSONValue.string)),
      ]
    case .display(let bundle):
      return [
        "output_type": "display_data", "data": .object(bundle.jupyterData(splitLines: true)),
        "metadata": .object(bundle.jupyterMetadata),
      ]
    case .result(let bundle, let count):
      return [
        "output_type": "execute_result", "data": .object(bundle.jupyterData(splitLines: true)),
        "metadata": .object(bundle.jupyterMetadata),
        "execution_count": count.map(JSONValue.int) ?? .null,
      ]
    case .error(let name, let value, let traceback):
      return [
        "output_type": "error", "ename": .string(name), "evalue": .string(value),
        "traceback": .array(traceback.map(JSONValue.string)),
      ]
    }
  }
}
