// HMAC-SHA256 signatures against Python's hmac module.
import Foundation
import JupyterProtocol
import XCTest

/// Expected values were printed by this script (python3, standard library only):
///
///     import hmac, hashlib
///     def sig(key, parts):
///         h = hmac.new(key, digestmod=hashlib.sha256)
///         for p in parts: h.update(p)
///         return h.hexdigest()
///     parts = [b'{"date":"2024-05-01T10:00:00.000000Z","msg_id":"m1",'
///              b'"msg_type":"kernel_info_request","session":"s1","username":"u",'
///              b'"version":"5.3"}', b'{}', b'{}', b'{}']
///     print(sig(b"secret-key", parts))
///     print(sig(b"k", [b"", b"", b"", b""]))
///     print(sig("clé-ü".encode(), [b'{"a":1}', b'{"b":"\xc3\xa9"}', b'[]', b'null']))
///     print(sig(b"x"*100, [b"abc", b"def", b"", b"ghi"]))
final class SignatureTests: XCTestCase {
  static let header = Data(
    (#"{"date":"2024-05-01T10:00:00.000000Z","msg_id":"m1","msg_type":"kernel_info_request","#
      + #""session":"s1","username":"u","version":"5.3"}"#).utf8)

  static let vectors: [(key: [UInt8], parts: [Data], hex: String)] = [
    (
      Array("secret-key".utf8), [header, Data("{}".utf8), Data("{}".utf8), Data("{}".utf8)],
      "c0cc56ca005fe22571ba6e7fb6701cf070d330d4f94e35daf85421b960586757"
    ),
    (
      Array("k".utf8), [Data(), Data(), Data(), Data()],
      "8bb990c40a7d61cb97597a942125025be50ac8beb74436e3735b98893a7f6620"
    ),
    (
      Array("clé-ü".utf8),
      [Data(#"{"a":1}"#.utf8), Data(#"{"b":"é"}"#.utf8), Data("[]".utf8), Data("null".utf8)],
      "09a9704d043ad4b8d2442ab44e9b3ab6d1e32d55b2f82b1437b274c47e5cfe57"
    ),
    // A key longer than SHA-256's 64-byte block is hashed first.
    (
      Array(repeating: UInt8(ascii: "x"), count: 100),
      [Data("abc".utf8), Data("def".utf8), Data(), Data("ghi".utf8)],
      "a9227946347895d21f858b2da786f6b247ef21c23d39743a63196c9c44242fbb"
    ),
  ]

  func testSignaturesMatchPython() {
    for (i, v) in Self.vectors.enumerated() {
      XCTAssertEqual(MessageSigner(keyBytes: v.key).signature(of: v.parts), v.hex, "vector \(i)")
    }
  }

  func testVerifyAcceptsOwnAndUpperCaseSignatures() {
    for v in Self.vectors {
      let signer = MessageSigner(keyBytes: v.key)
      XCTAssertTrue(signer.verify(signature: Data(v.hex.utf8), of: v.parts))
      XCTAssertTrue(signer.verify(signature: Data(v.hex.uppercased().utf8), of: v.parts))
    }
  }

  func testVerifyRejectsTamperingWrongKeyAndWrongLength() {
    let v = Self.vectors[0]
    let signer = MessageSigner(keyBytes: v.key)
    var tampered = v.parts
    tampered[3] = Data(#"{"x":1}"#.utf8)
    XCTAssertFalse(signer.verify(signature: Data(v.hex.utf8), of: tampered))
    XCTAssertFalse(
      MessageSigner(key: "other").verify(signature: Data(v.hex.utf8), of: v.parts))
    XCTAssertFalse(signer.verify(signature: Data(v.hex.dropLast().utf8), of: v.parts))
    XCTAssertFalse(signer.verify(signature: Data(), of: v.parts))
    var flipped = Array(v.hex.utf8)
    flipped[10] = flipped[10] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
    XCTAssertFalse(signer.verify(signature: Data(flipped), of: v.parts))
  }

  func testEmptyKeyDisablesSigning() {
    let signer = MessageSigner(key: "")
    XCTAssertFalse(signer.isEnabled)
    XCTAssertEqual(signer.signature(of: Self.vectors[0].parts), "")
    XCTAssertTrue(signer.verify(signature: Data("anything".utf8), of: Self.vectors[0].parts))
  }
}
