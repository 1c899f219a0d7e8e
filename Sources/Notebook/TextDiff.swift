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

  /// A shortest edit script: common prefix and suffix trimmed, then Myers' O((N+M)·D) greedy
  /// algorithm (E. Myers, "An O(ND) Difference Algorithm and Its Variations", 1986). Past
  /// `maxEdits` differences it gives up minimality and shows the middle as removed-then-added,
  /// which is still a correct diff.
  static func edits(_ a: [Line], _ b: [Line], maxEdits: Int = 1000) -> [Edit] {
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
    let middle = myers(x, y, maxEdits: maxEdits) ?? (x.map(Edit.removed) + y.map(Edit.added))
    return a[..<prefix].map(Edit.same) + middle + a[(a.count - suffix)...].map(Edit.same)
  }

  /// Myers' forward search; `frontier[k]` is the furthest x reached on diagonal k = x - y.
  /// Each round's frontier (diagonals -d-1...d+1) is kept to walk the path back.
  private static func myers(_ x: [Line], _ y: [Line], maxEdits: Int) -> [Edit]? {
    let n = x.count
    let m = y.count
    let limit = min(n + m, maxEdits)
    let offset = limit + 1
    var frontier = [Int](repeating: 0, count: 2 * limit + 3)
    var trace: [[Int]] = []
    for d in 0...limit {
      trace.append(Array(frontier[(offset - d - 1)...(offset + d + 1)]))
      for k in stride(from: -d, through: d, by: 2) {
        let down = k == -d || (k != d && frontier[offset + k - 1] < frontier[offset + k + 1])
        var i = down ? frontier[offset + k + 1] : frontier[offset + k - 1] + 1
        var j = i - k
        while i < n, j < m, x[i] == y[j] {
          i += 1
          j += 1
        }
        frontier[offset + k] = i
        if i >= n && j >= m { return walkBack(trace, x, y) }
      }
    }
    return nil
  }

  /// The edit script from the kept frontiers, from the end back to the start.
  private static func walkBack(_ trace: [[Int]], _ x: [Line], _ y: [Line]) -> [Edit] {
    var out: [Edit] = []
    var i = x.count
    var j = y.count
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
      let v = trace[d]
      func at(_ k: Int) -> Int { v[k + d + 1] }  // trace[d] holds diagonals -d-1...d+1
      let k = i - j
      let previousK = k == -d || (k != d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1
      let previousI = at(previousK)
      let previousJ = previousI - previousK
      while i > previousI && j > previousJ {
        out.append(.same(x[i - 1]))
        i -= 1
        j -= 1
      }
      if d > 0 {
        out.append(i == previousI ? .added(y[j - 1]) : .removed(x[i - 1]))
      }
      (i, j) = (previousI, previousJ)
    }
    return out.reversed()
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
