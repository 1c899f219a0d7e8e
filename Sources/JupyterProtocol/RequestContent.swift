// Typed contents of the requests a kernel serves (messaging spec, "Messages on the shell
// (ROUTER/DEALER) channel" and "... control channel"). Optional fields take the spec's defaults.

/// Content of execute_request.
public struct ExecuteRequest: Sendable, Equatable, Codable {
  /// The source to run.
  public var code: String
  /// Run as quietly as possible: no outputs, no execute_input, count unchanged.
  public var silent: Bool
  /// Record in history and advance the execution count (forced false when silent).
  public var storeHistory: Bool
  /// Expressions to evaluate after the code (Glimpse answers `{}`).
  public var userExpressions: JSONObject
  /// Whether the front end accepts input_request.
  public var allowStdin: Bool
  /// Abort queued execute requests after an error.
  public var stopOnError: Bool

  enum CodingKeys: String, CodingKey {
    case code, silent
    case storeHistory = "store_history"
    case userExpressions = "user_expressions"
    case allowStdin = "allow_stdin"
    case stopOnError = "stop_on_error"
  }

  /// An execute request with the spec's defaults.
  public init(
    code: String, silent: Bool = false, storeHistory: Bool = true,
    userExpressions: JSONObject = [:], allowStdin: Bool = true, stopOnError: Bool = true
  ) {
    self.code = code
    self.silent = silent
    self.storeHistory = storeHistory
    self.userExpressions = userExpressions
    self.allowStdin = allowStdin
    self.stopOnError = stopOnError
  }

  /// Decodes; only `code` is required.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    code = try c.decode(String.self, forKey: .code)
    silent = try c.decodeIfPresent(Bool.self, forKey: .silent) ?? false
    storeHistory = try c.decodeIfPresent(Bool.self, forKey: .storeHistory) ?? !silent
    userExpressions = try c.decodeIfPresent(JSONObject.self, forKey: .userExpressions) ?? [:]
    allowStdin = try c.decodeIfPresent(Bool.self, forKey: .allowStdin) ?? true
    stopOnError = try c.decodeIfPresent(Bool.self, forKey: .stopOnError) ?? true
  }
}

/// Content of complete_request and inspect_request: code and a cursor in code points.
public struct CodeAtCursor: Sendable, Equatable, Codable {
  /// The whole cell.
  public var code: String
  /// Cursor offset in Unicode code points; absent means the end of the code.
  public var cursorPos: Int?
  /// inspect_request only: 0 for a summary, 1 for more detail.
  public var detailLevel: Int?

  enum CodingKeys: String, CodingKey {
    case code
    case cursorPos = "cursor_pos"
    case detailLevel = "detail_level"
  }

  /// A code-and-cursor content.
  public init(code: String, cursorPos: Int?, detailLevel: Int? = nil) {
    self.code = code
    self.cursorPos = cursorPos
    self.detailLevel = detailLevel
  }

  /// The cursor clamped to `0...code.unicodeScalars.count` (the end when absent).
  public var clampedCursor: Int {
    let length = code.unicodeScalars.count
    return min(max(cursorPos ?? length, 0), length)
  }
}

/// Content of history_request.
public struct HistoryRequest: Sendable, Equatable, Codable {
  /// Return (input, output) pairs instead of inputs.
  public var output: Bool
  /// Return the raw input (Glimpse does not transform input, so raw and not are the same).
  public var raw: Bool
  /// `range`, `tail` or `search`.
  public var accessType: String
  /// range: the session number (0 or absent: the current one; negative: relative).
  public var session: Int?
  /// range: the first line.
  public var start: Int?
  /// range: one past the last line.
  public var stop: Int?
  /// tail and search: how many entries at most (the latest).
  public var n: Int?
  /// search: a glob pattern (`*`, `?`).
  public var pattern: String?
  /// search: drop repeated inputs, keeping the latest.
  public var unique: Bool?

  enum CodingKeys: String, CodingKey {
    case output, raw, session, start, stop, n, pattern, unique
    case accessType = "hist_access_type"
  }

  /// A history request.
  public init(
    output: Bool = false, raw: Bool = true, accessType: String, session: Int? = nil,
    start: Int? = nil, stop: Int? = nil, n: Int? = nil, pattern: String? = nil,
    unique: Bool? = nil
  ) {
    self.output = output
    self.raw = raw
    self.accessType = accessType
    self.session = session
    self.start = start
    self.stop = stop
    self.n = n
    self.pattern = pattern
    self.unique = unique
  }

  /// Decodes; `output` and `raw` default to false and true.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    output = try c.decodeIfPresent(Bool.self, forKey: .output) ?? false
    raw = try c.decodeIfPresent(Bool.self, forKey: .raw) ?? true
    accessType = try c.decode(String.self, forKey: .accessType)
    session = try c.decodeIfPresent(Int.self, forKey: .session)
    start = try c.decodeIfPresent(Int.self, forKey: .start)
    stop = try c.decodeIfPresent(Int.self, forKey: .stop)
    n = try c.decodeIfPresent(Int.self, forKey: .n)
    pattern = try c.decodeIfPresent(String.self, forKey: .pattern)
    unique = try c.decodeIfPresent(Bool.self, forKey: .unique)
  }
}

/// Content of comm_open.
public struct CommOpen: Sendable, Equatable, Codable {
  /// The comm's id, chosen by the opener.
  public var commID: String
  /// The comm target the opener asks for.
  public var targetName: String

  enum CodingKeys: String, CodingKey {
    case commID = "comm_id"
    case targetName = "target_name"
  }
}
