// The values a command's arguments carry.

/// An argument's value as written: a number, a piece of text, or a comma list of those.
///
/// Bare words (`gradcam++`, `images/cat.png`) and quoted strings (`"Egyptian cat"`) are both
/// `text`: quoting only lets a value hold spaces and other characters. A bare word spelled like a
/// number (`32`, `-0.5`, `1e-3`) is a number; quote it (`"285"`) to keep it text.
public indirect enum Value: Hashable, Sendable, CustomStringConvertible {
  /// A whole number without a point or exponent: `32`, `-5`, `+7`.
  case integer(Int)
  /// A number with a point or an exponent (`0.15`, `1e-3`), or an integer too large for `Int`.
  case real(Double)
  /// A bare word or a quoted string, escapes resolved.
  case text(String)
  /// A comma list of two or more values, none of them a list: `tabby,Egyptian_cat`.
  case list([Value])

  /// The value as text, for arguments that take names: `285` gives "285".
  public var text: String? {
    switch self {
    case .integer(let n): String(n)
    case .real(let x): x.description
    case .text(let s): s
    case .list: nil
    }
  }

  /// The value as a number, for arguments that take numbers (an integer converts).
  public var number: Double? {
    switch self {
    case .integer(let n): Double(n)
    case .real(let x): x
    case .text, .list: nil
    }
  }

  /// The items of a list, or the value itself as the only item.
  public var items: [Value] {
    if case .list(let items) = self { return items }
    return [self]
  }

  /// The canonical source spelling (see `Value.sourceText` in Printer.swift).
  public var description: String { sourceText }
}

extension Value: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
  ExpressibleByStringLiteral, ExpressibleByArrayLiteral
{
  /// `32` in code is `.integer(32)`.
  public init(integerLiteral value: Int) { self = .integer(value) }
  /// `0.5` in code is `.real(0.5)`.
  public init(floatLiteral value: Double) { self = .real(value) }
  /// `"tabby"` in code is `.text("tabby")`.
  public init(stringLiteral value: String) { self = .text(value) }
  /// `["tabby", 285]` in code is a list.
  public init(arrayLiteral elements: Value...) { self = .list(elements) }
}

/// A value given by position (`image cat.png`) with where it was written.
public struct Positional: Sendable, Equatable, CustomStringConvertible {
  /// The value.
  public var value: Value
  /// The whole value in the source (for a list, from its first item to its last).
  public var range: SourceRange
  /// One range per item of a list; `[range]` for a single value.
  public var itemRanges: [SourceRange]

  /// A positional value, by default written nowhere in particular.
  public init(_ value: Value, range: SourceRange = SourceRange(), itemRanges: [SourceRange]? = nil)
  {
    self.value = value
    self.range = range
    self.itemRanges = itemRanges ?? Array(repeating: range, count: value.items.count)
  }

  /// Equal when the values are; where they were written does not count.
  public static func == (a: Positional, b: Positional) -> Bool { a.value == b.value }

  /// The canonical source spelling.
  public var description: String { value.sourceText }
}

/// A `key=value` argument with where its name and value were written.
public struct Argument: Sendable, Equatable, CustomStringConvertible {
  /// The key, before `=`.
  public var name: String
  /// The key in the source.
  public var nameRange: SourceRange
  /// The value, after `=`.
  public var value: Value
  /// The whole value in the source (for a list, from its first item to its last).
  public var valueRange: SourceRange
  /// One range per item of a list; `[valueRange]` for a single value.
  public var itemRanges: [SourceRange]

  /// An argument, by default written nowhere in particular.
  public init(
    _ name: String, _ value: Value, nameRange: SourceRange = SourceRange(),
    valueRange: SourceRange = SourceRange(), itemRanges: [SourceRange]? = nil
  ) {
    self.name = name
    self.value = value
    self.nameRange = nameRange
    self.valueRange = valueRange
    self.itemRanges = itemRanges ?? Array(repeating: valueRange, count: value.items.count)
  }

  /// From the start of the name to the end of the value.
  public var range: SourceRange {
    var r = nameRange
    r.length = max(valueRange.end - nameRange.offset, nameRange.length)
    return r
  }

  /// Equal when names and values are; where they were written does not count.
  public static func == (a: Argument, b: Argument) -> Bool {
    a.name == b.name && a.value == b.value
  }

  /// `name=value`, canonically spelled.
  public var description: String { "\(name)=\(value.sourceText)" }
}
