// A unified diff of two texts by lines (the `diff -u` layout), for readable replay failures.

/// Line-by-line differences between an expected and an actual text.
public enum TextDiff {
  /// One line and whether a newline ended it (the last line of a text may lack one).
  struct Line: Equatable {
    var text: Substring
    var terminated: Bool
  }

  enum Edit: Equatable {
    case same(Line), removed(Line), added(Line)
  }

  /// Lines of `---`/`+++` headers and `@@` hunks with `context` unchanged lines around changes;
  /// empty when the texts are equal.
  public static func unified(
    expected: String, actual: String, context: Int = 3,
    labels: (String, String) = ("expected", "actual")
  ) -> [String] {
    guard expected != actual else { return [] }
    let edits = edits(lines(of: expected), lines(of: actual))
    var out = ["--- \(labels.0)", "+++ \(labels.1)"]
    for hunk in hunks(edits, context: context) {
      out.append(header(for: hunk, in: edits))
      for edit in edits[hunk] {
        switch edit {
        case .same(let line): out += render(" ", line)
        case .removed(let line): out += render("-", line)
        case .added(let line): out += render("+", line)
        }
      }
    }
    return out
  }

  static func lines(of text: String) -> [Line] {
    var parts = text.split(separator: "\n", omittingEmptySubsequences: false)
    let terminated = parts.last == ""
    if terminated { parts.removeLast() }
    return parts.enumerated().map { n, part in
      Line(text: part, terminated: n < parts.count - 1 || terminated)
    }
  }

  private static func render(_ mark: String, _ line: Line) -> [String] {
    let shown = mark + line.text
    return line.terminated ? [shown] : [shown, "\\ No newline at end of file"]
  }

  /// A shortest edit script: common prefix and suffix trimmed, then a longest common
  /// subsequence over the rest; past ~4M cells of table it gives up minimality and shows the
  /// middle as removed-then-added, which is still a correct diff.
  static func edits(_ a: [Line], _ b: [Line]) -> [Edit] {
    var prefix = 0
    while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < a.count - prefix, suffix < b.count - prefix,
      a[a.count - 1 - suffix] == b[b.count - 1 - suffix]
    {
      suffix += 1
    }
    let x = Array(a[prefix..<(a.count - suffix)])
    let y = Array(b[prefix..<(b.count - suffix)])
    var middle: [Edit]
    if x.count * y.count > 4_000_000 {
      middle = x.map(Edit.removed) + y.map(Edit.added)
    } else {
      middle = lcsEdits(x, y)
    }
    return a[..<prefix].map(Edit.same) + middle + a[(a.count - suffix)...].map(Edit.same)
  }

  private static func lcsEdits(_ x: [Line], _ y: [Line]) -> [Edit] {
    let n = x.count
    let m = y.count
    // length[i][j]: LCS length of x[i...] and y[j...], flattened row-major.
    var length = [Int](repeating: 0, count: (n + 1) * (m + 1))
    for i in stride(from: n - 1, through: 0, by: -1) {
      for j in stride(from: m - 1, through: 0, by: -1) {
        length[i * (m + 1) + j] =
          x[i] == y[j]
          ? length[(i + 1) * (m + 1) + j + 1] + 1
          : max(length[(i + 1) * (m + 1) + j], length[i * (m + 1) + j + 1])
      }
    }
    var out: [Edit] = []
    var i = 0
    var j = 0
    while i < n || j < m {
      if i < n, j < m, x[i] == y[j] {
        out.append(.same(x[i]))
        i += 1
        j += 1
      } else if i < n, j == m || length[(i + 1) * (m + 1) + j] >= length[i * (m + 1) + j + 1] {
        // Removals first on a tie, as diff -u prints them.
        out.append(.removed(x[i]))
        i += 1
      } else {
        out.append(.added(y[j]))
        j += 1
      }
    }
    return out
  }

  /// Ranges of `edits` to print: each change with `context` lines around, nearby ones merged.
  private static func hunks(_ edits: [Edit], context: Int) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    for (n, edit) in edits.enumerated() {
      if case .same = edit { continue }
      let range = max(0, n - context)..<min(edits.count, n + context + 1)
      if let last = ranges.last, range.lowerBound <= last.upperBound {
        ranges[ranges.count - 1] = last.lowerBound..<range.upperBound
      } else {
        ranges.append(range)
      }
    }
    return ranges
  }

  /// `@@ -start,count +start,count @@` for a hunk (1-based line numbers).
  private static func header(for hunk: Range<Int>, in edits: [Edit]) -> String {
    var oldStart = 1
    var newStart = 1
    for edit in edits[..<hunk.lowerBound] {
      if case .added = edit {} else { oldStart += 1 }
      if case .removed = edit {} else { newStart += 1 }
    }
    var oldCount = 0
    var newCount = 0
    for edit in edits[hunk] {
      if case .added = edit {} else { oldCount += 1 }
      if case .removed = edit {} else { newCount += 1 }
    }
    // diff -u names the line before an empty range.
    if oldCount == 0 { oldStart -= 1 }
    if newCount == 0 { newStart -= 1 }
    return "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@"
  }
}
