// nbformat 4 notebooks as Swift values (nbformat docs, "The Notebook file format", v4.0-4.5).
public import Interpreter
public import JupyterProtocol

/// A notebook: cells in order and free-form metadata (`kernelspec`, `language_info`, ...).
///
/// Reading accepts nbformat 4.0 to 4.5; writing always produces 4.5 (cells carry ids).
public struct Notebook: Sendable, Equatable {
  /// `nbformat_minor` as read (0-5); the writer always writes 5.
  public var formatMinor: Int
  /// Notebook metadata, kept verbatim.
  public var metadata: JSONObject
  /// The cells, in order.
  public var cells: [NotebookCell]

  /// A notebook from its parts.
  public init(cells: [NotebookCell], metadata: JSONObject = [:], formatMinor: Int = 5) {
    self.cells = cells
    self.metadata = metadata
    self.formatMinor = formatMinor
  }

  /// The kernel language the notebook declares, and where it says so; nil when it declares none.
  ///
  /// `kernelspec.language` wins over `language_info.name`, as JupyterLab reads them.
  public var declaredLanguage: (name: String, source: String)? {
    if let name = metadata["kernelspec"]?["language"]?.stringValue {
      return (name, "metadata.kernelspec.language")
    }
    if let name = metadata["language_info"]?["name"]?.stringValue {
      return (name, "metadata.language_info.name")
    }
    return nil
  }
}

/// One cell: its kind, source, metadata and, for code cells, the saved outputs.
public struct NotebookCell: Sendable, Equatable {
  /// The three cell types of nbformat 4.
  public enum Kind: String, Sendable, Equatable {
    case code, markdown, raw
  }

  /// Code, markdown or raw.
  public var kind: Kind
  /// The nbformat 4.5 cell id; nil when read from an older file (the writer makes one).
  public var id: String?
  /// The source text (nbformat stores it as one string or as a list of lines).
  public var source: String
  /// Cell metadata, kept verbatim (`tags` live here).
  public var metadata: JSONObject
  /// Code cells: the execution count, nil when never run.
  public var executionCount: Int?
  /// Code cells: the outputs, in order.
  public var outputs: [CellOutput]
  /// Markdown and raw cells: attachments, kept verbatim and never interpreted.
  public var attachments: JSONValue?

  /// A cell from its parts.
  public init(
    kind: Kind, source: String, id: String? = nil, metadata: JSONObject = [:],
    executionCount: Int? = nil, outputs: [CellOutput] = [], attachments: JSONValue? = nil
  ) {
    self.kind = kind
    self.source = source
    self.id = id
    self.metadata = metadata
    self.executionCount = executionCount
    self.outputs = outputs
    self.attachments = attachments
  }

  /// A code cell with `source` and optional saved outputs and tags.
  public static func code(
    _ source: String, outputs: [CellOutput] = [], tags: [String] = [], executionCount: Int? = nil
  ) -> NotebookCell {
    var metadata: JSONObject = [:]
    if !tags.isEmpty { metadata["tags"] = .array(tags.map(JSONValue.string)) }
    return NotebookCell(
      kind: .code, source: source, metadata: metadata, executionCount: executionCount,
      outputs: outputs)
  }

  /// The cell's tags (`metadata.tags`).
  public var tags: [String] {
    metadata["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
  }
}

/// One saved output of a code cell, as nbformat 4 stores it.
public enum CellOutput: Sendable, Equatable {
  /// Text on `stdout` or `stderr`.
  case stream(name: String, text: String)
  /// `display_data`: a MIME bundle (the display id is transient and never saved).
  case display(MIMEBundle)
  /// `execute_result`: the cell's value, numbered with its execution count.
  case result(MIMEBundle, executionCount: Int?)
  /// `error`: the exception name, its message and the traceback lines.
  case error(name: String, value: String, traceback: [String])

  /// The nbformat `output_type`.
  public var outputType: String {
    switch self {
    case .stream: "stream"
    case .display: "display_data"
    case .result: "execute_result"
    case .error: "error"
    }
  }

  /// The MIME bundle of a display or result, nil otherwise.
  public var bundle: MIMEBundle? {
    switch self {
    case .display(let bundle), .result(let bundle, _): bundle
    default: nil
    }
  }
}
