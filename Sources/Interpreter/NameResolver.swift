// Names people type for classes, layers and images, resolved as design/COMMANDS.md says.
import Attribution
import CommandLanguage
import Foundation

/// Resolves typed names to classes, tensors and images, or explains why not.
enum NameResolver {
  // MARK: Classes

  /// A class by index, WordNet id, name (`_` or spaces, any case) or unique prefix.
  /// - Throws: a ``Diagnostic`` at `range`: out of range, unknown (with suggestions), or
  ///   ambiguous (with the candidates).
  static func classIndex(_ value: Value, labels: ClassLabels, at range: SourceRange)
    throws(Diagnostic) -> Int
  {
    let typed = value.text ?? ""
    if case .integer(let index) = value {
      return try checkedIndex(index, labels: labels, at: range)
    }
    if let index = Int(typed), typed.allSatisfy(\.isNumber) {
      return try checkedIndex(index, labels: labels, at: range)
    }
    let key = normalised(typed)
    if let byWordNet = labels.labels.first(where: {
      !$0.wnid.isEmpty && $0.wnid.lowercased() == key
    }) {
      return byWordNet.index
    }
    let exact = labels.labels.filter { label in spellings(of: label).contains(key) }
    if exact.count == 1 { return exact[0].index }
    if exact.count > 1 { throw ambiguous(typed, exact, at: range) }
    let prefixed = labels.labels.filter { label in
      spellings(of: label).contains { $0.hasPrefix(key) }
    }
    if prefixed.count == 1 { return prefixed[0].index }
    if prefixed.count > 1 { throw ambiguous(typed, prefixed, at: range) }
    let names = labels.labels.map(\.name)
    throw Diagnostic(
      .unknownName, "unknown class '\(typed)'", at: range,
      suggestions: Suggestions.closest(to: typed.replacingSpaces(), among: names))
  }

  /// How a class may be written, normalised: its name and synonyms.
  static func spellings(of label: ClassLabel) -> [String] {
    [normalised(label.name)] + label.synonyms.map(normalised)
  }

  /// Lower case, `_` as a space, runs of spaces as one.
  static func normalised(_ text: String) -> String {
    text.lowercased().replacingOccurrences(of: "_", with: " ").split(separator: " ")
      .joined(separator: " ")
  }

  private static func checkedIndex(_ index: Int, labels: ClassLabels, at range: SourceRange)
    throws(Diagnostic) -> Int
  {
    guard (0..<labels.count).contains(index) else {
      throw Diagnostic(
        .outOfRange, "class \(index) is out of range", at: range,
        label: "the model has \(labels.count) classes (0...\(labels.count - 1))")
    }
    return index
  }

  private static func ambiguous(_ typed: String, _ matches: [ClassLabel], at range: SourceRange)
    -> Diagnostic
  {
    Diagnostic(
      .unknownName, "class '\(typed)' is ambiguous: \(matches.count) classes match", at: range,
      label: "give an index or more of the name",
      suggestions: matches.prefix(5).map { "\($0.name) (\($0.index))" })
  }

  // MARK: Layers

  /// A tensor by exact name; `last` (the last 4-D tensor with more than one position); or a
  /// prefix ending at a name boundary, meaning the last 4-D tensor among the matches.
  /// - Parameter fourD: whether the tensor must be 4-D (CAMs, activation grids).
  /// - Throws: a ``Diagnostic`` at `range` with the closest names.
  static func layer(
    _ typed: String, in layers: [LayerEntry], fourD: Bool, at range: SourceRange
  ) throws(Diagnostic) -> String {
    if typed == "last" {
      guard let last = layers.last(where: \.isSpatial) else {
        throw Diagnostic(
          .unknownName, "the model has no 4-D tensor larger than 1x1", at: range)
      }
      return last.name
    }
    if let exact = layers.first(where: { $0.spellings.contains(typed) }) {
      guard !fourD || exact.isFourD else {
        throw Diagnostic(
          .invalidValue, "layer '\(typed)' is not a 4-D tensor", at: range,
          label: "its shape is \(shapeText(exact.shape))",
          suggestions: Suggestions.closest(
            to: typed, among: layers.filter(\.isFourD).map(\.name)
          ).nonEmptyOr(nearestSpatial(before: exact.name, in: layers)))
      }
      return exact.name
    }
    let matches = layers.filter { layer in
      layer.spellings.contains { isBoundaryPrefix(typed, of: $0) }
    }
    if let chosen = matches.last(where: { !fourD || $0.isFourD }) { return chosen.name }
    if !matches.isEmpty {
      throw Diagnostic(
        .invalidValue, "no 4-D tensor starts with '\(typed)'", at: range,
        label: "matches: \(matches.prefix(3).map(\.name).joined(separator: ", "))")
    }
    throw Diagnostic(
      .unknownName, "unknown layer '\(typed)'", at: range,
      suggestions: Suggestions.closest(to: typed, among: candidates(layers, fourD: fourD)))
  }

  /// The last 4-D tensor larger than 1x1 before `name` in graph order, as a one-name list.
  static func nearestSpatial(before name: String, in layers: [LayerEntry]) -> [String] {
    guard let index = layers.firstIndex(where: { $0.name == name }) else { return [] }
    return layers[..<index].last(where: \.isSpatial).map { [$0.name] } ?? []
  }

  /// Whether `prefix` starts `name` and ends at a boundary: the end of the name, a
  /// separator, or a change between letters and digits (`block1` starts `block1a_add` and
  /// `block1_add` but never `block14_add`).
  static func isBoundaryPrefix(_ prefix: String, of name: String) -> Bool {
    guard !prefix.isEmpty, name.hasPrefix(prefix) else { return false }
    guard name.count > prefix.count else { return true }
    let next = name[name.index(name.startIndex, offsetBy: prefix.count)]
    let last = prefix.last!
    if !(next.isLetter || next.isNumber) || !(last.isLetter || last.isNumber) { return true }
    return next.isNumber != last.isNumber
  }

  /// Names to suggest for a layer: each name's first part (`block14`), then the names.
  static func candidates(_ layers: [LayerEntry], fourD: Bool) -> [String] {
    let names = layers.filter { !fourD || $0.isFourD }.map { $0.alias ?? $0.name }
    var seen: Set<String> = []
    var heads: [String] = []
    for name in names {
      let head = String(name.prefix { $0 != "_" && $0 != "/" && $0 != "." })
      if !head.isEmpty, head != name, seen.insert(head).inserted { heads.append(head) }
    }
    return heads + names
  }

  // MARK: Images

  /// A loaded image by name (exact, then ignoring case).
  static func image(_ typed: String, in state: SessionState, at range: SourceRange)
    throws(Diagnostic) -> LoadedImage
  {
    if let image = state.image(named: typed)
      ?? state.images.first(where: { $0.name.lowercased() == typed.lowercased() })
    {
      return image
    }
    let names = state.images.map(\.name)
    throw Diagnostic(
      .unknownName, "unknown image '\(typed)'", at: range,
      label: names.isEmpty ? "no image is loaded" : nil,
      suggestions: Suggestions.closest(to: typed, among: names))
  }
}

/// A shape as `1x32x112x112`.
func shapeText(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: "x") }

extension String {
  /// Spaces as `_`, the way class names are listed.
  fileprivate func replacingSpaces() -> String { replacingOccurrences(of: " ", with: "_") }
}
