// The bytes of an ONNX model: a read-only memory map of the file, or bytes held in memory.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The bytes of a `.onnx` model, from which ``parseModel()`` reads the graph and
/// ``value(of:)`` reads each tensor's elements.
///
/// A file is mapped read-only (`mmap`, `MAP_PRIVATE`) rather than read: parsing touches only the
/// graph's few kilobytes, and each tensor's pages are copied into its Swift array and then handed
/// back to the kernel (`madvise(MADV_DONTNEED)`), so loading a model peaks near 1x its size.
/// NB: like any memory map, the file must not shrink while it is open (the OS would signal).
public final class ONNXFile: @unchecked Sendable {
  // @unchecked: the bytes are immutable after init and freed only in deinit.
  /// First byte of the model (never nil, even for an empty file).
  let base: UnsafeRawPointer
  /// Number of bytes of the model.
  public let count: Int
  /// Folder that external-data locations are relative to; nil: external data is refused.
  public let directory: String?
  /// Whether `base` is a memory map (else a heap copy).
  private let isMapped: Bool

  /// Maps the model file at `path`; external data is looked up beside it.
  /// - Throws: ``ModelImportError/io(path:message:)`` when it cannot be opened or mapped.
  public static func open(_ path: String) throws -> ONNXFile {
    let (pointer, size) = try mapFile(path)
    return ONNXFile(mapped: pointer, count: size, directory: parentDirectory(of: path))
  }

  /// Wraps model bytes held in memory (copied); `directory` resolves external data, if any.
  public init(bytes: [UInt8], directory: String? = nil) {
    let memory = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
    bytes.withUnsafeBytes { source in
      if let from = source.baseAddress { memory.copyMemory(from: from, byteCount: source.count) }
    }
    self.base = UnsafeRawPointer(memory)
    self.count = bytes.count
    self.directory = directory
    self.isMapped = false
  }

  private init(mapped: UnsafeRawPointer?, count: Int, directory: String?) {
    if let mapped {
      self.base = mapped
      self.isMapped = true
    } else {
      // An empty file cannot be mapped; one spare byte keeps `base` valid.
      self.base = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 16))
      self.isMapped = false
    }
    self.count = count
    self.directory = directory
  }

  deinit {
    if isMapped {
      munmap(UnsafeMutableRawPointer(mutating: base), count)
    } else {
      UnsafeMutableRawPointer(mutating: base).deallocate()
    }
  }

  /// Tells the kernel the pages under `range` are no longer needed.
  ///
  /// The map is private and never written, so dropped pages are refetched from the file if read
  /// again: this only lowers resident memory, it never loses data.
  func release(_ range: Range<Int>) {
    if isMapped { releasePages(base, range, mappedCount: count) }
  }

  /// The bytes at `range` (checked to lie in the file).
  func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the model")
    return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
  }
}

/// Drops the pages under `range` of a private read-only map of `mappedCount` bytes at `base`
/// (page-aligned); reading them again refetches them from the file.
func releasePages(_ base: UnsafeRawPointer, _ range: Range<Int>, mappedCount: Int) {
  guard !range.isEmpty else { return }
  let page = Int(sysconf(Int32(_SC_PAGESIZE)))
  let first = range.lowerBound / page * page
  let last = min((range.upperBound + page - 1) / page * page, mappedCount)
  guard last > first else { return }
  _ = madvise(UnsafeMutableRawPointer(mutating: base + first), last - first, MADV_DONTNEED)
}

/// The folder holding `path` ("." for a bare file name).
func parentDirectory(of path: String) -> String {
  guard let slash = path.lastIndex(of: "/") else { return "." }
  let parent = String(path[..<slash])
  return parent.isEmpty ? "/" : parent
}

/// Maps a whole regular file read-only; nil pointer for an empty file.
/// - Throws: ``ModelImportError/io(path:message:)`` with the system's reason.
func mapFile(_ path: String) throws -> (UnsafeRawPointer?, Int) {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { throw ModelImportError.io(path: path, message: systemError()) }
  defer { close(fd) }
  var info = stat()
  guard fstat(fd, &info) == 0 else { throw ModelImportError.io(path: path, message: systemError()) }
  guard (info.st_mode & S_IFMT) == S_IFREG else {
    throw ModelImportError.io(path: path, message: "not a regular file")
  }
  let size = Int(info.st_size)
  guard size > 0 else { return (nil, 0) }
  guard let memory = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), memory != MAP_FAILED else {
    throw ModelImportError.io(path: path, message: "cannot map \(size) bytes: \(systemError())")
  }
  return (UnsafeRawPointer(memory), size)
}

/// The text of the current `errno`.
func systemError() -> String {
  String(cString: strerror(errno))
}
