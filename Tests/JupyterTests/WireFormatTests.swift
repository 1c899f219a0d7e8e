// Multipart framing, JSON round trips, malformed input, connection files and dates.
import Foundation
import JupyterProtocol
import XCTest

final class WireFormatTests: XCTestCase {
  let signer = MessageSigner(key: "a0436f6c-1916-498b-8eb9-e81ab9368e84")

  func sampleMessage(buffers: [Data] = []) -> Message {
    var parent = MessageHeader(msgType: "execute_request", session: "client-1", username: "u")
    parent.extra = ["subshell_id": nil]
    return Message(
      header: MessageHeader(msgType: "display_data", session: "kernel-1"), parentHeader: parent,
      metadata: ["image/png": ["width": 640, "height": 480]],
      content: [
        "data": ["text/plain": "<image>", "image/png": "iVBORw0KGgo="],
        "metadata": [:], "transient": ["display_id": "d1"], "ratio": 0.5, "flag": true,
        "list": [1, "two", nil, ["x": []]], "text": "ünïcødé 🎉 \"quoted\" \\ / \n",
      ],
      buffers: buffers)
  }

  func testRoundTripWithAnyIdentitiesAndBuffers() throws {
    for identityCount in 0...3 {
      for bufferCount in 0...2 {
        let identities = (0..<identityCount).map { Data([0, UInt8($0), 0xff, 0x7f, 0x10]) }
        // The second buffer looks like the delimiter: only the first delimiter splits.
        let buffers = (0..<bufferCount).map {
          $0 == 1 ? WireMessage.delimiter : Data(repeating: UInt8($0 + 1), count: 3 + $0)
        }
        let wire = WireMessage(identities: identities, message: sampleMessage(buffers: buffers))
        let frames = try wire.frames(signedBy: signer)
        XCTAssertEqual(frames.count, identityCount + 6 + bufferCount)
        XCTAssertEqual(frames[identityCount], WireMessage.delimiter)
        let decoded = try WireMessage(frames: frames, verifiedBy: signer)
        XCTAssertEqual(decoded, wire, "identities \(identityCount), buffers \(bufferCount)")
      }
    }
  }

  func testEncodedFramesUseSnakeCaseAndEchoParentExtras() throws {
    let frames = try sampleMessage().jsonFrames()
    let header = try JSONSerialization.jsonObject(with: frames[0]) as! [String: Any]
    XCTAssertEqual(
      Set(header.keys), ["msg_id", "msg_type", "session", "username", "date", "version"])
    XCTAssertEqual(header["version"] as? String, "5.3")
    let parent = try JSONSerialization.jsonObject(with: frames[1]) as! [String: Any]
    XCTAssertTrue(parent.keys.contains("subshell_id"), "unknown header keys are echoed")
    XCTAssertEqual(String(decoding: frames[2], as: UTF8.self),
      #"{"image/png":{"height":480,"width":640}}"#)
  }

  func testSignatureCoversTheFourJSONFrames() throws {
    let frames = try WireMessage(message: sampleMessage()).frames(signedBy: signer)
    XCTAssertEqual(
      String(decoding: frames[1], as: UTF8.self), signer.signature(of: Array(frames[2...5])))
  }

  func testBadSignatureIsRejectedBeforeParsing() throws {
    var frames = try WireMessage(identities: [Data("id".utf8)], message: sampleMessage())
      .frames(signedBy: signer)
    // Tampered content under the old signature.
    frames[5] = Data(#"{"code":"rm -rf /"}"#.utf8)
    XCTAssertThrowsError(try WireMessage(frames: frames, verifiedBy: signer)) {
      XCTAssertEqual($0 as? WireError, .badSignature)
    }
    // Garbage JSON with a garbage signature still reports the signature, not the JSON.
    frames[2] = Data("not json".utf8)
    XCTAssertThrowsError(try WireMessage(frames: frames, verifiedBy: signer)) {
      XCTAssertEqual($0 as? WireError, .badSignature)
    }
    // Signed with another key.
    let other = try WireMessage(message: sampleMessage()).frames(signedBy: MessageSigner(key: "x"))
    XCTAssertThrowsError(try WireMessage(frames: other, verifiedBy: signer))
  }

  func testMalformedMultipartIsRejectedWithTheReason() throws {
    let good = try WireMessage(identities: [Data("id".utf8)], message: sampleMessage())
      .frames(signedBy: signer)
    XCTAssertThrowsError(try WireMessage(frames: [], verifiedBy: signer)) {
      XCTAssertEqual($0 as? WireError, .missingDelimiter)
    }
    XCTAssertThrowsError(try WireMessage(frames: good.filter { $0 != WireMessage.delimiter },
      verifiedBy: signer)) { XCTAssertEqual($0 as? WireError, .missingDelimiter) }
    for keep in 1..<6 {
      let cut = Array(good.prefix(1 + keep))
      XCTAssertThrowsError(try WireMessage(frames: cut, verifiedBy: signer)) {
        XCTAssertEqual($0 as? WireError, .tooFewFrames(keep - 1))
      }
    }
  }

  func testInvalidJSONAndMissingFieldsNameTheFrame() throws {
    let open = MessageSigner(key: "")
    func frames(_ header: String, content: String = "{}") -> [Data] {
      [WireMessage.delimiter, Data()] + [header, "{}", "{}", content].map { Data($0.utf8) }
    }
    let header = #"{"msg_id":"1","msg_type":"execute_request","session":"s"}"#
    XCTAssertNoThrow(try WireMessage(frames: frames(header), verifiedBy: open))
    let cases: [([Data], String)] = [
      (frames("{"), "header"),
      (frames(#"{"msg_type":"x"}"#), "header"),
      (frames(#"{"msg_id":1,"msg_type":"x"}"#), "header"),
      (frames(header, content: "[1,2]"), "content"),
      (frames(header, content: "\u{ff}"), "content"),
    ]
    for (bad, frame) in cases {
      XCTAssertThrowsError(try WireMessage(frames: bad, verifiedBy: open)) { error in
        guard case .invalidJSON(let name, _) = error as? WireError else {
          return XCTFail("expected invalidJSON, got \(error)")
        }
        XCTAssertEqual(name, frame)
      }
    }
  }

  func testJSONValueKeepsIntegersApartFromDoubles() throws {
    let value: JSONValue = ["count": 3, "ratio": 0.25, "big": .int(Int.max), "neg": -7]
    let text = String(decoding: try JSONWire.encoder.encode(value), as: UTF8.self)
    XCTAssertEqual(text, #"{"big":9223372036854775807,"count":3,"neg":-7,"ratio":0.25}"#)
    XCTAssertEqual(try JSONWire.decoder.decode(JSONValue.self, from: Data(text.utf8)), value)
  }

  func testConnectionFile() throws {
    let json = #"""
      {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004,
       "hb_port": 5005, "ip": "127.0.0.1", "key": "k", "transport": "tcp",
       "signature_scheme": "hmac-sha256", "kernel_name": "glimpse"}
      """#
    let info = try ConnectionInfo(json: Data(json.utf8))
    XCTAssertEqual(info.controlPort, 5004)
    XCTAssertEqual(info.endpoint(port: info.hbPort), "tcp://127.0.0.1:5005")
    var ipc = info
    ipc.transport = "ipc"
    ipc.ip = "/tmp/kernel"
    XCTAssertEqual(ipc.endpoint(port: 5001), "ipc:///tmp/kernel-5001")
    let md5 = json.replacingOccurrences(of: "hmac-sha256", with: "hmac-md5")
    XCTAssertThrowsError(try ConnectionInfo(json: Data(md5.utf8))) {
      XCTAssertEqual($0 as? ConnectionFileError, .unsupportedSignatureScheme("hmac-md5"))
    }
    let udp = json.replacingOccurrences(of: #""tcp""#, with: #""udp""#)
    XCTAssertThrowsError(try ConnectionInfo(json: Data(udp.utf8))) {
      XCTAssertEqual($0 as? ConnectionFileError, .unsupportedTransport("udp"))
    }
    let missing = json.replacingOccurrences(of: #""hb_port": 5005,"#, with: "")
    XCTAssertThrowsError(try ConnectionInfo(json: Data(missing.utf8))) {
      XCTAssertEqual($0 as? ConnectionFileError, .invalid(reason: "missing field 'hb_port'"))
    }
  }

  func testTimestampsRoundTripWithMicroseconds() throws {
    let date = Date(timeIntervalSince1970: 1_714_557_600.123456)
    let text = ISO8601Timestamp.string(from: date)
    XCTAssertEqual(text, "2024-05-01T10:00:00.123456Z")
    let back = try XCTUnwrap(ISO8601Timestamp.date(from: text))
    XCTAssertEqual(back.timeIntervalSince1970, date.timeIntervalSince1970, accuracy: 1e-6)
    let offset = try XCTUnwrap(ISO8601Timestamp.date(from: "2024-05-01T12:00:00+02:00"))
    XCTAssertEqual(offset.timeIntervalSince1970, 1_714_557_600, accuracy: 1e-6)
    XCTAssertNil(ISO8601Timestamp.date(from: "2024-05-01 noon"))
  }
}
