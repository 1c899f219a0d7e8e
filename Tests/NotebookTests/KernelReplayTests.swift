// Replay through a real kernel over ZeroMQ: the in-process KernelServer serving the toy
// executor through a small KernelLanguage bridge, reached by connection file or started by a
// command line.
import Foundation
import Interpreter
import JupyterKernel
import JupyterProtocol
import Logging
import Synchronization
import XCTest
import ZMQTransport

@testable import Notebook

/// Serves a `CellExecutor` as a kernel language named `toy` (the real Glimpse bridge lives
/// elsewhere; this one is just enough to carry the toy executor's outputs over IOPub).
final class ExecutorLanguage: KernelLanguage, @unchecked Sendable {
  // NB: the kernel calls execute on its shell thread only and interrupt from control; the
  // executor's interrupt is atomic, so the unchecked Sendable holds.
  let executor = ToyExecutor()

  var languageInfo: LanguageInfo {
    LanguageInfo(name: "toy", version: "1.0", mimetype: "text/x-toy", fileExtension: ".toy")
  }
  var banner: String { "toy" }

  func execute(_ code: String, context: ExecutionContext) throws -> JupyterKernel.ExecutionOutcome {
    let sink = ContextSink(context: context)
    switch executor.execute(code, cellNumber: nil, sink: sink) {
    case .ok, .exit: return .ok
    case .error(let name, let message, let diagnostic):
      return .error(ExecutionError(ename: name, evalue: message, traceback: diagnostic))
    case .interrupted:
      return .error(ExecutionError(ename: "Interrupted", evalue: "interrupted"))
    }
  }

  func interrupt() { executor.interrupt() }
}

/// Publishes output items through a kernel's execution context.
final class ContextSink: OutputSink {
  let context: ExecutionContext
  init(context: ExecutionContext) { self.context = context }

  func emit(_ item: OutputItem) {
    switch item {
    case .display(let bundle, let id):
      context.display(bundle.jupyterData(splitLines: false), displayID: id)
    case .updateDisplay(let bundle, let id):
      context.updateDisplay(bundle.jupyterData(splitLines: false), displayID: id)
    case .result(let bundle): context.result(bundle.jupyterData(splitLines: false))
    case .stream(let name, let text): context.stream(text, to: name == "stderr" ? .stderr : .stdout)
    }
  }
}

/// A kernel server on loopback ports serving the toy language on its own thread.
final class ServedKernel: Sendable {
  let server: KernelServer
  let finished = DispatchSemaphore(value: 0)

  init(connection: ConnectionInfo) throws {
    server = try KernelServer(
      connection: connection, language: ExecutorLanguage(),
      logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    let server = self.server
    let finished = self.finished
    Thread {
      server.serve()
      finished.signal()
    }.start()
  }
}

final class KernelReplayTests: XCTestCase {
  var scratch: Scratch!

  override func setUpWithError() throws { scratch = try Scratch() }
  override func tearDown() { scratch.cleanUp() }

  private func toyNotebook(_ cells: [NotebookCell]) -> Notebook {
    Notebook(
      cells: cells,
      metadata: ["kernelspec": ["name": "toy", "language": "toy", "display_name": "Toy"]])
  }

  /// Cells covering streams, state, images (one changed), updates, expected errors, a timeout.
  private func mixedNotebook() -> Notebook {
    toyNotebook([
      .code(
        "print hello\nwarn careful",
        outputs: [Saved.stdout("hello\n"), .stream(name: "stderr", text: "careful\n")]),
      .code("set tabby"),
      .code("get", outputs: [Saved.result("tabby")]),
      .code("image 12 8 50", outputs: [Saved.image(12, 8, shade: 50)]),
      .code("image 12 8 50 4", outputs: [Saved.image(12, 8, shade: 50)]),
      .code(
        "display 0% p\nupdate 100% p",
        outputs: [.display(MIMEBundle(data: ["text/plain": .text("100%")]))]),
      .code(
        "fail UnknownLayer no 'blok14'", outputs: [Saved.error("UnknownLayer", "no 'blok14'")],
        tags: ["raises-exception"]),
      .code("sleep 20000"),
      .code("time 3", outputs: [Saved.stdout("forward pass took 812 ms\n")]),
    ])
  }

  private let expectedVerdicts = [
    "cell 1 [print hello]: passed", "cell 2 [set tabby]: passed", "cell 3 [get]: passed",
    "cell 4 [image 12 8 50]: passed",
    "cell 5 [image 12 8 50 4]: failed (output 1 (image/png): 16.7% of pixels (16 of 96) differ "
      + "by more than 8/255 (at most 255/255); allowed 1.0%)",
    "cell 6 [display 0% p]: passed",
    "cell 7 [fail UnknownLayer no 'blok14']: expected failure seen (UnknownLayer)",
    "cell 8 [sleep 20000]: failed (timed out after 0.3 s and was interrupted)",
    "cell 9 [time 3]: passed",
  ]

  func testReplayThroughARunningKernelMatchesInProcessVerdictsAndShutsItDown() throws {
    let kernel = try ServedKernel(
      connection: ConnectionInfo(ip: "127.0.0.1", key: UUID().uuidString))
    let connectionFile = scratch.path("kernel.json")
    try JSONWire.encoder.encode(kernel.server.connection).write(
      to: URL(fileURLWithPath: connectionFile))
    let path = try scratch.write("mixed.ipynb", mixedNotebook())
    var options = ReplayOptions(
      kernel: .connectionFile(connectionFile), language: "toy", write: true,
      writeDirectory: scratch.path("out"), timeout: .milliseconds(300),
      artifactsDirectory: scratch.path("artifacts"))
    let start = ContinuousClock.now
    let result = replay([path], options: options)
    let elapsed = ContinuousClock.now - start
    XCTAssertEqual(result.lines.filter { $0.hasPrefix("cell") }, expectedVerdicts)
    XCTAssertEqual(result.lines.last, "7 passed, 2 failed")
    XCTAssertEqual(result.code, 1)
    XCTAssertTrue(
      FileManager.default.fileExists(atPath: scratch.path("artifacts/mixed.cell5.diff.png")))
    XCTAssertEqual(
      kernel.finished.wait(timeout: .now() + 5), .success, "shutdown_request stopped it")
    print("kernel replay of 9 cells (one 0.3 s timeout): \(elapsed)")

    // The written notebook carries the kernel's counts and language_info.
    let written = try Notebook(contentsOfFile: scratch.path("out/mixed.ipynb"))
    XCTAssertEqual(written.cells.map(\.executionCount), Array(1...9))
    XCTAssertEqual(written.metadata["language_info"]?["name"], "toy")
    XCTAssertEqual(written.metadata["kernelspec"]?["name"], "toy")
    XCTAssertEqual(written.cells[2].outputs, [Saved.result("tabby", count: 3)])

    // The same notebook in-process gives the same verdicts.
    options.kernel = nil
    options.write = false
    let local = replay([path], options: options)
    XCTAssertEqual(local.lines.filter { $0.hasPrefix("cell") }, expectedVerdicts)
  }

  func testKernelCommandGetsAFreshConnectionFileAndIsStoppedAtTheEnd() throws {
    // The "kernel" command copies its connection file where the test can see it, then waits
    // until the test's in-process server (bound to those ports) has shut down.
    let copy = scratch.path("seen.json")
    let script = #"cp "$0" "$1"; while [ ! -e "$1.done" ]; do sleep 0.05; done"#
    let served = Mutex<ServedKernel?>(nil)
    let starter = Thread {
      while !FileManager.default.fileExists(atPath: copy) { usleep(10_000) }
      usleep(50_000)
      guard let info = try? ConnectionInfo(contentsOf: copy),
        let kernel = try? ServedKernel(connection: info)
      else { return }
      served.withLock { $0 = kernel }
      kernel.finished.wait()
      _ = FileManager.default.createFile(atPath: copy + ".done", contents: nil)
    }
    starter.start()
    let path = try scratch.write(
      "one.ipynb", toyNotebook([.code("print hi", outputs: [Saved.stdout("hi\n")])]))
    let options = ReplayOptions(
      kernel: .command(["sh", "-c", script, "{connection_file}", copy]), language: "toy")
    let result = replay([path], options: options)
    XCTAssertEqual(
      result.lines.suffix(2), ["cell 1 [print hi]: passed", "1 passed, 0 failed"], result.text)
    let info = try ConnectionInfo(contentsOf: copy)
    XCTAssertEqual(info.key.count, 36, "a random key")
    let ports = [info.shellPort, info.iopubPort, info.stdinPort, info.controlPort, info.hbPort]
    XCTAssertEqual(Set(ports).count, 5)
    XCTAssertFalse(ports.contains(0))
    XCTAssertNotNil(served.withLock { $0 })
    XCTAssertTrue(FileManager.default.fileExists(atPath: copy + ".done"), "the server shut down")
  }

  func testKernelCommandThatDiesAndWrongKernelLanguageGiveClearErrors() throws {
    let path = try scratch.write("one.ipynb", toyNotebook([.code("print hi")]))
    let dead = replay(
      [path], options: ReplayOptions(kernel: .command(["sh", "-c", "exit 3"]), language: "toy"))
    XCTAssertEqual(
      dead.lines.suffix(2),
      [
        "error: kernel: the kernel command exited with status 3 before answering",
        "0 passed, 1 failed",
      ])

    let kernel = try ServedKernel(connection: ConnectionInfo(ip: "127.0.0.1", key: "k"))
    let connectionFile = scratch.path("kernel.json")
    try JSONWire.encoder.encode(kernel.server.connection).write(
      to: URL(fileURLWithPath: connectionFile))
    let glimpse = try scratch.write("g.ipynb", glimpseNotebook([.code("print hi")]))
    let wrong = replay([glimpse], options: ReplayOptions(kernel: .connectionFile(connectionFile)))
    XCTAssertEqual(
      wrong.lines.suffix(2),
      [
        "error: kernel: the kernel runs 'toy', but this replays 'glimpse' notebooks",
        "0 passed, 1 failed",
      ])
    XCTAssertEqual(kernel.finished.wait(timeout: .now() + 5), .success)
  }

  func testAKernelThatStopsAnsweringHeartbeatsMidCellIsAnError() throws {
    let kernel = try ServedKernel(connection: ConnectionInfo(ip: "127.0.0.1", key: "k"))
    let runner = try KernelRunner(connection: kernel.server.connection)
    runner.heartbeatQuiet = .milliseconds(300)
    runner.heartbeatTimeout = .milliseconds(200)
    let transport = kernel.server.transport
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { transport.close() }
    let start = ContinuousClock.now
    XCTAssertThrowsError(try runner.run("sleep 3000", cellNumber: 4, timeout: nil)) { error in
      XCTAssertEqual(
        "\(error)", "kernel: the kernel stopped answering heartbeats during cell 4")
    }
    XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
  }
}
