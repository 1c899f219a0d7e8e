// HMAC-SHA256 message signatures (messaging spec, "The Wire Protocol"), through OpenSSL libcrypto.
internal import CCrypto
public import Foundation

/// Signs and verifies messages with HMAC-SHA256 over header, parent header, metadata, content.
///
/// An empty key disables signing: signatures are empty and every message verifies, as the spec
/// allows for trusted local connections.
public struct MessageSigner: Sendable {
  /// The shared secret from the connection file.
  public let key: [UInt8]

  /// A signer for `key` (the connection file's `key` string as UTF-8 bytes).
  public init(key: String) { self.key = Array(key.utf8) }

  /// A signer for raw key bytes.
  public init(keyBytes: [UInt8]) { self.key = keyBytes }

  /// Whether messages are signed at all.
  public var isEnabled: Bool { !key.isEmpty }

  /// The lower-case hex HMAC-SHA256 of the concatenated `parts`, or "" when signing is off.
  public func signature(of parts: [Data]) -> String {
    guard isEnabled else { return "" }
    let digest = mac(of: parts)
    return String(decoding: digest.flatMap(Self.hexDigits), as: UTF8.self)
  }

  /// Whether `signature` (hex text) matches `parts`, compared in constant time.
  public func verify(signature received: Data, of parts: [Data]) -> Bool {
    guard isEnabled else { return true }
    let expected = Array(self.signature(of: parts).utf8)
    // Lower-case the received hex: the spec writes hexdigest() but does not forbid upper case.
    let lowered = received.map { $0 >= 65 && $0 <= 70 ? $0 + 32 : $0 }
    guard lowered.count == expected.count else { return false }
    return CRYPTO_memcmp(lowered, expected, expected.count) == 0
  }

  /// The raw 32-byte HMAC-SHA256 of the concatenation of `parts`.
  func mac(of parts: [Data]) -> [UInt8] {
    // NB: one contiguous buffer lets us use the one-shot HMAC(), the libcrypto entry point that
    // OpenSSL 3 does not deprecate; messages are small next to the cost of a cell.
    var joined = Data(capacity: parts.reduce(0) { $0 + $1.count })
    for part in parts { joined.append(part) }
    var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    joined.withUnsafeBytes { data in
      key.withUnsafeBytes { k in
        _ = HMAC(
          EVP_sha256(), k.baseAddress, Int32(k.count),
          data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count, &out, &length)
      }
    }
    return Array(out.prefix(Int(length)))
  }

  static func hexDigits(_ byte: UInt8) -> [UInt8] {
    let digits = Array("0123456789abcdef".utf8)
    return [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]]
  }
}
