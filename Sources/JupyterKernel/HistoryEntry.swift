// In-memory history for history_request (messaging spec, "History"): range, tail, search.
import JupyterProtocol

/// One stored cell: its execution count, its source, and its result text if it had one.
struct HistoryEntry: Sendable, Equatable {
  /// This kernel's history is one session, reported as session number 1.
  static let session = 1

  var line: Int
  var input: String
  var output: String?

  /// `[session, line, input]`, or `[session, line, [input, output]]` when outputs are asked for.
  func json(output withOutput: Bool) -> JSONValue {
    let source: JSONValue = .string(input)
    let item: JSONValue =
      withOutput ? .array([source, output.map(JSONValue.string) ?? .null]) : source
    return .array([.int(Self.session), .int(line), item])
  }

  /// The entries a request selects, oldest first.
  static func select(_ query: HistoryRequest, from all: [HistoryEntry]) throws -> [HistoryEntry] {
    switch query.accessType {
    case "tail":
      return Array(all.suffix(max(query.n ?? 10, 0)))
    case "range":
      // Session 0 (or absent) is the current session, as in IPython; others hold nothing here.
      guard query.session == nil || query.session == 0 || query.session == session else {
        return []
      }
      let start = query.start ?? 1
      let stop = query.stop ?? Int.max
      return all.filter { $0.line >= start && $0.line < stop }
    case "search":
      var found = all.filter { glob(query.pattern ?? "*", matches: $0.input) }
      if query.unique ?? false {
        var seen = Set<String>()
        found = found.reversed().filter { seen.insert($0.input).inserted }.reversed()
      }
      if let n = query.n { found = Array(found.suffix(max(n, 0))) }
      return found
    default:
      throw BadRequest(reason: "history_request: unknown hist_access_type '\(query.accessType)'")
    }
  }

  /// Whether `text` matches a glob `pattern` with `*` (any run) and `?` (any one character).
  static func glob(_ pattern: String, matches text: String) -> Bool {
    let p = Array(pattern)
    let t = Array(text)
    var (pi, ti) = (0, 0)
    var star: (p: Int, t: Int)? = nil
    while ti < t.count {
      if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
        pi += 1
        ti += 1
      } else if pi < p.count, p[pi] == "*" {
        star = (pi, ti)
        pi += 1
      } else if let s = star {
        // Let the last star swallow one more character and retry.
        star = (s.p, s.t + 1)
        pi = s.p + 1
        ti = s.t + 1
      } else {
        return false
      }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
  }
}
