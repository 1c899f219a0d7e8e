// Folding what a running cell emits into the outputs a notebook saves, as a Jupyter front end
// shows them: updates replace earlier displays, consecutive streams merge, clear_output clears.
public import Interpreter

/// Builds a cell's saved outputs from its output items, in order.
public struct OutputFolder: Sendable {
  /// The outputs so far.
  public private(set) var outputs: [CellOutput] = []
  /// The count stamped on `execute_result`.
  public let executionCount: Int?
  /// Where each display id was shown in `outputs` (a display id may be shown more than once).
  private var displays: [String: [Int]] = [:]
  /// A `clear_output(wait: true)` waiting for the next output.
  private var clearPending = false

  /// An empty folder for a cell numbered `executionCount`.
  public init(executionCount: Int?) {
    self.executionCount = executionCount
  }

  /// Adds one item: display -> display_data, update -> replaces the displays with its id,
  /// result -> execute_result, stream -> stream (appended to a directly preceding same stream).
  public mutating func add(_ item: OutputItem) {
    if case .updateDisplay(let bundle, let id) = item {
      // An update changes what is shown and never counts as a new output for clear(wait:).
      for index in displays[id] ?? [] { outputs[index] = .display(bundle) }
      return
    }
    flushPendingClear()
    switch item {
    case .display(let bundle, let id):
      if let id { displays[id, default: []].append(outputs.count) }
      outputs.append(.display(bundle))
    case .result(let bundle):
      outputs.append(.result(bundle, executionCount: executionCount))
    case .stream(let name, let text):
      if case .stream(let last, let earlier)? = outputs.last, last == name {
        outputs[outputs.count - 1] = .stream(name: name, text: earlier + text)
      } else {
        outputs.append(.stream(name: name, text: text))
      }
    case .updateDisplay:
      break
    }
  }

  /// Records the cell's error as the `error` output the kernel publishes.
  public mutating func addError(name: String, message: String, traceback: [String]) {
    flushPendingClear()
    outputs.append(.error(name: name, value: message, traceback: traceback))
  }

  /// `clear_output`: removes every output now, or (`wait`) just before the next one arrives.
  public mutating func clear(wait: Bool) {
    if wait {
      clearPending = true
    } else {
      outputs.removeAll()
      displays.removeAll()
    }
  }

  private mutating func flushPendingClear() {
    guard clearPending else { return }
    clearPending = false
    clear(wait: false)
  }

  /// Merges directly consecutive streams of the same name (saved notebooks may keep them apart).
  public static func mergingStreams(_ outputs: [CellOutput]) -> [CellOutput] {
    var merged: [CellOutput] = []
    for output in outputs {
      if case .stream(let name, let text) = output,
        case .stream(let last, let earlier)? = merged.last, last == name
      {
        merged[merged.count - 1] = .stream(name: name, text: earlier + text)
      } else {
        merged.append(output)
      }
    }
    return merged
  }
}
