// JSON text exactly as Jupyter writes notebooks: Python's
// `json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False, separators=(",", ": "))`,
// and Python's `str.splitlines(keepends=True)` for multi-line strings.
import Interpreter
public import JupyterProtocol

/// Serialises JSON values the way nbformat does, so a written notebook diffs cleanly.
public enum JupyterJSON {
  /// `value` as text; `indent` nil gives the compact form (`{"a":1}` with sorted keys).
  public static func format(_ value: JSONValue, indent: Int? = 1) -> String {
    var out = ""
    write(value, indent: indent, depth: 0, to: &out)
    return out
  }

  private static func write(_ value: JSONValue, indent: Int?, depth: Int, to out: inout String) {
    switch value {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d): out += formatDouble(d)
    case .string(let s): writeString(s, to: &out)
    case .array(let items):
      guard !items.isEmpty else {
        out += "[]"
        return
      }
      out += "["
      for (n, item) in items.enumerated() {
        if n > 0 { out += "," }
        newline(indent, depth + 1, &out)
        write(item, indent: indent, depth: depth + 1, to: &out)
      }
      newline(indent, depth, &out)
      out += "]"
    case .object(let members):
      guard !members.isEmpty else {
        out += "{}"
        return
      }
      out += "{"
      for (n, key) in sortedKeys(members).enumerated() {
        if n > 0 { out += "," }
        newline(indent, depth + 1, &out)
        writeString(key, to: &out)
        out += indent == nil ? ":" : ": "
        write(members[key]!, indent: indent, depth: depth + 1, to: &out)
      }
      newline(indent, depth, &out)
      out += "}"
    }
  }

  /// Keys in code point order, as Python's `sort_keys` orders them.
  static func sortedKeys(_ object: JSONObject) -> [String] {
    object.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
  }

  private static func newline(_ indent: Int?, _ depth: Int, _ out: inout String) {
    guard let indent else { return }
    out += "\n"
    out += String(repeating: " ", count: indent * depth)
  }

  /// Shortest round-trip digits, integral values with `.0`: Python's float repr, except that
  /// Swift switches to exponents earlier for huge values (1e+15 where Python writes digits).
  private static func formatDouble(_ d: Double) -> String {
    guard d.isFinite else { return d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity") }
    return "\(d)"
  }

  /// A JSON string with `ensure_ascii=False` escaping (the Interpreter's, shared with tables).
  private static func writeString(_ s: String, to out: inout String) {
    out += jsonString(s)
  }

  /// Splits text into lines that keep their terminators, like Python's `splitlines(True)`.
  ///
  /// Joining the result gives back `text` exactly. Terminators: `\n`, `\r`, `\r\n`, `\v`, `\f`,
  /// `\x1c`-`\x1e`, `\x85`, U+2028, U+2029.
  public static func splitLines(_ text: String) -> [String] {
    var lines: [String] = []
    var current = String.UnicodeScalarView()
    let scalars = Array(text.unicodeScalars)
    var i = 0
    while i < scalars.count {
      let scalar = scalars[i]
      current.append(scalar)
      if scalar == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" {
        current.append(scalars[i + 1])
        i += 1
        lines.append(String(current))
        current = String.UnicodeScalarView()
      } else if isLineBreak(scalar) {
        lines.append(String(current))
        current = String.UnicodeScalarView()
      }
      i += 1
    }
    if !current.isEmpty { lines.append(String(current)) }
    return lines
  }

  private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029: true
    default: false
    }
  }
}
