// Everything `glimpse replay` can be told.

/// How to replay notebooks: where cells run, what to write, how strictly to compare.
public struct ReplayOptions: Sendable {
  /// Where cells run when not in-process.
  public enum Kernel: Sendable, Equatable {
    /// A kernel already running, described by its connection file (shared by every notebook,
    /// shut down after the last one).
    case connectionFile(String)
    /// A command line that starts a kernel; `{connection_file}` is replaced by the path of a
    /// connection file written for it. A fresh kernel runs each notebook.
    case command([String])
  }

  /// nil: cells run in-process through the executor factory; else through a kernel.
  public var kernel: Kernel?
  /// The kernel language notebooks must declare (when they declare one).
  public var language: String
  /// Save each executed notebook (nbformat 4.5 with execution counts).
  public var write: Bool
  /// Where `write` saves notebooks (same file name); nil overwrites them in place.
  public var writeDirectory: String?
  /// Write a JUnit XML report here.
  public var junitPath: String?
  /// Interrupt and fail a cell that runs longer than this.
  public var timeout: Duration?
  /// Stop at the first failed cell (or unreadable notebook).
  public var stopOnFirstFailure: Bool
  /// Sanitizer files (JSON or nbval INI), applied before the notebook's own and the built-ins.
  public var sanitizerFiles: [String]
  /// Apply the built-in sanitizers (durations, temporary paths).
  public var builtInSanitizers: Bool
  /// The image tolerance unless notebook or cell metadata say otherwise.
  public var imageTolerance: ImageTolerance
  /// Where actual and diff images of failed image comparisons go (created on demand).
  public var artifactsDirectory: String

  /// Options with the defaults: in-process, glimpse, nothing written, no timeout.
  public init(
    kernel: Kernel? = nil, language: String = "glimpse", write: Bool = false,
    writeDirectory: String? = nil, junitPath: String? = nil, timeout: Duration? = nil,
    stopOnFirstFailure: Bool = false, sanitizerFiles: [String] = [],
    builtInSanitizers: Bool = true, imageTolerance: ImageTolerance = ImageTolerance(),
    artifactsDirectory: String = "replay-output"
  ) {
    self.kernel = kernel
    self.language = language
    self.write = write
    self.writeDirectory = writeDirectory
    self.junitPath = junitPath
    self.timeout = timeout
    self.stopOnFirstFailure = stopOnFirstFailure
    self.sanitizerFiles = sanitizerFiles
    self.builtInSanitizers = builtInSanitizers
    self.imageTolerance = imageTolerance
    self.artifactsDirectory = artifactsDirectory
  }
}

/// What replaying one notebook found.
public struct NotebookReport: Sendable {
  /// The notebook's path as given.
  public var path: String
  /// One report per code cell that ran.
  public var cells: [CellReport] = []
  /// Why the notebook could not be (fully) replayed: bad JSON, unknown language, dead kernel.
  public var error: String?
  /// Whether `stopOnFirstFailure` cut the replay short.
  public var stopped = false

  /// Cells that passed.
  public var passed: Int { cells.filter(\.verdict.isPass).count }
  /// Cells that failed, plus one for a notebook-level error.
  public var failed: Int { cells.count - passed + (error == nil ? 0 : 1) }
}
