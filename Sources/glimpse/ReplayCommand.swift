// `glimpse replay`: run saved notebooks and compare their outputs (our notebooks are tests).
import ArgumentParser
import Foundation
import Interpreter
import Notebook

/// Replays notebooks through a session (or the real kernel) and reports a verdict per cell.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Run notebooks and compare each cell's outputs with the saved ones; ends with 'N passed, N failed'.")

  @Argument(help: "The .ipynb files.")
  var notebooks: [String]

  @Flag(help: "Save each executed notebook (nbformat 4.5) over the original, or into --write-dir.")
  var write = false

  @Option(help: "Folder for written notebooks (default: overwrite the originals).")
  var writeDir: String?

  @Option(help: "Write a JUnit XML report here.")
  var junit: String?

  @Option(help: "Seconds a cell may run before it is interrupted and failed.")
  var timeout: Double?

  @Flag(help: "Stop at the first failing cell.")
  var stopOnFirstFailure = false

  @Option(help: "A file of regex sanitizers (JSON or nbval-style); repeatable.")
  var sanitizers: [String] = []

  @Option(help: "Where actual and diff images of failing cells go.")
  var artifacts = "replay-output"

  @Flag(help: "Run the cells through a real Glimpse kernel over ZeroMQ instead of in-process.")
  var throughKernel = false

  func run() throws {
    let options = ReplayOptions(
      kernel: throughKernel ? .command([selfPath(), "kernel", "-f", "{connection_file}"]) : nil,
      write: write, writeDirectory: writeDir, junitPath: junit,
      timeout: timeout.map { .milliseconds(Int($0 * 1000)) },
      stopOnFirstFailure: stopOnFirstFailure, sanitizerFiles: sanitizers,
      artifactsDirectory: artifacts)
    let status = Replayer(options).run(paths: notebooks, executorFactory: { Session() })
    if status != 0 { throw ExitCode(status) }
  }

  private func selfPath() -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
  }
}
