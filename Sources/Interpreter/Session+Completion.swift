// Completion, inspection and is_complete, with the session's names.
import CommandLanguage
import Foundation
import ModelZoo

extension Session {
  /// Completion at `cursor` (code points): verbs, arguments, choices, and the session's
  /// layers, classes, images, models and paths.
  public func complete(_ source: String, cursor: Int) -> CompletionResult {
    let completer = Completer(names: SessionNames(session: self))
    let completion = completer.complete(source, cursor: cursor)
    return CompletionResult(
      matches: completion.matches, start: completion.start, end: completion.end)
  }

  /// The help of the command or argument under the cursor.
  public func inspect(_ source: String, cursor: Int) -> String? {
    Completer(names: SessionNames(session: self)).inspect(source, cursor: cursor)
  }

  /// Whether a cell can run: complete, incomplete (open quote, trailing `\`), or invalid.
  public func isComplete(_ source: String) -> CompletenessStatus {
    switch Catalog.glimpse.isComplete(source) {
    case .complete: return .complete
    case .incomplete: return .incomplete(indent: "")
    case .invalid(let diagnostic): return .invalid(reason: diagnostic.message)
    }
  }
}

/// The names completion asks a session for.
struct SessionNames: CompletionSource {
  let state: SessionState
  let assets: BundledAssets?
  let files: FileCompleter

  init(session: Session) {
    state = session.state
    assets = session.assets
    files = FileCompleter(directory: session.directory.path)
  }

  /// At most this many class or layer names.
  static let limit = 50

  func names(of kind: NameKind, matching prefix: String) -> [String] {
    switch kind {
    case .layer:
      let names = state.model?.layers.names ?? []
      return Array(names.filter { $0.hasPrefix(prefix) }.prefix(Self.limit))
    case .className:
      return classNames(prefix)
    case .image:
      let names = state.images.map(\.name) + state.results.keys.sorted()
      return names.filter { $0.lowercased().hasPrefix(prefix.lowercased()) }
    case .model:
      return ModelCatalog.entries.map(\.name).filter { $0.hasPrefix(prefix.lowercased()) }
    case .path:
      // Bundled photos by name (image chelsea) come before files.
      let photos = (assets?.photoNames() ?? []).map { ($0 as NSString).deletingPathExtension }
        .filter { !prefix.contains("/") && $0.hasPrefix(prefix) }
      return photos + files.names(of: kind, matching: prefix)
    case .directory:
      return files.names(of: kind, matching: prefix)
    }
  }

  /// Class names (Keras spelling) whose name or synonym starts with `prefix`, ignoring case
  /// and treating `_` as a space; WordNet ids for `n0...`.
  private func classNames(_ prefix: String) -> [String] {
    guard let labels = state.model?.classifier.labels else { return [] }
    let key = NameResolver.normalised(prefix)
    if prefix.lowercased().hasPrefix("n0") {
      return labels.labels.map(\.wnid).filter { $0.hasPrefix(prefix.lowercased()) }.prefix(
        Self.limit
      )
      .map { $0 }
    }
    let matches = labels.labels.filter { label in
      NameResolver.spellings(of: label).contains { $0.hasPrefix(key) }
    }
    return matches.prefix(Self.limit).map(\.name)
  }
}
