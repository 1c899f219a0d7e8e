// Where Keras weight files are looked for: Keras' own cache first (so readers who ran Keras
// reuse what they have), then Glimpse's cache, the one place Glimpse downloads into.
import Foundation

/// Finds Keras weight files in Keras' cache or Glimpse's, and downloads missing ones.
///
/// Folders, in search order:
/// 1. `$KERAS_HOME/models` when `KERAS_HOME` is set, and always `~/.keras/models`;
/// 2. `$GLIMPSE_CACHE` when set, else `$XDG_CACHE_HOME/glimpse/keras`, else
///    `~/.cache/glimpse/keras` (the download target).
///
/// The environment is a value, not read at each call, so tests run side by side.
public struct KerasWeightsCache: Sendable {
  /// The environment variables the folders and the URL override come from.
  public var environment: [String: String]

  /// Names the environment variable holding a base URL that replaces Keras' (mirrors, tests).
  public static let urlOverrideVariable = "GLIMPSE_KERAS_WEIGHTS_URL"

  /// A cache reading its folders from `environment` (the process environment by default).
  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.environment = environment
  }

  /// Keras' cache folders, in search order.
  ///
  /// NB: Keras 3 (and tf_keras' config) honour `KERAS_HOME`, but tf_keras' `get_file` always
  /// downloads into `~/.keras`, so with `KERAS_HOME` set both folders may hold weights.
  public var kerasDirectories: [URL] {
    let standard = home.appendingPathComponent(".keras/models", isDirectory: true)
    guard let kerasHome = variable("KERAS_HOME") else { return [standard] }
    let chosen = expandingTilde(kerasHome).appendingPathComponent("models", isDirectory: true)
    let same = chosen.standardizedFileURL == standard.standardizedFileURL
    return same ? [chosen] : [chosen, standard]
  }

  /// Glimpse's cache folder, where downloads go.
  public var glimpseDirectory: URL {
    if let explicit = variable("GLIMPSE_CACHE") { return expandingTilde(explicit) }
    let base =
      variable("XDG_CACHE_HOME").map(expandingTilde)
      ?? home.appendingPathComponent(".cache", isDirectory: true)
    return base.appendingPathComponent("glimpse/keras", isDirectory: true)
  }

  /// Every folder searched, in order: Keras' then Glimpse's.
  public var searchDirectories: [URL] { kerasDirectories + [glimpseDirectory] }

  /// The URL a missing file is downloaded from: under `GLIMPSE_KERAS_WEIGHTS_URL` when set,
  /// else Keras' own.
  public func downloadURL(for spec: KerasWeightFileSpec) -> String {
    variable(Self.urlOverrideVariable).map(spec.url(base:)) ?? spec.kerasURL
  }

  /// The first existing regular file named `spec.fileName` in the search folders, or nil.
  ///
  /// The file is not hashed here (550 MB take seconds); the weight reader rejects a bad file.
  public func locate(_ spec: KerasWeightFileSpec) -> URL? {
    for directory in searchDirectories {
      let candidate = directory.appendingPathComponent(spec.fileName, isDirectory: false)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
        !isDirectory.boolValue
      {
        return candidate
      }
    }
    return nil
  }

  /// ``locate(_:)`` with the process environment.
  public static func locate(_ spec: KerasWeightFileSpec) -> URL? {
    KerasWeightsCache().locate(spec)
  }

  /// Where the file should go by hand: one full path in Keras' cache and one in Glimpse's.
  public func manualDestinations(for spec: KerasWeightFileSpec) -> [String] {
    [kerasDirectories[0], glimpseDirectory].map {
      $0.appendingPathComponent(spec.fileName, isDirectory: false).path
    }
  }

  /// The home folder: `$HOME` from the environment, else the user database's.
  var home: URL {
    if let home = variable("HOME") { return URL(fileURLWithPath: home, isDirectory: true) }
    return FileManager.default.homeDirectoryForCurrentUser
  }

  /// A variable's value, treating an empty one as unset (as the XDG spec asks).
  func variable(_ name: String) -> String? {
    guard let value = environment[name], !value.isEmpty else { return nil }
    return value
  }

  /// A folder path with a leading `~` replaced by the home folder (Keras expands it too).
  private func expandingTilde(_ path: String) -> URL {
    if path == "~" { return home }
    if path.hasPrefix("~/") { return home.appendingPathComponent(String(path.dropFirst(2))) }
    return URL(fileURLWithPath: path, isDirectory: true)
  }
}
