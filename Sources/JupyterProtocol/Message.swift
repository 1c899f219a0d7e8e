// A Jupyter message as a Swift value (messaging spec, "General Message Format").
public import Foundation

/// One Jupyter message: header, parent header, metadata, content and binary buffers.
public struct Message: Sendable, Hashable {
  /// This message's header.
  public var header: MessageHeader
  /// The header of the message that caused this one; nil is written as `{}`.
  public var parentHeader: MessageHeader?
  /// Free-form metadata (`{}` in most messages).
  public var metadata: JSONObject
  /// The type-specific content, a JSON object.
  public var content: JSONObject
  /// Raw binary buffers that travel after the content frame (comms, widgets).
  public var buffers: [Data]

  /// A message from its parts.
  public init(
    header: MessageHeader, parentHeader: MessageHeader? = nil, metadata: JSONObject = [:],
    content: JSONObject = [:], buffers: [Data] = []
  ) {
    self.header = header
    self.parentHeader = parentHeader
    self.metadata = metadata
    self.content = content
    self.buffers = buffers
  }

  /// A new message of `type` in `session`, caused by `parent` (a request, for replies and outputs).
  public init(
    type: String, session: String, parent: MessageHeader? = nil, content: JSONObject = [:],
    metadata: JSONObject = [:], username: String = "glimpse"
  ) {
    self.init(
      header: MessageHeader(msgType: type, session: session, username: username),
      parentHeader: parent, metadata: metadata, content: content)
  }

  /// The message type, from the header.
  public var type: String { header.msgType }
}

extension Message {
  /// The four JSON frames (header, parent header, metadata, content), as signed and sent.
  public func jsonFrames() throws -> [Data] {
    let encoder = JSONWire.encoder
    let parent: Data =
      if let parentHeader { try encoder.encode(parentHeader) } else { Data("{}".utf8) }
    return [
      try encoder.encode(header), parent, try encoder.encode(metadata),
      try encoder.encode(content),
    ]
  }

  /// Rebuilds a message from its four JSON frames and buffers.
  ///
  /// - Throws: `WireError.invalidJSON` naming the frame that is not JSON or lacks a field.
  public init(jsonFrames frames: [Data], buffers: [Data] = []) throws(WireError) {
    precondition(frames.count == 4, "a message has exactly four JSON frames")
    let decoder = JSONWire.decoder
    func object(_ index: Int, _ name: String) throws(WireError) -> JSONObject {
      do {
        return try decoder.decode(JSONObject.self, from: frames[index])
      } catch {
        throw WireError.invalidJSON(frame: name, reason: Self.describeDecoding(error))
      }
    }
    do {
      header = try decoder.decode(MessageHeader.self, from: frames[0])
    } catch {
      throw WireError.invalidJSON(frame: "header", reason: Self.describeDecoding(error))
    }
    let parent = try object(1, "parent_header")
    if parent.isEmpty {
      parentHeader = nil
    } else {
      do {
        parentHeader = try decoder.decode(MessageHeader.self, from: frames[1])
      } catch {
        throw WireError.invalidJSON(frame: "parent_header", reason: Self.describeDecoding(error))
      }
    }
    metadata = try object(2, "metadata")
    content = try object(3, "content")
    self.buffers = buffers
  }

  /// A short reason for a JSON decoding failure, for log lines and error replies.
  public static func describeDecoding(_ error: any Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      return "wrong type at '\(path)'"
    case DecodingError.dataCorrupted: return "not valid JSON"
    default: return "\(error)"
    }
  }
}
