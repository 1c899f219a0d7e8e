// A tiny CellExecutor for replay tests: one command per line, every kind of output.
import Foundation
import Imaging
import Interpreter
import Synchronization

/// Commands (one per line): `print X`, `warn X`, `result X`, `json TEXT`, `time MS`,
/// `tmpfile`, `image W H SHADE [SPOT]`, `display X ID`, `update X ID`, `set X`, `get`,
/// `fail NAME MESSAGE`, `sleep MS`, `exit`.
final class ToyExecutor: CellExecutor {
  private let interrupted = Atomic<Bool>(false)
  private var stored = ""
  /// Sources of every executed cell, with the cell number they came with.
  var executed: [(Int?, String)] = []

  func execute(_ source: String, cellNumber: Int?, sink: any OutputSink) -> ExecutionOutcome {
    interrupted.store(false, ordering: .relaxed)
    executed.append((cellNumber, source))
    for line in source.split(separator: "\n") {
      let words = line.split(separator: " ", maxSplits: 1).map(String.init)
      let rest = words.count > 1 ? words[1] : ""
      switch words.first ?? "" {
      case "print": sink.emit(.stream(name: "stdout", text: rest + "\n"))
      case "warn": sink.emit(.stream(name: "stderr", text: rest + "\n"))
      case "result": sink.emit(.result(MIMEBundle(data: ["text/plain": .text(rest)])))
      case "json":
        let data: [String: MIMEData] = [
          "application/json": .json(rest), "text/plain": .text("json"),
        ]
        sink.emit(.result(MIMEBundle(data: data)))
      case "time": sink.emit(.stream(name: "stdout", text: "forward pass took \(rest) ms\n"))
      case "tmpfile":
        let path = NSTemporaryDirectory() + "glimpse-\(UUID().uuidString)/map.npy"
        sink.emit(.stream(name: "stdout", text: "saved \(path)\n"))
      case "image":
        let n = rest.split(separator: " ").compactMap { Int($0) }
        let png = ToyImages.png(
          width: n[0], height: n[1], shade: n[2], spot: n.count > 3 ? n[3] : 0)
        let data: [String: MIMEData] = ["image/png": .binary(png), "text/plain": .text("<image>")]
        sink.emit(.display(MIMEBundle(data: data), displayID: nil))
      case "display", "update":
        let parts = rest.split(separator: " ").map(String.init)
        let bundle = MIMEBundle(data: ["text/plain": .text(parts[0])])
        sink.emit(
          words[0] == "display"
            ? .display(bundle, displayID: parts[1]) : .updateDisplay(bundle, displayID: parts[1]))
      case "set": stored = rest
      case "get": sink.emit(.result(MIMEBundle(data: ["text/plain": .text(stored)])))
      case "fail":
        let parts = rest.split(separator: " ", maxSplits: 1).map(String.init)
        return .error(
          name: parts[0], message: parts.count > 1 ? parts[1] : "",
          diagnostic: ["error: \(rest)", " --> cell \(cellNumber ?? 0)"])
      case "sleep":
        let deadline = Date().addingTimeInterval((Double(rest) ?? 0) / 1000)
        while Date() < deadline {
          if interrupted.load(ordering: .relaxed) { return .interrupted }
          Thread.sleep(forTimeInterval: 0.002)
        }
      case "exit": return .exit
      default: return .error(name: "UnknownCommand", message: String(line), diagnostic: [])
      }
    }
    return .ok
  }

  func complete(_ source: String, cursor: Int) -> CompletionResult {
    CompletionResult(matches: [], start: cursor, end: cursor)
  }
  func inspect(_ source: String, cursor: Int) -> String? { nil }
  func isComplete(_ source: String) -> CompletenessStatus { .complete }
  func interrupt() { interrupted.store(true, ordering: .relaxed) }
}

/// Test pictures: a horizontal gradient tinted by `shade`, with an optional bright square.
enum ToyImages {
  static func image(width: Int, height: Int, shade: Int, spot: Int = 0) -> Image {
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
      for x in 0..<width {
        let i = (y * width + x) * 3
        pixels[i] = UInt8(x * 255 / max(1, width - 1))
        pixels[i + 1] = UInt8(y * 255 / max(1, height - 1))
        pixels[i + 2] = UInt8(clamping: shade)
        // A spot-sized white square in the top-left corner.
        if x < spot && y < spot { (pixels[i], pixels[i + 1], pixels[i + 2]) = (255, 255, 255) }
      }
    }
    return Image(width: width, height: height, channels: 3, pixels: pixels)
  }

  static func png(width: Int, height: Int, shade: Int, spot: Int = 0) -> [UInt8] {
    try! image(width: width, height: height, shade: shade, spot: spot).pngData()
  }
}
