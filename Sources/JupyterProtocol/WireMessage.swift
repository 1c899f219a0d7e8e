// Multipart framing of a message (messaging spec, "The Wire Protocol"):
//   [identities...] <IDS|MSG> signature header parent_header metadata content [buffers...]
public import Foundation

/// A message with the routing identities that carried it over a ROUTER socket.
public struct WireMessage: Sendable, Hashable {
  /// The frame that separates routing identities from the message.
  public static let delimiter = Data("<IDS|MSG>".utf8)

  /// Routing identities (ROUTER) or a topic (PUB); empty when none.
  public var identities: [Data]
  /// The message itself.
  public var message: Message

  /// A message with its identities.
  public init(identities: [Data] = [], message: Message) {
    self.identities = identities
    self.message = message
  }

  /// The frames to send: identities, delimiter, signature, four JSON frames, buffers.
  public func frames(signedBy signer: MessageSigner) throws -> [Data] {
    let json = try message.jsonFrames()
    let signature = Data(signer.signature(of: json).utf8)
    return identities + [Self.delimiter, signature] + json + message.buffers
  }

  /// Reads frames as received, verifying the signature before parsing any JSON.
  ///
  /// - Throws: `WireError` naming the first problem: no delimiter, too few frames, a signature
  ///   that does not match (the JSON is then never parsed), or invalid JSON.
  public init(frames: [Data], verifiedBy signer: MessageSigner) throws(WireError) {
    guard let split = frames.firstIndex(of: Self.delimiter) else {
      throw WireError.missingDelimiter
    }
    let rest = frames[(split + 1)...]
    guard rest.count >= 5 else { throw WireError.tooFewFrames(rest.count) }
    let signature = rest[rest.startIndex]
    let json = Array(rest[(rest.startIndex + 1)..<(rest.startIndex + 5)])
    guard signer.verify(signature: signature, of: json) else { throw WireError.badSignature }
    let buffers = Array(rest[(rest.startIndex + 5)...])
    self.identities = Array(frames[..<split])
    self.message = try Message(jsonFrames: json, buffers: buffers)
  }
}
