// `glimpse kernel`, `glimpse repl`, `glimpse run`: one interpreter session behind three front ends.
import ArgumentParser
import Engine
import Foundation
import Interpreter
import KernelBridge
import Logging
import Terminal
import ZMQTransport

#if canImport(Glibc)
  import Glibc
#endif

/// Serves a session as a Jupyter kernel (what the kernelspec's argv runs).
struct KernelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kernel", abstract: "Run as a Jupyter kernel (started by Jupyter through the kernelspec).")

  @Option(name: [.customShort("f"), .customLong("connection-file")], help: "The connection file Jupyter writes.")
  var connectionFile: String

  @Flag(help: "Log protocol traffic at debug level on stderr.")
  var debug = false

  func run() throws {
    try reportingErrors {
      configureLogging(debug: debug)
      Logger(label: "glimpse.kernel").info(
        "starting: OpenBLAS kernels \(BLASRuntime.coreName), connection file \(connectionFile)")
      let language = GlimpseKernelLanguage(executor: Session())
      try KernelServer.run(connectionFile: connectionFile, language: language)
    }
  }
}

/// The interactive terminal front end.
struct REPLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl", abstract: "An interactive prompt with history, Tab completion and inline images.")

  @Option(help: "Where pictures are written.")
  var output = "glimpse-output"

  @Option(help: "Inline images: auto, kitty, iterm2 or off.")
  var images = "auto"

  func run() throws {
    var options = TerminalOptions()
    options.outputDirectory = output
    options.inlineImages = try inlineMode(images)
    signal(SIGPIPE, SIG_IGN)
    throw ExitCode(REPL(executor: Session(), options: options).run())
  }
}

/// Runs a script of commands non-interactively.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run a file of commands; exit code 1 at the first error (- reads stdin).")

  @Argument(help: "The script.")
  var script: String

  @Option(help: "Where pictures are written.")
  var output = "glimpse-output"

  func run() throws {
    var options = TerminalOptions()
    options.outputDirectory = output
    options.historyPath = nil
    options.inlineImages = .disabled
    signal(SIGPIPE, SIG_IGN)
    let status = ScriptRunner(executor: Session(), options: options).run(path: script)
    if status != 0 { throw ExitCode(status) }
  }
}

private func inlineMode(_ text: String) throws -> InlineImageMode {
  switch text.lowercased() {
  case "auto": return .auto
  case "kitty": return .kitty
  case "iterm2": return .iTerm2
  case "off", "none", "disabled": return .disabled
  default: throw ValidationError("--images must be auto, kitty, iterm2 or off")
  }
}

/// swift-log to stderr, at info (or debug) level.
func configureLogging(debug: Bool) {
  LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = debug ? .debug : .info
    return handler
  }
}
