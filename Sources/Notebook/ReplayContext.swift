// Judging one replayed cell: tags, errors, timeouts, comparison, and the images written on
// failure.
import Foundation
import Imaging
import JupyterProtocol

/// Per-notebook settings for judging cells: sanitizers, tolerance, where evidence goes.
struct ReplayContext {
  static let raisesTags: Set = ["raises-exception", "nbval-raises-exception"]
  static let skipCompareTags: Set = ["skip-compare", "nbval-ignore-output"]

  let path: String
  let options: ReplayOptions
  let sanitizers: [Sanitizer]
  let tolerance: ImageTolerance

  /// Sanitizers: option files, then `metadata.glimpse.sanitizers`, then the built-ins.
  init(notebook: Notebook, path: String, options: ReplayOptions) throws(NotebookError) {
    self.path = path
    self.options = options
    var sanitizers: [Sanitizer] = []
    for file in options.sanitizerFiles { sanitizers += try Sanitizer.load(file: file) }
    let glimpse = notebook.metadata["glimpse"]
    if let list = glimpse?["sanitizers"] {
      guard let entries = list.arrayValue else {
        throw NotebookError.badSanitizer(
          source: "\(path) metadata.glimpse.sanitizers", reason: "expected a list")
      }
      sanitizers += try Sanitizer.fromJSON(
        entries, source: "\(path) metadata.glimpse.sanitizers")
    }
    if options.builtInSanitizers { sanitizers += Sanitizer.builtIn }
    self.sanitizers = sanitizers
    tolerance = try options.imageTolerance.overridden(
      by: glimpse?["image_tolerance"], file: path, path: "metadata.glimpse.image_tolerance")
  }

  /// The verdict on `cell` (at 1-based `position`) given what running it produced.
  func verdict(for cell: NotebookCell, at position: Int, run: CellRun) throws(NotebookError)
    -> CellReport
  {
    let tags = Set(cell.tags)
    let raises = !tags.isDisjoint(with: Self.raisesTags)
    let skip = !tags.isDisjoint(with: Self.skipCompareTags)
    var report = CellReport(
      position: position, label: CellReport.label(for: cell.source), verdict: .passed,
      duration: run.duration, artifacts: [])
    if run.timedOut {
      let limit = options.timeout.map { " after \($0.shortText)" } ?? ""
      report.verdict = .failed(reasons: [
        OutputMismatch(summary: "timed out\(limit) and was interrupted", details: [])
      ])
    } else if let failure = run.failure, !raises {
      report.verdict = .failed(reasons: [
        OutputMismatch(
          summary: "raised \(failure.name): \(failure.message)",
          details: Self.traceback(in: run.outputs))
      ])
    } else if raises && run.failure == nil {
      report.verdict = .expectedFailureMissing
    } else if skip {
      report.verdict =
        run.failure.map { .expectedFailureSeen(errorName: $0.name) } ?? .skippedCompare
    } else {
      let cellTolerance = try tolerance.overridden(
        by: cell.metadata["glimpse"]?["image_tolerance"], file: path,
        path: "cells[\(position - 1)].metadata.glimpse.image_tolerance")
      let comparer = OutputComparer(sanitizers: sanitizers, tolerance: cellTolerance)
      let mismatches = comparer.compare(expected: cell.outputs, actual: run.outputs)
      if mismatches.isEmpty {
        report.verdict = run.failure.map { .expectedFailureSeen(errorName: $0.name) } ?? .passed
      } else {
        report.verdict = .failed(reasons: mismatches)
        report.artifacts = writeEvidence(mismatches.compactMap(\.image), position: position)
      }
    }
    return report
  }

  static func traceback(in outputs: [CellOutput]) -> [String] {
    for case .error(_, _, let traceback) in outputs { return traceback }
    return []
  }

  /// Writes `<name>.cellN.actual.png` and `<name>.cellN.diff.png` (with `.outK` before the
  /// suffix when a cell has several failed images); returns the paths written.
  func writeEvidence(_ images: [ImageEvidence], position: Int) -> [String] {
    guard !images.isEmpty else { return [] }
    let directory = URL(fileURLWithPath: options.artifactsDirectory)
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    var written: [String] = []
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      for evidence in images {
        var stem = "\(name).cell\(position)"
        if images.count > 1 { stem += ".out\(evidence.outputIndex + 1)" }
        let isPNG = evidence.actualBytes.starts(with: [0x89, 0x50, 0x4E, 0x47])
        let actual = directory.appendingPathComponent("\(stem).actual.\(isPNG ? "png" : "jpg")")
        try Data(evidence.actualBytes).write(to: actual)
        written.append(actual.path)
        if let diff = evidence.diff {
          let url = directory.appendingPathComponent("\(stem).diff.png")
          try Data(try diff.pngData()).write(to: url)
          written.append(url.path)
        }
      }
    } catch {
      written.append("(failed: \(error))")
    }
    return written
  }
}
