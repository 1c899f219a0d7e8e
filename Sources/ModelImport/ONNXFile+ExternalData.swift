// Tensors stored outside the model (`data_location: EXTERNAL`), as models over 2 GB must be.
//
// The location comes from the file, so it is untrusted: it must name a file inside the model's
// folder (no absolute path, no `..` or symbolic link leading out), and the offset and length
// must lie within that file.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension ONNXFile {
  /// Calls `body` with the bytes `offset..<offset+length` of the external file `location`, and
  /// a function that releases the pages of a range of them once copied.
  func withExternalBytes<R>(
    _ location: String, _ offset: Int, _ length: Int?, tensor: String,
    _ body: (UnsafeRawBufferPointer, (Range<Int>) -> Void) throws -> R
  ) throws -> R {
    let path = try externalPath(location, tensor: tensor)
    let (mapped, size) = try mapFile(path)
    defer { if let mapped { munmap(UnsafeMutableRawPointer(mutating: mapped), size) } }
    let length = length ?? max(size - offset, 0)
    guard offset <= size, length <= size - offset else {
      throw ModelImportError.badTensor(
        name: tensor,
        message: "external data at offset \(offset), length \(length) lies outside "
          + "'\(location)' (\(size) bytes)")
    }
    guard let mapped else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) { _ in } }
    return try body(UnsafeRawBufferPointer(start: mapped + offset, count: length)) {
      releasePages(mapped, offset + $0.lowerBound..<offset + $0.upperBound, mappedCount: size)
    }
  }

  /// The checked path of an external-data file.
  /// - Throws: ``ModelImportError/badTensor(name:message:)`` when `location` leaves the model's
  ///   folder or there is no folder (a model given as bytes); `io` when it does not exist.
  func externalPath(_ location: String, tensor: String) throws -> String {
    let refuse = { (why: String) in
      ModelImportError.badTensor(name: tensor, message: "external data '\(location)' \(why)")
    }
    guard let directory else {
      throw refuse("needs the model's folder (the model was given as bytes)")
    }
    guard !location.hasPrefix("/") else { throw refuse("is an absolute path") }
    guard !location.utf8.contains(0) else { throw refuse("contains a NUL byte") }
    var depth = 0
    for component in location.split(separator: "/") {
      if component == ".." { depth -= 1 } else if component != "." { depth += 1 }
      guard depth >= 0 else { throw refuse("leaves the model's folder") }
    }
    let path = directory + "/" + location
    // Symbolic links can still lead out: compare the resolved paths.
    guard let realFolder = realPath(directory) else {
      throw ModelImportError.io(path: directory, message: systemError())
    }
    guard let realFile = realPath(path) else {
      throw ModelImportError.io(path: path, message: systemError())
    }
    guard realFile.hasPrefix(realFolder == "/" ? "/" : realFolder + "/") else {
      throw refuse("resolves outside the model's folder")
    }
    return realFile
  }
}

/// The canonical absolute path (symbolic links resolved), or nil when it does not exist.
private func realPath(_ path: String) -> String? {
  guard let resolved = realpath(path, nil) else { return nil }
  defer { free(resolved) }
  return String(cString: resolved)
}
