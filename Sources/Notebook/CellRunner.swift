// Something that runs a notebook's cells in order with shared state: an in-process
// `CellExecutor` (the Glimpse session) or a kernel over ZeroMQ.
import Dispatch
public import Interpreter
public import JupyterProtocol
import Synchronization

/// Runs cells one after another, keeping state between them, and reports their outputs.
public protocol CellRunner: AnyObject {
  /// Runs `source` as the cell at position `cellNumber` (1-based, counting every cell).
  ///
  /// A cell still running after `timeout` is interrupted and reported with `timedOut`.
  /// - Throws: `NotebookError.kernel` when the runner itself broke (a dead kernel); a cell
  ///   that fails is not an error here, it is a `CellRun` with `error` set.
  func run(_ source: String, cellNumber: Int, timeout: Duration?) throws -> CellRun
  /// Releases the runner (stops a kernel it owns); called once after the last cell.
  func finish()
  /// The kernel's `language_info`, when the runner knows it (a real kernel tells it).
  var languageInfo: JSONObject? { get }
}

extension CellRunner {
  /// Unknown by default.
  public var languageInfo: JSONObject? { nil }
  /// The language the runner reports (`language_info.name`), nil when unknown.
  public var languageName: String? { languageInfo?["name"]?.stringValue }
}

/// What running one cell produced.
public struct CellRun: Sendable, Equatable {
  /// The error a failed cell raised.
  public struct Failure: Sendable, Equatable {
    /// The error's short name (`ename`).
    public var name: String
    /// Its one-line message (`evalue`).
    public var message: String

    /// A failure from its name and message.
    public init(name: String, message: String) {
      self.name = name
      self.message = message
    }
  }

  /// The outputs, folded as a notebook saves them (an error output included).
  public var outputs: [CellOutput]
  /// The error, when the cell failed (or was interrupted).
  public var failure: Failure?
  /// The execution count the cell got, nil when the runner gives none.
  public var executionCount: Int?
  /// Whether the cell ran past its timeout and was interrupted.
  public var timedOut: Bool
  /// Wall-clock time of the cell.
  public var duration: Duration

  /// A run from its parts.
  public init(
    outputs: [CellOutput], failure: Failure? = nil, executionCount: Int? = nil,
    timedOut: Bool = false, duration: Duration = .zero
  ) {
    self.outputs = outputs
    self.failure = failure
    self.executionCount = executionCount
    self.timedOut = timedOut
    self.duration = duration
  }
}

/// Runs cells through an in-process `CellExecutor`, numbering them like a kernel would.
public final class InProcessRunner: CellRunner {
  let executor: any CellExecutor
  private var executionCount = 0

  /// A runner over `executor` (a fresh session per notebook, as a fresh kernel would be).
  public init(executor: any CellExecutor) {
    self.executor = executor
  }

  public func run(_ source: String, cellNumber: Int, timeout: Duration?) throws -> CellRun {
    executionCount += 1
    let sink = CollectingSink()
    // NB: `CellExecutor.interrupt()` is documented thread-safe, which is what makes handing the
    // executor to the watchdog's thread sound although the protocol is not `Sendable`.
    let target = UncheckedSendable(value: executor)
    let watchdog = timeout.map { Watchdog(after: $0) { target.value.interrupt() } }
    let start = ContinuousClock.now
    let outcome = executor.execute(source, cellNumber: cellNumber, sink: sink)
    let duration = ContinuousClock.now - start
    watchdog?.cancel()
    var folder = OutputFolder(executionCount: executionCount)
    for item in sink.items { folder.add(item) }
    var failure: CellRun.Failure?
    switch outcome {
    case .ok, .exit:
      break
    case .error(let name, let message, let diagnostic):
      failure = .init(name: name, message: message)
      folder.addError(name: name, message: message, traceback: diagnostic)
    case .interrupted:
      failure = .init(name: "Interrupted", message: "interrupted")
      folder.addError(name: "Interrupted", message: "interrupted", traceback: ["Interrupted"])
    }
    return CellRun(
      outputs: folder.outputs, failure: failure, executionCount: executionCount,
      timedOut: watchdog?.hasFired ?? false, duration: duration)
  }

  /// Nothing to release: the executor belongs to the caller.
  public func finish() {}
}

/// Collects output items from any thread, in emission order.
final class CollectingSink: OutputSink {
  private let collected = Mutex<[OutputItem]>([])
  var items: [OutputItem] { collected.withLock { $0 } }
  func emit(_ item: OutputItem) { collected.withLock { $0.append(item) } }
}

/// Calls `interrupt` once after a delay, unless cancelled first; never after `cancel()` returns.
final class Watchdog: Sendable {
  private struct State {
    var fired = false
    var cancelled = false
  }
  private let state = Mutex(State())

  init(after delay: Duration, interrupt: @escaping @Sendable () -> Void) {
    DispatchQueue.global().asyncAfter(deadline: .now() + delay.seconds) { [self] in
      state.withLock { state in
        guard !state.cancelled else { return }
        state.fired = true
        interrupt()
      }
    }
  }

  /// Whether the delay passed before `cancel()`.
  var hasFired: Bool { state.withLock { $0.fired } }

  func cancel() { state.withLock { $0.cancelled = true } }
}

/// A value handed across threads under a guarantee the compiler cannot check (see the call site).
struct UncheckedSendable<Value>: @unchecked Sendable {
  var value: Value
}

extension Duration {
  /// The duration in seconds, as a double.
  var seconds: Double {
    let (s, attoseconds) = components
    return Double(s) + Double(attoseconds) * 1e-18
  }

  /// `0.3 s`, `5 s`: seconds to the millisecond, without float noise.
  var shortText: String {
    let milliseconds = Int((seconds * 1000).rounded())
    if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
    return "\(Double(milliseconds) / 1000) s"
  }
}
