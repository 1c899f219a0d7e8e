// Reading nbformat 4.0-4.5 JSON: multi-line strings as lists or strings, the four output types;
// attachments kept verbatim; anything malformed is a `NotebookError` naming where.
import Foundation
import Interpreter
import JupyterProtocol

extension Notebook {
  /// Reads the notebook file at `path`.
  ///
  /// - Throws: `NotebookError` (unreadable, bad JSON, not nbformat 4, invalid structure).
  public init(contentsOfFile path: String) throws(NotebookError) {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      let reason =
        FileManager.default.fileExists(atPath: path) ? error.localizedDescription : "no such file"
      throw NotebookError.unreadable(file: path, reason: reason)
    }
    try self.init(json: data, name: path)
  }

  /// Parses notebook JSON; `name` names the notebook in errors.
  ///
  /// - Throws: `NotebookError`.
  public init(json: Data, name: String) throws(NotebookError) {
    let root: JSONValue
    do {
      root = try JSONWire.decoder.decode(JSONValue.self, from: json)
    } catch {
      throw NotebookError.badJSON(file: name, reason: Self.describeJSONError(in: json))
    }
    guard case .object(let top) = root else {
      throw NotebookError.invalid(file: name, path: "(top level)", reason: "not a JSON object")
    }
    guard let major = top["nbformat"]?.intValue else {
      throw NotebookError.invalid(file: name, path: "nbformat", reason: "missing or not a number")
    }
    let minor = top["nbformat_minor"]?.intValue ?? 0
    guard major == 4 else {
      throw NotebookError.unsupportedFormat(file: name, version: "\(major).\(minor)")
    }
    do throws(FieldError) {
      guard case .array(let cells) = top["cells"] else {
        throw FieldError(path: "cells", reason: "missing or not a list")
      }
      let metadata = try Self.object(top["metadata"] ?? [:], path: "metadata")
      self.init(
        cells: try cells.enumerated().map { n, cell throws(FieldError) in
          try NotebookCell(json: cell, path: "cells[\(n)]")
        }, metadata: metadata, formatMinor: minor)
    } catch {
      throw NotebookError.invalid(file: name, path: error.path, reason: error.reason)
    }
  }

  static func object(_ value: JSONValue, path: String) throws(FieldError) -> JSONObject {
    guard case .object(let members) = value else {
      throw FieldError(path: path, reason: "expected an object")
    }
    return members
  }

  /// Why `json` is not JSON, with a line and column: JSONDecoder gives no position, so ask
  /// JSONSerialization ("... around character 37.") and turn its byte offset into both.
  static func describeJSONError(in json: Data) -> String {
    do {
      _ = try JSONSerialization.jsonObject(with: json, options: .fragmentsAllowed)
      return "not valid JSON"
    } catch {
      let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
      let reason = text.hasSuffix(".") ? String(text.dropLast()) : text
      guard let range = reason.range(of: #"character \d+"#, options: .regularExpression),
        let offset = Int(reason[range].dropFirst("character ".count))
      else { return reason }
      let before = json.prefix(max(0, min(offset, json.count)))
      let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
      let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? json.startIndex
      let column =
        String(decoding: json[lineStart..<(json.startIndex + before.count)], as: UTF8.self)
        .count + 1
      return "line \(line), column \(column): \(reason)"
    }
  }
}

extension NotebookCell {
  /// Reads one cell of any of the three types.
  init(json: JSONValue, path: String) throws(FieldError) {
    let members = try Notebook.object(json, path: path)
    guard let type = members["cell_type"]?.stringValue else {
      throw FieldError(path: "\(path).cell_type", reason: "missing")
    }
    guard let kind = Kind(rawValue: type) else {
      throw FieldError(
        path: "\(path).cell_type", reason: "unknown cell type '\(type)' (code, markdown, raw)")
    }
    guard let source = members["source"] else {
      throw FieldError(path: "\(path).source", reason: "missing")
    }
    self.init(
      kind: kind, source: try MIMEBundle.joinedText(source, path: "\(path).source"),
      id: members["id"]?.stringValue,
      metadata: try Notebook.object(members["metadata"] ?? [:], path: "\(path).metadata"),
      executionCount: members["execution_count"]?.intValue, attachments: members["attachments"])
    guard kind == .code else { return }
    guard case .array(let outputs) = members["outputs"] ?? [] else {
      throw FieldError(path: "\(path).outputs", reason: "not a list")
    }
    self.outputs = try outputs.enumerated().map { n, output throws(FieldError) in
      try CellOutput(json: output, path: "\(path).outputs[\(n)]")
    }
  }
}

extension CellOutput {
  /// Reads one output; `path` names it in errors.
  init(json: JSONValue, path: String) throws(FieldError) {
    let members = try Notebook.object(json, path: path)
    func text(_ key: String) throws(FieldError) -> String {
      guard let value = members[key] else {
        throw FieldError(path: "\(path).\(key)", reason: "missing")
      }
      return try MIMEBundle.joinedText(value, path: "\(path).\(key)")
    }
    func bundle() throws(FieldError) -> MIMEBundle {
      try MIMEBundle(
        jupyterData: Notebook.object(members["data"] ?? [:], path: "\(path).data"),
        metadata: Notebook.object(members["metadata"] ?? [:], path: "\(path).metadata"),
        path: path)
    }
    switch members["output_type"]?.stringValue {
    case "stream":
      self = .stream(name: members["name"]?.stringValue ?? "stdout", text: try text("text"))
    case "display_data":
      self = .display(try bundle())
    case "execute_result":
      self = .result(try bundle(), executionCount: members["execution_count"]?.intValue)
    case "error":
      let traceback = members["traceback"]?.arrayValue?.compactMap(\.stringValue) ?? []
      self = .error(name: try text("ename"), value: try text("evalue"), traceback: traceback)
    case let other:
      throw FieldError(
        path: "\(path).output_type",
        reason: other.map { "unknown output type '\($0)'" } ?? "missing")
    }
  }
}
