// The progress display of a long command: one display, updated, then replaced by the picture.
import Attribution
import Foundation

/// Shows `what: done/total (p%)` in one display and updates it at most every `interval`.
final class ProgressDisplay {
  let id: String
  private let what: String
  private let unit: String
  private let run: CommandRun
  private let interval: TimeInterval
  private var lastUpdate = Date.distantPast
  /// Whether the final picture has replaced the progress text.
  private(set) var finished = false

  /// Opens the display with `what: starting`.
  init(_ what: String, unit: String, run: CommandRun, interval: TimeInterval) {
    self.id = "glimpse-progress-" + UUID().uuidString.lowercased()
    self.what = what
    self.unit = unit
    self.run = run
    self.interval = interval
    run.emit(.display(Self.text("\(what): starting"), displayID: id))
  }

  /// A run control that reports here and stops on the session's cancellation.
  var control: RunControl {
    RunControl(
      progress: { [self] done, total in update(done, total) }, cancellation: run.cancellation)
  }

  /// Reports `done` of `total` items, unless the last report is too recent.
  func update(_ done: Int, _ total: Int) {
    let now = Date()
    guard now.timeIntervalSince(lastUpdate) >= interval || done == total else { return }
    lastUpdate = now
    let percent = total > 0 ? done * 100 / total : 0
    run.emit(
      .updateDisplay(Self.text("\(what): \(done)/\(total) \(unit) (\(percent)%)"), displayID: id))
  }

  /// Replaces the progress text with the result.
  func finish(with bundle: MIMEBundle) {
    finished = true
    run.emit(.updateDisplay(bundle, displayID: id))
  }

  /// Marks the display as stopped (the command failed or was interrupted).
  func abandon(_ reason: String) {
    guard !finished else { return }
    finished = true
    run.emit(.updateDisplay(Self.text("\(what): \(reason)"), displayID: id))
  }

  static func text(_ line: String) -> MIMEBundle { MIMEBundle(data: ["text/plain": .text(line)]) }
}
