// What the outside world can get wrong about a notebook, a sanitizer file or a kernel.

/// A typed failure naming the file (or kernel) and the cause, rendered for users.
public enum NotebookError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file cannot be read.
  case unreadable(file: String, reason: String)
  /// The bytes are not JSON; `reason` carries the parser's position when it gives one.
  case badJSON(file: String, reason: String)
  /// Not nbformat 4 (e.g. a version 3 notebook).
  case unsupportedFormat(file: String, version: String)
  /// The JSON is not a valid notebook: `path` says where (`cells[2].outputs[0].output_type`).
  case invalid(file: String, path: String, reason: String)
  /// The notebook is written for another kernel language.
  case unknownLanguage(file: String, language: String, source: String, expected: String)
  /// A sanitizer file or metadata entry is unusable (bad regex, bad layout).
  case badSanitizer(source: String, reason: String)
  /// The kernel could not be started, reached, or stopped answering.
  case kernel(reason: String)

  /// One line for users.
  public var description: String {
    switch self {
    case .unreadable(let file, let reason): "cannot read notebook '\(file)': \(reason)"
    case .badJSON(let file, let reason): "notebook '\(file)' is not valid JSON: \(reason)"
    case .unsupportedFormat(let file, let version):
      "notebook '\(file)' is nbformat \(version); only nbformat 4 (4.0-4.5) is supported"
    case .invalid(let file, let path, let reason):
      "notebook '\(file)' is not a valid nbformat 4 notebook: \(path): \(reason)"
    case .unknownLanguage(let file, let language, let source, let expected):
      "notebook '\(file)' is for kernel language '\(language)' (\(source)); "
        + "this replays '\(expected)' notebooks"
    case .badSanitizer(let source, let reason): "bad sanitizer in \(source): \(reason)"
    case .kernel(let reason): "kernel: \(reason)"
    }
  }
}
