// A Jupyter message header (messaging spec, "General Message Format").
public import Foundation

/// The protocol version Glimpse stamps in every header it writes.
public let jupyterProtocolVersion = "5.3"

/// A message header: identity, type, session and time of one message.
///
/// Keys this type does not know (e.g. `subshell_id` from later protocol versions) are kept in
/// `extra` and written back, so a reply's `parent_header` echoes the request's header exactly.
public struct MessageHeader: Sendable, Hashable {
  /// A unique id for this message (a UUID string).
  public var msgID: String
  /// The message type, e.g. `execute_request`.
  public var msgType: String
  /// The sender's session id; constant for the sender's lifetime.
  public var session: String
  /// The sender's user name.
  public var username: String
  /// ISO-8601 creation time; kept as text so headers round-trip byte-for-byte in meaning.
  public var date: String
  /// The messaging protocol version, "5.3" for messages Glimpse writes.
  public var version: String
  /// Header keys this type does not model, preserved verbatim.
  public var extra: JSONObject

  /// A header for a new message, stamped now with protocol version 5.3.
  public init(
    msgType: String, session: String, username: String = "glimpse",
    msgID: String = UUID().uuidString.lowercased(), date: Date = Date(),
    version: String = jupyterProtocolVersion, extra: JSONObject = [:]
  ) {
    self.msgID = msgID
    self.msgType = msgType
    self.session = session
    self.username = username
    self.date = ISO8601Timestamp.string(from: date)
    self.version = version
    self.extra = extra
  }
}

extension MessageHeader: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case msgID = "msg_id"
    case msgType = "msg_type"
    case session, username, date, version
  }

  /// Any string key, for the members this type does not model.
  struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Decodes a header; `msg_id` and `msg_type` are required, the rest default to "".
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    msgID = try c.decode(String.self, forKey: .msgID)
    msgType = try c.decode(String.self, forKey: .msgType)
    session = try c.decodeIfPresent(String.self, forKey: .session) ?? ""
    username = try c.decodeIfPresent(String.self, forKey: .username) ?? ""
    date = try c.decodeIfPresent(String.self, forKey: .date) ?? ""
    version = try c.decodeIfPresent(String.self, forKey: .version) ?? ""
    let all = try decoder.container(keyedBy: AnyKey.self)
    let known = Set(CodingKeys.allCases.map(\.rawValue))
    var extra: JSONObject = [:]
    for key in all.allKeys where !known.contains(key.stringValue) {
      extra[key.stringValue] = try all.decode(JSONValue.self, forKey: key)
    }
    self.extra = extra
  }

  /// Encodes the modelled keys, then the preserved extras.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(msgID, forKey: .msgID)
    try c.encode(msgType, forKey: .msgType)
    try c.encode(session, forKey: .session)
    try c.encode(username, forKey: .username)
    try c.encode(date, forKey: .date)
    try c.encode(version, forKey: .version)
    var all = encoder.container(keyedBy: AnyKey.self)
    for (key, value) in extra where CodingKeys(rawValue: key) == nil {
      try all.encode(value, forKey: AnyKey(stringValue: key))
    }
  }
}

/// ISO-8601 timestamps with microseconds in UTC, as jupyter_client writes them.
public enum ISO8601Timestamp {
  /// Formats `date` as `2024-05-01T10:00:00.123456Z`.
  public static func string(from date: Date) -> String {
    let seconds = date.timeIntervalSince1970
    var whole = time_t(seconds.rounded(.down))
    var micros = Int(((seconds - Double(whole)) * 1_000_000).rounded())
    if micros == 1_000_000 { whole += 1; micros = 0 }
    var t = tm()
    gmtime_r(&whole, &t)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(t.tm_year) + 1900, Int(t.tm_mon) + 1,
      Int(t.tm_mday), Int(t.tm_hour), Int(t.tm_min), Int(t.tm_sec), micros)
  }

  /// Parses `YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM)`; nil for anything else.
  public static func date(from text: String) -> Date? {
    let s = Array(text.utf8)
    func number(_ at: Int, _ count: Int) -> Int? {
      guard at + count <= s.count else { return nil }
      var n = 0
      for b in s[at..<at + count] {
        guard b >= 48 && b <= 57 else { return nil }
        n = n * 10 + Int(b - 48)
      }
      return n
    }
    guard s.count >= 19, s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"),
      s[10] == UInt8(ascii: "T") || s[10] == UInt8(ascii: " "),
      let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
      let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
    else { return nil }
    var i = 19
    var fraction = 0.0
    if i < s.count, s[i] == UInt8(ascii: ".") {
      i += 1
      var scale = 0.1
      while i < s.count, s[i] >= 48 && s[i] <= 57 {
        fraction += Double(s[i] - 48) * scale
        scale /= 10
        i += 1
      }
    }
    var offset = 0
    if i < s.count, s[i] == UInt8(ascii: "Z") {
      i += 1
    } else if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
      guard let oh = number(i + 1, 2), let om = number(i + 4, 2) else { return nil }
      offset = (oh * 3600 + om * 60) * (s[i] == UInt8(ascii: "-") ? -1 : 1)
      i += 6
    }
    guard i == s.count else { return nil }
    var t = tm()
    t.tm_year = Int32(year - 1900)
    t.tm_mon = Int32(month - 1)
    t.tm_mday = Int32(day)
    t.tm_hour = Int32(hour)
    t.tm_min = Int32(minute)
    t.tm_sec = Int32(second)
    let epoch = timegm(&t)
    return Date(timeIntervalSince1970: Double(epoch - offset) + fraction)
  }
}
