// MIME bundles between the interpreter's typed form and Jupyter's JSON form (nbformat outputs
// and IOPub messages share it): base64 for binary types, JSON values for JSON types, text as
// one string or a list of lines.
import Foundation
import Interpreter
import JupyterProtocol

/// A problem at a place inside a JSON document, turned into a `NotebookError` by the reader.
struct FieldError: Error {
  var path: String
  var reason: String
}

extension MIMEBundle {
  /// How a MIME type is stored in Jupyter JSON.
  enum Storage {
    case text, binary, json
  }

  /// JSON types (`application/json`, `...+json`) are JSON values; images other than SVG and PDF
  /// are base64; everything else is text.
  static func storage(of mimeType: String) -> Storage {
    if mimeType == "application/json" || mimeType.hasSuffix("+json") { return .json }
    if mimeType == "image/svg+xml" { return .text }
    if mimeType.hasPrefix("image/") || mimeType == "application/pdf" { return .binary }
    return .text
  }

  /// nbformat splits these into lists of lines when writing (`nbformat.v4.rwbase.split_lines`).
  static func isSplitWhenWritten(_ mimeType: String) -> Bool {
    mimeType.hasPrefix("text/") || mimeType == "application/javascript"
      || mimeType == "image/svg+xml"
  }

  /// Reads Jupyter `data` and `metadata` objects; `path` names them in errors.
  init(jupyterData data: JSONObject, metadata: JSONObject, path: String) throws(FieldError) {
    var bundle: [String: MIMEData] = [:]
    for (mimeType, value) in data {
      let where_ = "\(path).data.\(mimeType)"
      switch Self.storage(of: mimeType) {
      case .json:
        if case .string(let text) = value {
          bundle[mimeType] = .json(text)
        } else {
          bundle[mimeType] = .json(JupyterJSON.format(value, indent: nil))
        }
      case .binary:
        let text = try Self.joinedText(value, path: where_)
        // NB: JupyterLab and older nbformat end base64 with "\n"; ignore all whitespace.
        guard let bytes = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
          throw FieldError(path: where_, reason: "not base64")
        }
        bundle[mimeType] = .binary([UInt8](bytes))
      case .text:
        bundle[mimeType] = .text(try Self.joinedText(value, path: where_))
      }
    }
    var meta: [String: String] = [:]
    for (key, value) in metadata { meta[key] = JupyterJSON.format(value, indent: nil) }
    self.init(data: bundle, metadata: meta)
  }

  /// A string, or a list of strings joined (nbformat's multiline string).
  static func joinedText(_ value: JSONValue, path: String) throws(FieldError) -> String {
    switch value {
    case .string(let text): return text
    case .array(let parts):
      var text = ""
      for part in parts {
        guard case .string(let piece) = part else {
          throw FieldError(path: path, reason: "expected a string or a list of strings")
        }
        text += piece
      }
      return text
    default: throw FieldError(path: path, reason: "expected a string or a list of strings")
    }
  }

  /// The bundle as Jupyter `data`; `splitLines` writes text as nbformat does (lists of lines),
  /// false gives IOPub's plain strings.
  func jupyterData(splitLines: Bool) -> JSONObject {
    var out: JSONObject = [:]
    for (mimeType, value) in data {
      switch value {
      case .text(let text):
        out[mimeType] =
          splitLines && Self.isSplitWhenWritten(mimeType)
          ? .array(JupyterJSON.splitLines(text).map(JSONValue.string)) : .string(text)
      case .binary(let bytes):
        out[mimeType] = .string(Data(bytes).base64EncodedString())
      case .json(let text):
        out[mimeType] = Self.parseJSON(text) ?? .string(text)
      }
    }
    return out
  }

  /// The per-type metadata as a JSON object (`{}` when empty).
  var jupyterMetadata: JSONObject {
    var out: JSONObject = [:]
    for (key, text) in metadata { out[key] = Self.parseJSON(text) ?? .string(text) }
    return out
  }

  /// Parses JSON text into a value; nil when it is not JSON.
  static func parseJSON(_ text: String) -> JSONValue? {
    try? JSONWire.decoder.decode(JSONValue.self, from: Data(text.utf8))
  }
}
