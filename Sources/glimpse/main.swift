// The glimpse executable: thin wiring only. Everything worth testing lives in the modules.
import ArgumentParser
import Engine
import Foundation

/// The `glimpse` command and its subcommands.
struct Glimpse: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Explain what an image classifier sees.",
    subcommands: [
      KernelCommand.self, REPLCommand.self, RunCommand.self, PredictCommand.self, BenchCommand.self,
      KernelspecCommand.self, ReplayCommand.self,
    ])
}

FastKernels.reexecIfNeeded()
Glimpse.main()
