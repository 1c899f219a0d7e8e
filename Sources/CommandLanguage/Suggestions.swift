// "Did you mean": close names by prefix and edit distance.

/// Finds the names a user probably meant when a name matches nothing.
public enum Suggestions {
  /// Up to `limit` candidates close to `input`, best first, ignoring case.
  ///
  /// Candidates that start with the input come first (`grad` → gradcam), then those within a
  /// small edit distance of it (`ptach` → patch: one transposition), then those whose beginning
  /// is (`blok14` → block14_sepconv2_act). Distance is optimal string alignment: insertions,
  /// deletions, substitutions and swaps of neighbours cost 1. Ties keep the candidates' order.
  public static func closest(to input: String, among candidates: [String], limit: Int = 3)
    -> [String]
  {
    let typed = Array(input.lowercased().unicodeScalars)
    guard !typed.isEmpty else { return [] }
    let allowed = max(1, typed.count / 3)
    var ranked: [(tier: Int, distance: Int, index: Int)] = []
    for (index, candidate) in candidates.enumerated() {
      let name = Array(candidate.lowercased().unicodeScalars)
      if name == typed { continue }
      if name.starts(with: typed) {
        ranked.append((0, name.count - typed.count, index))
        continue
      }
      let whole = distance(typed, name)
      if whole <= allowed && whole < typed.count {
        ranked.append((1, whole, index))
        continue
      }
      let shortest = max(1, typed.count - 1)
      let longest = min(name.count, typed.count + 1)
      guard shortest <= longest else { continue }
      let head = (shortest...longest).map { distance(typed, Array(name.prefix($0))) }.min()!
      if head <= allowed && head < typed.count - 1 { ranked.append((2, head, index)) }
    }
    ranked.sort { ($0.tier, $0.distance, $0.index) < ($1.tier, $1.distance, $1.index) }
    return ranked.prefix(limit).map { candidates[$0.index] }
  }

  /// Optimal string alignment distance between two code point sequences.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    // Three rolling rows: the one before the previous is needed for transpositions.
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var row = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      row[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          row[j] = min(row[j], before[j - 2] + 1)
        }
      }
      (before, previous, row) = (previous, row, before)
    }
    return previous[b.count]
  }
}
