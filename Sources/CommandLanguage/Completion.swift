// Tab completion: verbs, argument names, enum values, and names the interpreter knows.

/// Names only the interpreter (or the file system) knows, which completion asks for.
public protocol CompletionSource {
  /// Names of `kind` that complete `prefix` (as typed, possibly empty), best first.
  ///
  /// The source decides what matching means: class names may match ignoring case and `_`,
  /// paths list a directory. Return names as they should appear, unquoted.
  func names(of kind: NameKind, matching prefix: String) -> [String]
}

/// What completion offers: the matches and the code point range they replace.
public struct Completion: Hashable, Sendable {
  /// Replacement texts, best first (argument names end in `=`).
  public var matches: [String]
  /// Code point offset of the first replaced code point (Jupyter's `cursor_start`).
  public var start: Int
  /// Code point offset just past the replaced text: the cursor (Jupyter's `cursor_end`).
  public var end: Int

  /// A completion.
  public init(matches: [String], start: Int, end: Int) {
    self.matches = matches
    self.start = start
    self.end = end
  }
}

/// Completion and inspection over a catalog, with a source for names it cannot know.
public struct Completer {
  /// The commands known.
  public let catalog: Catalog
  /// Layers, classes, images, models and paths; by default only paths, from the file system.
  public let names: any CompletionSource

  /// A completer; without a source it completes paths from the current directory.
  public init(catalog: Catalog = .glimpse, names: (any CompletionSource)? = nil) {
    self.catalog = catalog
    self.names = names ?? FileCompleter()
  }

  /// The matches for the text before `cursor` (a code point offset, clamped into the source).
  ///
  /// At a line's start: verbs. After a verb: argument names (`patch=`) not yet given, and
  /// values for the next positional slot. After `key=` or a comma in a list: the argument's
  /// values (choices, yes/no, or names from the source). Matches that are not bare words come
  /// quoted unless the cursor is already inside quotes. Never fails: odd input gets no matches.
  public func complete(_ source: String, cursor: Int) -> Completion {
    let text = SourceText(source)
    let cursor = min(max(cursor, 0), text.count)
    let context = CursorContext(text, cursor: cursor, catalog: catalog)
    let prefix = context.prefix
    var matches: [String]
    switch context.place {
    case .verb:
      matches = context.inQuotes ? [] : catalog.verbs.filter { $0.hasPrefixIgnoringCase(prefix) }
    case .argumentOrPositional(let spec, let index, let given):
      matches = spec.positional(at: index).map { values(of: $0.kind, prefix) } ?? []
      if !context.inQuotes {
        matches += spec.arguments.filter { !given.contains($0.name) }.map { $0.name + "=" }
          .filter { $0.hasPrefixIgnoringCase(prefix) }
      }
    case .value(_, let argument):
      matches = values(of: argument.kind, prefix)
    case .positionalItem(let spec, let index):
      matches = spec.positional(at: index).map { values(of: $0.kind, prefix) } ?? []
    case .nowhere:
      matches = []
    }
    matches = matches.map { spelled($0, inQuotes: context.inQuotes) }
    return Completion(matches: unique(matches), start: context.start, end: cursor)
  }

  /// Values of `kind` completing `prefix`.
  func values(of kind: ValueKind, _ prefix: String) -> [String] {
    switch kind {
    case .choice(let words): words.filter { $0.hasPrefixIgnoringCase(prefix) }
    case .yesNo: ["yes", "no"].filter { $0.hasPrefixIgnoringCase(prefix) }
    case .command: catalog.verbs.filter { $0.hasPrefixIgnoringCase(prefix) }
    case .name(let kind): names.names(of: kind, matching: prefix)
    case .list(let item): values(of: item, prefix)
    case .either(let kinds): kinds.flatMap { values(of: $0, prefix) }
    case .integer, .real, .text: []
    }
  }

  /// A match as it must be typed: quoted when it is no bare word (a directory stays open so
  /// the user can go on typing in it), escaped inside quotes.
  private func spelled(_ match: String, inQuotes: Bool) -> String {
    if inQuotes {
      return String(Value.quoted(match).dropFirst().dropLast())
    }
    // A name spelled like a number stays bare when it reads back as the same text ("285").
    if match.hasSuffix("=") || Value.isBareWord(match)
      || Value.numberSyntax(match) != nil && Value.literal(match).text == match
    {
      return match
    }
    let quoted = Value.quoted(match)
    return match.hasSuffix("/") ? String(quoted.dropLast()) : quoted
  }

  private func unique(_ matches: [String]) -> [String] {
    var seen: Set<String> = []
    return matches.filter { seen.insert($0).inserted }
  }
}

extension String {
  /// Whether the string starts with `prefix`, ignoring case.
  func hasPrefixIgnoringCase(_ prefix: String) -> Bool {
    prefix.isEmpty || lowercased().hasPrefix(prefix.lowercased())
  }
}
