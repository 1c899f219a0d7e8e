// The `predict` table as text (and later HTML and JSON for Jupyter).

/// A ranked-class table: rank, index, WordNet id, name, probability.
public struct PredictionTable: Sendable {
  public var rows: [RankedClass]

  public init(_ rows: [RankedClass]) { self.rows = rows }

  /// Fixed-width text with a header, probabilities to four decimals.
  public var text: String {
    let header = ["rank", "index", "wnid", "name", "probability"]
    let body = rows.map { row in
      [
        "\(row.rank)", "\(row.label.index)", row.label.wnid.isEmpty ? "-" : row.label.wnid, row.label.name,
        formatProbability(row.probability),
      ]
    }
    let widths = header.indices.map { column in
      ([header] + body).map { $0[column].count }.max() ?? 0
    }
    let rightAligned: Set<Int> = [0, 1, 4]
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { column, cell in
        let pad = String(repeating: " ", count: widths[column] - cell.count)
        return rightAligned.contains(column) ? pad + cell : cell + pad
      }.joined(separator: "  ").trimmingTrailingSpaces()
    }
    return ([line(header)] + body.map(line)).joined(separator: "\n")
  }
}

/// A probability with four decimals, e.g. `0.7890`.
func formatProbability(_ p: Float) -> String {
  let scaled = Int((Double(p) * 10_000).rounded())
  let whole = scaled / 10_000, fraction = scaled % 10_000
  let digits = String(fraction)
  return "\(whole)." + String(repeating: "0", count: 4 - digits.count) + digits
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var s = self
    while s.hasSuffix(" ") { s.removeLast() }
    return s
  }
}
