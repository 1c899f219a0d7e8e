// Whether one value fits a value kind, and the diagnostic when it does not.

/// Why a value does not fit a kind.
struct ValueProblem {
  var kind: Diagnostic.Kind
  var label: String?
  var suggestions: [String] = []

  func diagnostic(value: Value, at range: SourceRange, for what: String) -> Diagnostic {
    let message: String
    switch kind {
    case .outOfRange: message = "\(what)=\(value.sourceText) is out of range"
    case .unknownCommand: message = "unknown command '\(value.text ?? value.sourceText)'"
    default: message = "invalid value '\(value.text ?? value.sourceText)' for \(what)"
    }
    return Diagnostic(kind, message, at: range, label: label, suggestions: suggestions)
  }
}

extension Catalog {
  /// Nil when a single (non-list) value fits `kind`, else why not.
  func problem(with value: Value, against kind: ValueKind) -> ValueProblem? {
    switch kind {
    case .integer(let low, let high):
      guard case .integer(let n) = value else {
        if case .real(let x) = value, x == x.rounded() {  // beyond Int's range
          return ValueProblem(kind: .outOfRange, label: "expected \(kind.phrase)")
        }
        return ValueProblem(kind: .invalidValue, label: "expected \(kind.phrase)")
      }
      return inBounds(Double(n), low.map(Double.init), high.map(Double.init), kind)
    case .real(let low, let high):
      guard let x = value.number else {
        return ValueProblem(kind: .invalidValue, label: "expected \(kind.phrase)")
      }
      return inBounds(x, low, high, kind)
    case .choice(let words):
      return oneOf(words, value, kind)
    case .yesNo:
      return oneOf(["yes", "no"], value, kind)
    case .text:
      return nil
    case .name:
      return value.text?.isEmpty == false
        ? nil : ValueProblem(kind: .invalidValue, label: "expected \(kind.phrase)")
    case .command:
      guard let word = value.text, self[word] == nil else { return nil }
      return ValueProblem(
        kind: .unknownCommand, label: "help lists the commands",
        suggestions: Suggestions.closest(to: word, among: verbs))
    case .list(let item):
      return value.items.lazy.compactMap { self.problem(with: $0, against: item) }.first
    case .either(let kinds):
      return eitherProblem(value, kinds, kind)
    }
  }

  private func inBounds(_ x: Double, _ low: Double?, _ high: Double?, _ kind: ValueKind)
    -> ValueProblem?
  {
    if let low, x < low { return ValueProblem(kind: .outOfRange, label: "expected \(kind.phrase)") }
    if let high, x > high {
      return ValueProblem(kind: .outOfRange, label: "expected \(kind.phrase)")
    }
    return nil
  }

  private func oneOf(_ words: [String], _ value: Value, _ kind: ValueKind) -> ValueProblem? {
    if let word = value.text, words.contains(word) { return nil }
    let suggestions = value.text.map { Suggestions.closest(to: $0, among: words) } ?? []
    return ValueProblem(
      kind: .invalidValue, label: suggestions.isEmpty ? "expected \(kind.phrase)" : nil,
      suggestions: suggestions)
  }

  /// Fits when any alternative fits; else the most telling alternative's problem: a range
  /// error for a number, "did you mean" for a misspelt word, else the list of alternatives.
  private func eitherProblem(_ value: Value, _ kinds: [ValueKind], _ kind: ValueKind)
    -> ValueProblem?
  {
    let problems = kinds.map { problem(with: value, against: $0) }
    if problems.contains(where: { $0 == nil }) { return nil }
    let found = problems.compactMap { $0 }
    if let range = found.first(where: { $0.kind == .outOfRange }) { return range }
    if let close = found.first(where: { !$0.suggestions.isEmpty }) {
      return ValueProblem(
        kind: .invalidValue, label: "expected \(kind.phrase)", suggestions: close.suggestions)
    }
    return ValueProblem(kind: .invalidValue, label: "expected \(kind.phrase)")
  }
}
