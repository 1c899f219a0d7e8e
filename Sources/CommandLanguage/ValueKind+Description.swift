// How help and diagnostics describe what a slot accepts.

extension ValueKind {
  /// A phrase for "expected ...": `an integer (1 to 4096)`, `one of sg, sg2, vargrad`.
  public var phrase: String {
    switch self {
    case .integer(let low, let high):
      "an integer" + Self.bounds(low.map(Double.init), high.map(Double.init))
    case .real(let low, let high): "a number" + Self.bounds(low, high)
    case .choice(let words): words.count == 1 ? words[0] : "one of " + words.joined(separator: ", ")
    case .yesNo: "yes or no"
    case .text: "text"
    case .name(let kind): kind.phrase
    case .command: "a command name"
    case .list(let item): "\(item.phrase), or a comma list of them"
    case .either(let kinds): kinds.map(\.phrase).joined(separator: " or ")
    }
  }

  /// A short form for usage lines and help tables: `INT`, `gradcam|gradcam++`, `yes|no`.
  public var synopsis: String {
    switch self {
    case .integer: "INT"
    case .real: "NUMBER"
    case .choice(let words): words.joined(separator: "|")
    case .yesNo: "yes|no"
    case .text: "TEXT"
    case .name(let kind): kind.synopsis
    case .command: "COMMAND"
    case .list(let item): "\(item.synopsis)[,...]"
    case .either(let kinds): kinds.map(\.synopsis).joined(separator: "|")
    }
  }

  private static func bounds(_ low: Double?, _ high: Double?) -> String {
    func show(_ x: Double) -> String {
      x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : x.description
    }
    switch (low, high) {
    case (let low?, let high?): return " (\(show(low)) to \(show(high)))"
    case (let low?, nil): return " (at least \(show(low)))"
    case (nil, let high?): return " (at most \(show(high)))"
    case (nil, nil): return ""
    }
  }
}

extension NameKind {
  /// A phrase for "expected ...".
  public var phrase: String {
    switch self {
    case .className: "a class (index, WordNet id or name)"
    case .layer: "a layer name"
    case .image: "an image or result name"
    case .model: "a model name"
    case .path: "a file path"
    case .directory: "a directory path"
    }
  }

  /// The placeholder of usage lines.
  public var synopsis: String {
    switch self {
    case .className: "CLASS"
    case .layer: "LAYER"
    case .image: "NAME"
    case .model: "MODEL"
    case .path: "PATH"
    case .directory: "DIR"
    }
  }
}
