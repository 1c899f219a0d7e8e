// What replaying one code cell concluded, and how a report line says it.
import Foundation

/// The verdict on one replayed code cell.
public enum CellVerdict: Sendable, Equatable {
  /// Ran without error and every output matched.
  case passed
  /// Did not match, or raised an unexpected error, or timed out; `reasons` say how.
  case failed(reasons: [OutputMismatch])
  /// A `raises-exception` cell raised as it should (and its outputs matched).
  case expectedFailureSeen(errorName: String)
  /// A `raises-exception` cell that ran without error.
  case expectedFailureMissing
  /// Ran without error; its outputs were not compared (`skip-compare`, `nbval-ignore-output`).
  case skippedCompare

  /// Whether this verdict counts as passed in the summary.
  public var isPass: Bool {
    switch self {
    case .passed, .expectedFailureSeen, .skippedCompare: true
    case .failed, .expectedFailureMissing: false
    }
  }

  /// The words after `cell 3 [...]: `.
  public var headline: String {
    switch self {
    case .passed: "passed"
    case .failed(let reasons):
      "failed" + (reasons.first.map { " (\($0.summary))" } ?? "")
        + (reasons.count > 1 ? " and \(reasons.count - 1) more" : "")
    case .expectedFailureSeen(let name): "expected failure seen (\(name))"
    case .expectedFailureMissing: "failed (expected failure missing: the cell raised no error)"
    case .skippedCompare: "passed (compare skipped)"
    }
  }
}

/// The verdict on a cell with what a report needs to show it.
public struct CellReport: Sendable {
  /// 1-based position among all the notebook's cells.
  public var position: Int
  /// The first line of the source, shortened.
  public var label: String
  /// The verdict.
  public var verdict: CellVerdict
  /// How long the cell ran.
  public var duration: Duration
  /// Files written for a person to look at (actual and diff images).
  public var artifacts: [String]

  /// `cell 3 [gradcam layer=block5]`.
  public var title: String { "cell \(position) [\(label)]" }

  /// The report line and, for failures, the indented details below it.
  public var lines: [String] {
    var out = ["\(title): \(verdict.headline)"]
    if case .failed(let reasons) = verdict {
      for reason in reasons {
        if reasons.count > 1 { out.append("  - \(reason.summary)") }
        out += reason.details.map { "    " + $0 }
      }
    }
    out += artifacts.map { "    wrote \($0)" }
    return out
  }

  /// The first non-blank line of `source`, at most `limit` characters.
  static func label(for source: String, limit: Int = 40) -> String {
    let line = source.split(separator: "\n").first { !$0.allSatisfy(\.isWhitespace) } ?? ""
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    return trimmed.count <= limit ? trimmed : String(trimmed.prefix(limit - 1)) + "…"
  }
}
