// Standard output and error of a front end captured in files (pipes could fill and block).
import Foundation
import Terminal

/// Two files standing in for stdout and stderr, and an input file for stdin.
final class CapturedOutput {
  let directory: URL
  let outputFD: Int32
  let errorFD: Int32
  private(set) var inputFD: Int32 = -1

  init(directory: URL) {
    self.directory = directory
    outputFD = open(directory.appendingPathComponent("stdout").path, O_CREAT | O_RDWR, 0o600)
    errorFD = open(directory.appendingPathComponent("stderr").path, O_CREAT | O_RDWR, 0o600)
  }

  deinit {
    for fd in [outputFD, errorFD, inputFD] where fd >= 0 { close(fd) }
  }

  /// Makes `text` the input.
  func provideInput(_ text: String) throws {
    let url = directory.appendingPathComponent("stdin")
    try text.write(to: url, atomically: false, encoding: .utf8)
    inputFD = open(url.path, O_RDONLY)
  }

  /// Options writing to the captured files and saving images under `directory/out`.
  var options: TerminalOptions {
    var options = TerminalOptions()
    if inputFD >= 0 { options.inputFD = inputFD }
    options.outputFD = outputFD
    options.errorFD = errorFD
    options.historyPath = nil
    options.outputDirectory = directory.appendingPathComponent("out").path
    options.inlineImages = .disabled
    options.colour = .never
    return options
  }

  var output: String { contents("stdout") }
  var errors: String { contents("stderr") }

  private func contents(_ name: String) -> String {
    (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
  }
}
