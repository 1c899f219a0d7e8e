// Regex replacements applied to expected and actual text before comparing, so timings, paths
// and other run-to-run noise do not fail a replay (nbval's sanitizers, same file layout).
import Foundation
public import JupyterProtocol

/// One regex replacement; `replacement` may use `$1`-style group references.
public struct Sanitizer: @unchecked Sendable {
  /// The pattern as written (ICU regular expression syntax).
  public let pattern: String
  /// The replacement template.
  public let replacement: String
  // NB: NSRegularExpression is immutable after creation, so sharing it across threads is safe.
  let regex: NSRegularExpression

  /// A sanitizer; `source` names where it came from in errors.
  ///
  /// - Throws: `NotebookError.badSanitizer` for a pattern that does not compile.
  public init(pattern: String, replacement: String, source: String = "sanitizers")
    throws(NotebookError)
  {
    do {
      regex = try NSRegularExpression(pattern: pattern)
    } catch {
      throw NotebookError.badSanitizer(
        source: source, reason: "pattern '\(pattern)' is not a valid regular expression")
    }
    self.pattern = pattern
    self.replacement = replacement
  }

  /// `text` with every match replaced.
  public func apply(_ text: String) -> String {
    let range = NSRange(text.startIndex..., in: text)
    return regex.stringByReplacingMatches(
      in: text, range: range, withTemplate: replacement)
  }

  /// Applies `sanitizers` in order.
  public static func apply(_ sanitizers: [Sanitizer], to text: String) -> String {
    sanitizers.reduce(text) { $1.apply($0) }
  }

  /// Durations (`123 ms`, `1.23 s`, `4µs`) become `<duration>`; absolute paths under the
  /// temporary directory become `<tmp>`.
  public static var builtIn: [Sanitizer] {
    let units = "(?:ns|µs|us|ms|s|sec|min)"
    var list = [
      try! Sanitizer(
        pattern: #"(?<![\w.])\d+(?:\.\d+)?\s?"# + units + #"\b"#, replacement: "<duration>")
    ]
    var roots = ["/tmp/"]
    let temporary = NSTemporaryDirectory()
    if !roots.contains(temporary), temporary.hasPrefix("/") { roots.append(temporary) }
    for root in roots {
      let prefix = root.hasSuffix("/") ? root : root + "/"
      list.append(
        try! Sanitizer(
          pattern: NSRegularExpression.escapedPattern(for: prefix) + #"[^\s"'<>]*"#,
          replacement: "<tmp>"))
    }
    return list
  }

  /// Reads a sanitizer file: JSON (`[{"regex": ..., "replace": ...}]`, or an object with a
  /// `sanitizers` list of those) or nbval's INI layout (`[name]`, `regex: ...`, `replace: ...`).
  ///
  /// - Throws: `NotebookError.badSanitizer` naming the file and the cause.
  public static func load(file path: String) throws(NotebookError) -> [Sanitizer] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw NotebookError.badSanitizer(source: path, reason: "cannot read the file")
    }
    if let json = try? JSONWire.decoder.decode(JSONValue.self, from: data) {
      let list = json.arrayValue ?? json["sanitizers"]?.arrayValue
      guard let list else {
        throw NotebookError.badSanitizer(
          source: path, reason: "expected a list of {\"regex\", \"replace\"} objects")
      }
      return try fromJSON(list, source: path)
    }
    return try fromINI(String(decoding: data, as: UTF8.self), source: path)
  }

  /// Sanitizers from a JSON list of `{"regex": ..., "replace": ...}` objects.
  public static func fromJSON(_ list: [JSONValue], source: String) throws(NotebookError)
    -> [Sanitizer]
  {
    var out: [Sanitizer] = []
    for (n, entry) in list.enumerated() {
      guard let pattern = entry["regex"]?.stringValue else {
        throw NotebookError.badSanitizer(source: source, reason: "entry \(n) has no \"regex\"")
      }
      let replacement = entry["replace"]?.stringValue ?? ""
      out.append(try Sanitizer(pattern: pattern, replacement: replacement, source: source))
    }
    return out
  }

  /// Sanitizers from nbval's layout: sections each with a `regex:` and a `replace:` line.
  static func fromINI(_ text: String, source: String) throws(NotebookError) -> [Sanitizer] {
    var out: [Sanitizer] = []
    var section: String?
    var pattern: String?
    var replacement = ""
    func flush() throws(NotebookError) {
      defer { (pattern, replacement) = (nil, "") }
      guard let section else { return }
      guard let pattern else {
        throw NotebookError.badSanitizer(
          source: source, reason: "section [\(section)] has no 'regex:' line")
      }
      out.append(try Sanitizer(pattern: pattern, replacement: replacement, source: source))
    }
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("[") && line.hasSuffix("]") {
        try flush()
        section = String(line.dropFirst().dropLast())
      } else if let value = Self.value(of: "regex", in: line) {
        pattern = value
      } else if let value = Self.value(of: "replace", in: line) {
        replacement = value
      } else {
        throw NotebookError.badSanitizer(source: source, reason: "cannot read line '\(line)'")
      }
    }
    try flush()
    guard !out.isEmpty else {
      throw NotebookError.badSanitizer(source: source, reason: "no sanitizers found")
    }
    return out
  }

  /// The value of `key: value` or `key = value`, trimmed; nil for another key.
  private static func value(of key: String, in line: String) -> String? {
    guard line.hasPrefix(key) else { return nil }
    let rest = line.dropFirst(key.count).drop { $0 == " " }
    guard let separator = rest.first, separator == ":" || separator == "=" else { return nil }
    return rest.dropFirst().trimmingCharacters(in: .whitespaces)
  }
}
