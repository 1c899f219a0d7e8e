import Foundation

/// A fresh folder under the system temporary folder, removed by `remove()`.
struct TemporaryFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("glimpse-kfetch-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// A path inside the folder.
  func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

  /// Writes bytes at a relative path, creating folders on the way.
  @discardableResult
  func write(_ bytes: [UInt8], at relative: String) throws -> URL {
    let file = url.appendingPathComponent(relative)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: file)
    return file
  }

  /// The names in a folder, sorted; empty when the folder does not exist.
  func contents(of relative: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path(relative))) ?? []).sorted()
  }

  func remove() { try? FileManager.default.removeItem(at: url) }
}
