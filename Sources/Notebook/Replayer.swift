// `glimpse replay NOTEBOOK...`: run every code cell in order, compare with the saved outputs,
// print a verdict per cell and `N passed, N failed`; exit non-zero when anything failed.
import Foundation
public import Interpreter
import JupyterProtocol

/// Replays notebooks and reports per-cell verdicts.
public final class Replayer {
  /// The options this replayer runs with.
  public let options: ReplayOptions
  let emit: (String) -> Void

  /// A replayer; `output` receives each report line (standard output by default).
  public init(_ options: ReplayOptions, output: @escaping (String) -> Void = { print($0) }) {
    self.options = options
    self.emit = output
  }

  /// Replays `paths` in order and returns the exit code (0 only when nothing failed).
  ///
  /// In-process (no `options.kernel`), each notebook gets a fresh executor from
  /// `executorFactory`; through a kernel, the factory is not used.
  public func run(paths: [String], executorFactory: () throws -> any CellExecutor) -> Int32 {
    switch options.kernel {
    case nil:
      return run(paths: paths) { InProcessRunner(executor: try executorFactory()) }
    case .command(let command):
      return run(paths: paths) { try KernelRunner(launching: command) }
    case .connectionFile(let path):
      var shared: KernelRunner?
      defer { shared?.finish() }
      return run(paths: paths) {
        if shared == nil { shared = try KernelRunner(connectionFile: path) }
        return SharedRunner(shared!)
      }
    }
  }

  /// Replays `paths` with a runner per notebook from `runnerFactory`; returns the exit code.
  public func run(paths: [String], runnerFactory: () throws -> any CellRunner) -> Int32 {
    var reports: [NotebookReport] = []
    for path in paths {
      let report = replay(path: path, runnerFactory: runnerFactory)
      reports.append(report)
      if report.stopped || (options.stopOnFirstFailure && report.failed > 0) { break }
    }
    if let junit = options.junitPath {
      do {
        try JUnitReport.xml(reports).write(
          to: URL(fileURLWithPath: junit), atomically: true, encoding: .utf8)
      } catch {
        emit("error: cannot write JUnit report \(junit): \(error.localizedDescription)")
        reports.append(NotebookReport(path: junit, error: "cannot write JUnit report"))
      }
    }
    let passed = reports.reduce(0) { $0 + $1.passed }
    let failed = reports.reduce(0) { $0 + $1.failed }
    emit("\(passed) passed, \(failed) failed")
    return failed == 0 ? 0 : 1
  }

  /// Replays one notebook: reads it, runs its code cells, compares, writes what was asked.
  public func replay(path: String, runnerFactory: () throws -> any CellRunner) -> NotebookReport {
    var report = NotebookReport(path: path)
    emit(path)
    do {
      var notebook = try Notebook(contentsOfFile: path)
      try checkLanguage(notebook.declaredLanguage, of: path)
      let context = try ReplayContext(notebook: notebook, path: path, options: options)
      let runner = try runnerFactory()
      defer { runner.finish() }
      if let spoken = runner.languageName, spoken.lowercased() != options.language.lowercased() {
        throw NotebookError.kernel(
          reason: "the kernel runs '\(spoken)', but this replays '\(options.language)' notebooks")
      }
      do {
        try replayCells(of: &notebook, with: runner, context: context, into: &report)
      } catch {
        // Keep what ran so far (and write it if asked) before reporting the error.
        try? save(notebook, path: path, languageInfo: runner.languageInfo)
        throw error
      }
      try save(notebook, path: path, languageInfo: runner.languageInfo)
    } catch let error as NotebookError {
      report.error = error.description
    } catch {
      report.error = "\(error)"
    }
    if let error = report.error { emit("error: \(error)") }
    return report
  }

  private func checkLanguage(_ declared: (name: String, source: String)?, of path: String)
    throws(NotebookError)
  {
    guard let declared, declared.name.lowercased() != options.language.lowercased() else {
      return
    }
    throw NotebookError.unknownLanguage(
      file: path, language: declared.name, source: declared.source, expected: options.language)
  }

  private func replayCells(
    of notebook: inout Notebook, with runner: any CellRunner, context: ReplayContext,
    into report: inout NotebookReport
  ) throws {
    for index in notebook.cells.indices where notebook.cells[index].kind == .code {
      let cell = notebook.cells[index]
      guard !cell.source.allSatisfy(\.isWhitespace) else { continue }
      let run = try runner.run(cell.source, cellNumber: index + 1, timeout: options.timeout)
      let cellReport = try context.verdict(for: cell, at: index + 1, run: run)
      cellReport.lines.forEach(emit)
      report.cells.append(cellReport)
      notebook.cells[index].outputs = run.outputs
      notebook.cells[index].executionCount = run.executionCount
      if options.stopOnFirstFailure && !cellReport.verdict.isPass {
        report.stopped = true
        emit("stopped at the first failure")
        return
      }
    }
  }

  /// Writes the executed notebook when asked, with Glimpse kernelspec and language_info.
  private func save(_ notebook: Notebook, path: String, languageInfo: JSONObject?) throws {
    guard options.write else { return }
    var notebook = notebook
    if notebook.metadata["kernelspec"] == nil {
      notebook.metadata["kernelspec"] =
        options.language == "glimpse"
        ? .object(Notebook.glimpseKernelspec)
        : [
          "display_name": .string(options.language), "language": .string(options.language),
          "name": .string(options.language),
        ]
    }
    if let languageInfo, !languageInfo.isEmpty {
      notebook.metadata["language_info"] = .object(languageInfo)
    } else if notebook.metadata["language_info"] == nil {
      notebook.metadata["language_info"] =
        options.language == "glimpse"
        ? .object(Notebook.glimpseLanguageInfo) : ["name": .string(options.language)]
    }
    var target = path
    if let directory = options.writeDirectory {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
      target =
        URL(fileURLWithPath: directory)
        .appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent).path
    }
    try notebook.write(toFile: target)
    emit("wrote \(target)")
  }
}

/// A runner shared by several notebooks: `finish()` is left to its owner.
final class SharedRunner: CellRunner {
  let runner: any CellRunner
  init(_ runner: any CellRunner) { self.runner = runner }
  var languageInfo: JSONObject? { runner.languageInfo }
  func run(_ source: String, cellNumber: Int, timeout: Duration?) throws -> CellRun {
    try runner.run(source, cellNumber: cellNumber, timeout: timeout)
  }
  func finish() {}
}
