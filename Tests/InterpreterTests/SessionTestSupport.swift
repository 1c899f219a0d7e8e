// Running cells through a session and reading what came out.
import Foundation
import Imaging
import Interpreter
import Synchronization
import XCTest

/// Collects a cell's outputs in order (thread-safe: progress may come from any thread).
final class RecordingSink: OutputSink {
  private let items = Mutex<[OutputItem]>([])

  func emit(_ item: OutputItem) { items.withLock { $0.append(item) } }

  /// Everything emitted so far.
  var all: [OutputItem] { items.withLock { $0 } }

  /// The text of every stdout stream, joined.
  var stdout: String {
    all.compactMap { if case .stream("stdout", let text) = $0 { text } else { nil } }.joined()
  }

  /// Every `.result` bundle.
  var results: [MIMEBundle] {
    all.compactMap { if case .result(let bundle) = $0 { bundle } else { nil } }
  }

  /// Every bundle carrying a PNG, from displays and display updates.
  var pictures: [MIMEBundle] {
    all.compactMap { item -> MIMEBundle? in
      switch item {
      case .display(let bundle, _), .updateDisplay(let bundle, _): bundle.png == nil ? nil : bundle
      default: nil
      }
    }
  }
}

/// A cell's outcome and outputs.
struct CellRun {
  var outcome: ExecutionOutcome
  var sink: RecordingSink
}

/// A temporary directory removed after the test.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "glimpse-interp-" + UUID().uuidString)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
  return url
}

extension Session {
  /// Runs a cell and collects its outputs.
  @discardableResult
  func run(_ source: String, cell: Int? = nil) -> CellRun {
    let sink = RecordingSink()
    let outcome = execute(source, cellNumber: cell, sink: sink)
    return CellRun(outcome: outcome, sink: sink)
  }
}

/// Asserts a cell ran to the end.
func XCTAssertOK(_ run: CellRun, file: StaticString = #filePath, line: UInt = #line) {
  if case .error(_, _, let lines) = run.outcome {
    XCTFail(lines.joined(separator: "\n"), file: file, line: line)
  } else {
    XCTAssertEqual(run.outcome, .ok, file: file, line: line)
  }
}

/// The rendered diagnostic of a failed cell, or nil.
func diagnosticText(_ run: CellRun) -> String? {
  if case .error(_, _, let lines) = run.outcome { return lines.joined(separator: "\n") }
  return nil
}

/// Decodes a bundle's PNG.
func decodedPNG(_ bundle: MIMEBundle, file: StaticString = #filePath, line: UInt = #line) throws
  -> Image
{
  let bytes = try XCTUnwrap(bundle.png, "no image/png", file: file, line: line)
  return try Image(decoding: bytes, name: "output.png")
}
