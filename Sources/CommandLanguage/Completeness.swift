// Whether a cell is ready to run: what Jupyter's is_complete and the REPL's line reader ask.

/// Whether source text can run as it stands.
public enum Completeness: Hashable, Sendable {
  /// Parses and validates: run it.
  case complete
  /// An open quote or a trailing backslash: read another line.
  case incomplete
  /// Wrong in a way more lines cannot fix; running it reports this diagnostic.
  case invalid(Diagnostic)
}

extension Catalog {
  /// Whether `source` is complete, incomplete (open quote, trailing `\`) or invalid.
  public func isComplete(_ source: String) -> Completeness {
    do {
      _ = try check(source)
      return .complete
    } catch {
      return error.isIncompleteInput ? .incomplete : .invalid(error)
    }
  }
}
