// Interrupting a long command: quick, `.interrupted`, state intact, the next command works.
import Dispatch
import Foundation
import Interpreter
import XCTest

final class SessionInterruptTests: XCTestCase {
  func testInterruptDuringOcclusion() throws {
    let session = Session()
    session.progressInterval = 0
    XCTAssertOK(session.run("load\nimage chelsea\ngradcam"))
    let before = session.run("show last").sink.pictures
    let sink = RecordingSink()
    let finished = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome: ExecutionOutcome?
    // 8-pixel windows at stride 4: 55 x 55 = 3 025 images to score, far more than a second.
    let box = SessionBox(session)
    let thread = Thread {
      outcome = box.session.execute("occlusion patch=8 stride=4", cellNumber: 1, sink: sink)
      finished.signal()
    }
    thread.start()
    // Wait until the first batch has reported progress.
    let deadline = Date().addingTimeInterval(60)
    while sink.all.count < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    XCTAssertGreaterThanOrEqual(sink.all.count, 2, "no progress before the deadline")
    let asked = Date()
    session.interrupt()
    XCTAssertEqual(finished.wait(timeout: .now() + 5), .success)
    let latency = Date().timeIntervalSince(asked)
    XCTAssertLessThan(latency, 1.0, "interrupt took \(latency) s")
    XCTAssertEqual(outcome, .interrupted)
    guard case .updateDisplay(let last, _) = sink.all.last else { return XCTFail("\(sink.all)") }
    XCTAssertEqual(last.plainText, "occlusion: interrupted")
    // The last result is still the Grad-CAM, and the session goes on working.
    XCTAssertEqual(session.run("show last").sink.pictures, before)
    let next = session.run("predict top=1")
    XCTAssertOK(next)
    XCTAssertTrue(next.sink.results.first?.plainText?.contains("Egyptian_cat") == true)
    print("interrupt latency: \(latency) s")
  }
}

/// Hands a session to the thread that runs it; this test's thread only calls `interrupt()`,
/// which is thread-safe.
final class SessionBox: @unchecked Sendable {
  let session: Session
  init(_ session: Session) { self.session = session }
}
