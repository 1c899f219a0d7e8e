// The names of a classifier's outputs, as people type and read them.

/// One output class: its index, WordNet id and names.
public struct ClassLabel: Sendable, Equatable {
  public var index: Int
  /// WordNet synset id such as `n02124075`, or empty when the list has none.
  public var wnid: String
  /// Keras-style name with underscores, e.g. `Egyptian_cat`.
  public var name: String
  /// Every synonym, e.g. `["Egyptian cat"]`.
  public var synonyms: [String]

  public init(index: Int, wnid: String, name: String, synonyms: [String]) {
    self.index = index
    self.wnid = wnid
    self.name = name
    self.synonyms = synonyms
  }
}

/// The ordered class list of a classifier.
public struct ClassLabels: Sendable, Equatable {
  public var labels: [ClassLabel]

  public init(labels: [ClassLabel]) { self.labels = labels }

  /// Generic names `class_0` ... for a model that ships no class list.
  public static func numbered(_ count: Int) -> ClassLabels {
    ClassLabels(labels: (0..<count).map { ClassLabel(index: $0, wnid: "", name: "class_\($0)", synonyms: []) })
  }

  /// Parses the tab-separated list `index, wnid, keras_name, names` (a header row is skipped),
  /// or a plain list with one name per line.
  /// - Throws: ``ClassLabelsError`` naming the first bad line.
  public init(tsv text: String) throws {
    var labels: [ClassLabel] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.isEmpty || (number == 0 && trimmed.hasPrefix("index")) { continue }
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      if fields.count == 1 {
        labels.append(ClassLabel(index: labels.count, wnid: "", name: trimmed, synonyms: [trimmed]))
        continue
      }
      guard fields.count >= 3, let index = Int(fields[0]), index == labels.count else {
        throw ClassLabelsError.badLine(number + 1, String(line.prefix(80)))
      }
      let synonyms = fields.count > 3
        ? fields[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
      labels.append(ClassLabel(index: index, wnid: fields[1], name: fields[2], synonyms: synonyms))
    }
    self.labels = labels
  }

  public var count: Int { labels.count }
  public subscript(index: Int) -> ClassLabel { labels[index] }
}

/// A class list that cannot be read.
public enum ClassLabelsError: Error, CustomStringConvertible, Equatable {
  case badLine(Int, String)

  public var description: String {
    switch self {
    case .badLine(let line, let text):
      return "class list line \(line) is not 'index<TAB>wnid<TAB>name[<TAB>synonyms]' in order: \(text)"
    }
  }
}

import Foundation
