// `glimpse kernelspec install`: where Jupyter looks for kernels, and what it finds there.
import Foundation

/// Writes the Glimpse kernelspec (kernel.json and logos) where `jupyter kernelspec install`
/// would put it, with the absolute path of the running binary in `argv`.
public struct KernelspecInstaller {
  /// Where to install, as `jupyter kernelspec install` spells it.
  public enum Location: Equatable {
    /// `~/.local/share/jupyter/kernels` (or `$JUPYTER_DATA_DIR/kernels`).
    case user
    /// The active Python environment: `$VIRTUAL_ENV` or `$CONDA_PREFIX`, `/share/jupyter/kernels`.
    case sysPrefix
    /// `PREFIX/share/jupyter/kernels`.
    case prefix(String)
    /// System-wide: `/usr/local/share/jupyter/kernels` (jupyter's default).
    case system
  }

  public var name: String
  public var displayName: String
  /// The glimpse binary the kernel will run.
  public var binary: String
  /// Folder holding `logo-32x32.png` and `logo-64x64.png`.
  public var logos: URL?

  public init(name: String = "glimpse", displayName: String = "Glimpse", binary: String, logos: URL?) {
    self.name = name
    self.displayName = displayName
    self.binary = binary
    self.logos = logos
  }

  /// The kernels folder for a location.
  /// - Throws: ``KernelspecError/noEnvironment`` for `sysPrefix` outside a Python environment.
  public static func kernelsDirectory(
    _ location: Location, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> URL {
    switch location {
    case .user:
      if let data = environment["JUPYTER_DATA_DIR"], !data.isEmpty {
        return URL(fileURLWithPath: data).appendingPathComponent("kernels")
      }
      let home = environment["HOME"] ?? NSHomeDirectory()
      return URL(fileURLWithPath: home).appendingPathComponent(".local/share/jupyter/kernels")
    case .sysPrefix:
      guard let prefix = environment["VIRTUAL_ENV"] ?? environment["CONDA_PREFIX"], !prefix.isEmpty else {
        throw KernelspecError.noEnvironment
      }
      return URL(fileURLWithPath: prefix).appendingPathComponent("share/jupyter/kernels")
    case .prefix(let prefix):
      return URL(fileURLWithPath: prefix).appendingPathComponent("share/jupyter/kernels")
    case .system:
      return URL(fileURLWithPath: "/usr/local/share/jupyter/kernels")
    }
  }

  /// The kernel.json text.
  public var kernelJSON: String {
    let spec: [String: Any] = [
      "argv": [binary, "kernel", "-f", "{connection_file}"],
      "display_name": displayName,
      "language": "glimpse",
      "interrupt_mode": "message",
      "metadata": ["debugger": false],
    ]
    let data = try! JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// Writes the kernelspec folder and returns its path.
  @discardableResult
  public func install(into kernels: URL) throws -> URL {
    let folder = kernels.appendingPathComponent(name)
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Data(kernelJSON.utf8).write(to: folder.appendingPathComponent("kernel.json"))
      if let logos {
        for file in ["logo-32x32.png", "logo-64x64.png"] {
          let target = folder.appendingPathComponent(file)
          try? FileManager.default.removeItem(at: target)
          try FileManager.default.copyItem(at: logos.appendingPathComponent(file), to: target)
        }
      }
    } catch {
      throw KernelspecError.cannotWrite(folder.path, error.localizedDescription)
    }
    return folder
  }
}

/// Failures installing the kernelspec.
public enum KernelspecError: Error, CustomStringConvertible, Equatable {
  case noEnvironment
  case cannotWrite(String, String)

  public var description: String {
    switch self {
    case .noEnvironment:
      return "--sys-prefix needs an active Python environment (VIRTUAL_ENV or CONDA_PREFIX is not set)"
    case .cannotWrite(let path, let why): return "cannot write the kernelspec to \(path): \(why)"
    }
  }
}
