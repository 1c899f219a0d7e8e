// What can go wrong reading a Keras weight file, each case one line that names the cause.

/// Why a Keras weight file could not be read; `description` is one line naming the file.
public enum KerasFileError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Nothing exists at the path.
  case fileNotFound(path: String)
  /// The file exists but lacks the HDF5 signature; `content` guesses what it is instead.
  case notHDF5(path: String, content: String)
  /// The file has the HDF5 signature but HDF5 cannot open it (cut short or corrupted).
  case damaged(path: String, detail: String)
  /// A valid HDF5 file without the structure of a Keras weight file.
  case notKerasWeights(path: String, found: String)
  /// A part of the file (`object`: an attribute, a dataset, a group) could not be read.
  case unreadable(path: String, object: String, detail: String)

  /// The file the error is about.
  public var path: String {
    switch self {
    case .fileNotFound(let path), .notHDF5(let path, _), .damaged(let path, _),
      .notKerasWeights(let path, _), .unreadable(let path, _, _):
      return path
    }
  }

  public var description: String {
    switch self {
    case .fileNotFound(let path):
      return "no such file: '\(path)'"
    case .notHDF5(let path, let content):
      return "'\(path)' is not an HDF5 file (no HDF5 signature; it looks like \(content)); "
        + "a Keras weight file (.h5) starts with the HDF5 signature"
    case .damaged(let path, let detail):
      return "'\(path)' looks truncated or damaged: HDF5 cannot open it (\(detail))"
    case .notKerasWeights(let path, let found):
      return "'\(path)' is an HDF5 file but not a Keras weight file: expected a 'layer_names' "
        + "attribute at the root or in 'model_weights' (legacy Keras .h5) or a 'layers' group "
        + "(Keras 3 .weights.h5); found \(found)"
    case .unreadable(let path, let object, let detail):
      return "cannot read \(object) in '\(path)': \(detail)"
    }
  }
}
