// Any JSON value, the type of a Jupyter message's content, metadata and MIME bundles.
public import Foundation

/// A JSON object: the shape of message metadata, content and MIME bundles.
public typealias JSONObject = [String: JSONValue]

/// A MIME bundle: MIME type to value (text, base64 image bytes, or JSON for `application/json`).
public typealias MimeBundle = [String: JSONValue]

/// Any JSON value. Integers stay apart from doubles so counts encode as `3`, not `3.0`.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)
}

extension JSONValue {
  /// The string, or nil for any other kind.
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The boolean, or nil for any other kind.
  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  /// The integer; a double with an integral value also counts (JSON does not tell them apart).
  public var intValue: Int? {
    switch self {
    case .int(let i): return i
    case .double(let d) where d.rounded() == d && abs(d) < 9e15: return Int(d)
    default: return nil
    }
  }

  /// The number as a double, or nil for any other kind.
  public var doubleValue: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d): return d
    default: return nil
    }
  }

  /// The elements, or nil for any other kind.
  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  /// The members, or nil for any other kind.
  public var objectValue: JSONObject? {
    if case .object(let o) = self { return o }
    return nil
  }

  /// The member named `key` of an object; nil for a missing key or a non-object.
  public subscript(key: String) -> JSONValue? {
    objectValue?[key]
  }
}

extension JSONValue: Codable {
  /// Decodes any JSON value; integral numbers become `.int`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? c.decode(Int.self) {
      self = .int(i)
    } else if let d = try? c.decode(Double.self) {
      self = .double(d)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode(JSONObject.self))
    }
  }

  /// Encodes the value as itself.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .null: try c.encodeNil()
    case .bool(let b): try c.encode(b)
    case .int(let i): try c.encode(i)
    case .double(let d): try c.encode(d)
    case .string(let s): try c.encode(s)
    case .array(let a): try c.encode(a)
    case .object(let o): try c.encode(o)
    }
  }
}

extension JSONValue {
  /// Converts any `Encodable` (a typed message content) into a JSON value.
  public init(encoding value: some Encodable) throws {
    let data = try JSONWire.encoder.encode(value)
    self = try JSONWire.decoder.decode(JSONValue.self, from: data)
  }

  /// Reads this value as a typed `Decodable` (a typed message content).
  public func decode<T: Decodable>(as type: T.Type) throws -> T {
    try JSONWire.decoder.decode(T.self, from: JSONWire.encoder.encode(self))
  }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  /// `nil` is JSON null.
  public init(nilLiteral: ()) { self = .null }
  /// A boolean literal.
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  /// An integer literal.
  public init(integerLiteral value: Int) { self = .int(value) }
  /// A floating-point literal.
  public init(floatLiteral value: Double) { self = .double(value) }
  /// A string literal.
  public init(stringLiteral value: String) { self = .string(value) }
  /// An array literal.
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  /// A dictionary literal; a repeated key keeps its last value.
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(JSONObject(elements, uniquingKeysWith: { _, last in last }))
  }
}

/// The one JSON encoder and decoder configuration used on the wire.
public enum JSONWire {
  /// Sorted keys make frames deterministic (tests, signatures); slashes stay unescaped.
  public static var encoder: JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return e
  }

  /// A plain decoder: keys are mapped by each type's `CodingKeys`, never by a strategy.
  public static var decoder: JSONDecoder { JSONDecoder() }
}
