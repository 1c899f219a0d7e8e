// Everything about an image file or its pixels that the outside world can get wrong.

/// A typed failure to read, decode or encode an image, naming the file and the cause.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be read (missing, a directory, no permission).
  case unreadable(file: String, reason: String)
  /// The file has no bytes.
  case empty(file: String)
  /// The bytes are neither JPEG nor PNG; `detected` says what they look like.
  case unsupportedFormat(file: String, detected: String)
  /// The header declares a width or height of zero.
  case zeroSize(file: String, width: Int, height: Int)
  /// The header declares more pixels than the budget allows; nothing was allocated.
  case tooLarge(file: String, width: Int, height: Int, limit: Int)
  /// The data ends before the image is complete.
  case truncated(file: String, format: String, detail: String)
  /// The decoder rejected the data.
  case corrupt(file: String, format: String, detail: String)
  /// The pixels cannot be encoded (e.g. zero size).
  case encodingFailed(reason: String)

  public var description: String {
    switch self {
    case .unreadable(let file, let reason): "cannot read image file '\(file)': \(reason)"
    case .empty(let file): "image file '\(file)' is empty"
    case .unsupportedFormat(let file, let detected):
      "'\(file)' is not a JPEG or PNG image: it looks like \(detected)"
    case .zeroSize(let file, let width, let height):
      "image '\(file)' has no pixels (\(width)x\(height))"
    case .tooLarge(let file, let width, let height, let limit):
      "image '\(file)' is \(width)x\(height) = \(width * height) pixels, over the budget of "
        + "\(limit) pixels (raise maxPixels to allow it)"
    case .truncated(let file, let format, let detail):
      "\(format) image '\(file)' is truncated: \(detail)"
    case .corrupt(let file, let format, let detail):
      "\(format) image '\(file)' is corrupt: \(detail)"
    case .encodingFailed(let reason): "cannot encode PNG: \(reason)"
    }
  }
}
