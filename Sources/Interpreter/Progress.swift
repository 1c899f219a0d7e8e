// The progress display of a long command: one display, updated, then replaced by the picture.
import Attribution
import Foundation
import ModelZoo

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

/// The progress of a weights download during `load`: one display, opened by the first
/// report, updated at most every `interval`, and left showing the final size.
///
/// A class shared with the download's progress callback, which libcurl calls on the loading
/// thread; the lock keeps the throttling state consistent should that ever change.
final class DownloadDisplay: @unchecked Sendable {
  private let sink: any OutputSink
  private let interval: TimeInterval
  private let id = "glimpse-download-" + UUID().uuidString.lowercased()
  private let lock = NSLock()
  private var bar = DownloadProgressBar(label: "weights")
  private let start = Date()
  private var opened = false
  private var lastUpdate = Date.distantPast
  private var last: (Int64, Int64?) = (0, nil)

  init(sink: any OutputSink, interval: TimeInterval) {
    self.sink = sink
    self.interval = interval
  }

  /// Reports `received` of `total` bytes, unless the last report is too recent.
  func update(_ file: String, _ received: Int64, _ total: Int64?) {
    lock.lock()
    defer { lock.unlock() }
    bar.label = "downloading " + file
    last = (received, total)
    let now = Date()
    guard !opened || now.timeIntervalSince(lastUpdate) >= interval || received == total else {
      return
    }
    lastUpdate = now
    show(line(received, total))
  }

  /// Leaves the display at its final state (nothing when nothing was downloaded).
  func finish() {
    lock.lock()
    defer { lock.unlock() }
    if opened { show(line(last.0, last.1) + " done") }
  }

  /// Marks an interrupted download.
  func abandon() {
    lock.lock()
    defer { lock.unlock() }
    if opened { show(line(last.0, last.1) + " failed") }
  }

  private func line(_ received: Int64, _ total: Int64?) -> String {
    bar.line(received: received, total: total, elapsed: Date().timeIntervalSince(start))
  }

  private func show(_ text: String) {
    let bundle = ProgressDisplay.text(text)
    sink.emit(opened ? .updateDisplay(bundle, displayID: id) : .display(bundle, displayID: id))
    opened = true
  }
}
