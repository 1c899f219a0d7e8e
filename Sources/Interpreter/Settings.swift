// Session settings: what `set` changes and `get` shows.
import CommandLanguage
import Engine
import Foundation
import Imaging

/// The settings `set` changes; explanation arguments of the same name override them once.
struct Settings: Equatable {
  var colormap = "jet"
  var alpha = 0.5
  var seed = 0
  var preset = "none"
  var top = 1
  var resize = ResizeMode.squash
  var interpolation = Interpolation.bilinear
  /// Engine threads; nil means all cores (the engine's own default).
  var threads: Int?

  /// Setting names in the order `get` lists them (the catalog's order).
  static let keys = [
    "colormap", "alpha", "seed", "preset", "top", "resize", "interpolation", "threads",
  ]

  /// The value of `key` as `get` shows it.
  func value(_ key: String) -> String {
    switch key {
    case "colormap": colormap
    case "alpha": formatNumber(alpha)
    case "seed": String(seed)
    case "preset": preset
    case "top": String(top)
    case "resize": resize.rawValue
    case "interpolation": interpolation.rawValue
    case "threads": threads.map(String.init) ?? "\(EngineThreads.count) (all cores)"
    default: "?"
    }
  }

  /// Applies one validated `key=value` argument.
  /// - Throws: a ``Diagnostic`` at the value for a colormap Glimpse cannot draw.
  mutating func apply(_ argument: Argument) throws(Diagnostic) {
    let value = argument.value
    switch argument.name {
    case "colormap":
      _ = try Palette.colormap(value.text ?? "", at: argument.valueRange)
      colormap = value.text ?? colormap
    case "alpha": alpha = value.number ?? alpha
    case "seed": seed = Int(value.number ?? Double(seed))
    case "preset": preset = value.text ?? preset
    case "top": top = Int(value.number ?? Double(top))
    case "resize": resize = ResizeMode(rawValue: value.text ?? "") ?? resize
    case "interpolation": interpolation = Interpolation(rawValue: value.text ?? "") ?? interpolation
    case "threads": threads = Int(value.number ?? 1)
    default: break
    }
  }
}

/// The colormaps the catalog names, as Imaging draws them.
enum Palette {
  /// Catalog names Imaging has a table for (`gray` is Imaging's `grey`, `bwr` its red-white-blue).
  static let available = ["jet", "viridis", "inferno", "gray", "bwr"]

  /// The colormap called `name`.
  /// - Throws: a ``Diagnostic`` at `range` for a name the catalog allows but Imaging lacks.
  static func colormap(_ name: String, at range: SourceRange) throws(Diagnostic) -> Colormap {
    switch name.lowercased() {
    case "bwr": return .redWhiteBlue
    default:
      if let map = Colormap.named(name) { return map }
      throw Diagnostic(
        .invalidValue, "colormap '\(name)' cannot be drawn yet", at: range,
        label: "available: \(available.joined(separator: ", "))")
    }
  }
}

/// A number as people write it: `0.5`, `3`, `0.125`.
func formatNumber(_ x: Double) -> String {
  if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
  return String(x)
}

/// The engine's thread count, which lives outside the session state.
enum EngineThreadsSetting {
  /// Sets the engine's threads; nil restores all cores.
  static func apply(_ threads: Int?) {
    EngineThreads.count = threads ?? ProcessInfo.processInfo.activeProcessorCount
  }
}
