// Path completion over the file system.

import Foundation

/// Completes file and directory paths from the file system; other kinds get no names.
///
/// `images/ch` lists `images/` for names starting with `ch`; directories come back with a
/// trailing `/`; `~/` means the home directory; dot files show only for a prefix starting
/// with a dot. Relative paths resolve against `directory`.
public struct FileCompleter: CompletionSource, Sendable {
  /// The directory relative paths start from.
  public var directory: String
  /// At most this many names.
  public var limit: Int

  /// A completer over `directory` (default: the current directory).
  public init(directory: String? = nil, limit: Int = 200) {
    self.directory = directory ?? FileManager.default.currentDirectoryPath
    self.limit = limit
  }

  /// Paths completing `prefix`, sorted, for `.path` and `.directory`.
  public func names(of kind: NameKind, matching prefix: String) -> [String] {
    guard kind == .path || kind == .directory else { return [] }
    let slash = prefix.lastIndex(of: "/")
    let folder = slash.map { String(prefix[...$0]) } ?? ""
    let stem = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
    let manager = FileManager.default
    guard let entries = try? manager.contentsOfDirectory(atPath: resolve(folder)) else {
      return []
    }
    var result: [String] = []
    for entry in entries.sorted()
    where entry.hasPrefix(stem) && (stem.hasPrefix(".") || !entry.hasPrefix(".")) {
      var isDirectory: ObjCBool = false
      let full = resolve(folder + entry)
      guard manager.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
      if isDirectory.boolValue {
        result.append(folder + entry + "/")
      } else if kind == .path {
        result.append(folder + entry)
      }
      if result.count == limit { break }
    }
    return result
  }

  /// The file system path of a typed one.
  private func resolve(_ typed: String) -> String {
    if typed == "~" || typed.hasPrefix("~/") {
      return NSHomeDirectory() + typed.dropFirst()
    }
    if typed.hasPrefix("/") { return typed }
    let base = directory.hasSuffix("/") ? directory : directory + "/"
    return typed.isEmpty ? base : base + typed
  }
}
