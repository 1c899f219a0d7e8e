// What a running cell may do: publish outputs on IOPub and watch for interruption.
public import JupyterProtocol
import Synchronization

/// The output channel and state of one execute_request, handed to `KernelLanguage.execute`.
///
/// Outputs are published in call order, before the kernel sends execute_reply. A silent request
/// publishes nothing (spec: "silent ... will not broadcast output on the IOPUB channel").
/// The context is `Sendable`: a language may publish from worker threads while the cell runs.
public final class ExecutionContext: Sendable {
  /// The execution count of this cell (for a silent or unstored cell: the last stored count).
  public let executionCount: Int
  /// Whether the request asked for no outputs at all.
  public let isSilent: Bool
  /// Whether this cell enters the history and advances the execution count.
  public let storesHistory: Bool
  /// Whether the front end accepts input_request on stdin for this cell.
  public let allowsStdin: Bool

  let publishMessage: @Sendable (_ type: String, _ content: JSONObject) -> Void
  let interruptFlag: InterruptFlag
  let lastResult = Mutex<String?>(nil)

  init(
    executionCount: Int, isSilent: Bool, storesHistory: Bool, allowsStdin: Bool,
    interruptFlag: InterruptFlag,
    publish: @escaping @Sendable (_ type: String, _ content: JSONObject) -> Void
  ) {
    self.executionCount = executionCount
    self.isSilent = isSilent
    self.storesHistory = storesHistory
    self.allowsStdin = allowsStdin
    self.interruptFlag = interruptFlag
    self.publishMessage = publish
  }

  /// Whether an interrupt_request arrived since this cell started; check it between steps.
  public var isInterrupted: Bool { interruptFlag.isRaised }

  /// Shows a MIME bundle (`display_data`); a `displayID` lets `updateDisplay` replace it later.
  ///
  /// NB: metadata is always an object: JupyterLab drops image outputs whose metadata is missing.
  public func display(_ data: MimeBundle, metadata: JSONObject = [:], displayID: String? = nil) {
    var content: JSONObject = ["data": .object(data), "metadata": .object(metadata)]
    if let displayID { content["transient"] = ["display_id": .string(displayID)] }
    publish("display_data", content)
  }

  /// Replaces every output shown earlier with `displayID` (`update_display_data`).
  public func updateDisplay(_ data: MimeBundle, metadata: JSONObject = [:], displayID: String) {
    publish(
      "update_display_data",
      [
        "data": .object(data), "metadata": .object(metadata),
        "transient": ["display_id": .string(displayID)],
      ])
  }

  /// Publishes the cell's value (`execute_result`), numbered with this cell's execution count.
  public func result(_ data: MimeBundle, metadata: JSONObject = [:]) {
    if let text = data["text/plain"]?.stringValue { lastResult.withLock { $0 = text } }
    publish(
      "execute_result",
      [
        "execution_count": .int(executionCount), "data": .object(data),
        "metadata": .object(metadata),
      ])
  }

  /// Writes text to the cell's stdout or stderr (`stream`).
  public func stream(_ text: String, to stream: OutputStream = .stdout) {
    publish("stream", ["name": .string(stream.rawValue), "text": .string(text)])
  }

  /// Clears the cell's outputs (`clear_output`); `wait` defers until the next output arrives.
  public func clearOutput(wait: Bool = false) {
    publish("clear_output", ["wait": .bool(wait)])
  }

  func publish(_ type: String, _ content: JSONObject) {
    guard !isSilent else { return }
    publishMessage(type, content)
  }
}

/// The two text streams of a cell.
public enum OutputStream: String, Sendable {
  /// Standard output.
  case stdout
  /// Standard error.
  case stderr
}

/// A flag raised by interrupt_request and lowered when the next cell starts.
final class InterruptFlag: Sendable {
  private let raised = Atomic<Bool>(false)
  var isRaised: Bool { raised.load(ordering: .acquiring) }
  func raise() { raised.store(true, ordering: .releasing) }
  func lower() { raised.store(false, ordering: .releasing) }
}
