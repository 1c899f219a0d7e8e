// ONNX op type -> builder: the one place that says which ops Glimpse supports.

/// The builders for every supported op of the default ONNX domain.
///
/// Each family of ops registers its builders in its own file (`Builders+*.swift`);
/// the table is their union. A test fails if two families claim the same op.
public enum OperatorTable {
  /// Builder families, in the order they are merged.
  static let families: [[String: OperatorBuilder]] = [
    convolutionBuilders, denseBuilders, poolingBuilders,
    elementwiseBuilders, activationBuilders, normalizationBuilders, reductionBuilders,
    shapeBuilders,
  ]

  /// The merged table.
  public static let builders: [String: OperatorBuilder] = {
    var table: [String: OperatorBuilder] = [:]
    for family in families { table.merge(family) { first, _ in first } }
    return table
  }()

  /// Op types claimed by more than one family (should be empty).
  static var duplicates: [String] {
    var seen: [String: Int] = [:]
    for family in families { for key in family.keys { seen[key, default: 0] += 1 } }
    return seen.filter { $0.value > 1 }.map(\.key).sorted()
  }

  /// Every supported op type, sorted.
  public static var supportedOps: [String] { builders.keys.sorted() }
}
