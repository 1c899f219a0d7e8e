// `glimpse kernelspec install`: make Jupyter find the Glimpse kernel.
import ArgumentParser
import Foundation
import KernelBridge
import ModelZoo

/// Groups the kernelspec subcommands.
struct KernelspecCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kernelspec", abstract: "Manage the Jupyter kernelspec.",
    subcommands: [Install.self])

  /// Writes the kernelspec with this binary's absolute path.
  struct Install: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Install the Glimpse kernelspec where Jupyter looks for kernels (system-wide by default).")

    @Flag(help: "Install for the current user (~/.local/share/jupyter/kernels).")
    var user = false
    @Flag(help: "Install into the active Python environment (VIRTUAL_ENV or CONDA_PREFIX).")
    var sysPrefix = false
    @Option(help: "Install under PREFIX/share/jupyter/kernels.")
    var prefix: String?
    @Option(help: "The kernel's folder name.")
    var name = "glimpse"

    func run() throws {
      try reportingErrors {
        let chosen = [user, sysPrefix, prefix != nil].filter { $0 }.count
        guard chosen <= 1 else { throw ValidationError("choose one of --user, --sys-prefix, --prefix") }
        let location: KernelspecInstaller.Location =
          user ? .user : sysPrefix ? .sysPrefix : prefix.map { .prefix($0) } ?? .system
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
          ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let logos = (try? BundledAssets.locate())?.directory.appendingPathComponent("kernelspec")
        let installer = KernelspecInstaller(name: name, binary: binary, logos: logos)
        let folder = try installer.install(into: KernelspecInstaller.kernelsDirectory(location))
        print("Installed the Glimpse kernelspec in \(folder.path)")
      }
    }
  }
}
