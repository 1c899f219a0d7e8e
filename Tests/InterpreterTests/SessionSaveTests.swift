// `save`: rendered pictures as PNG, raw maps as NumPy .npy at their native resolution.
import Foundation
import Imaging
import Interpreter
import XCTest

final class SessionSaveTests: XCTestCase {
  /// The `.npy` header's shape and the float32 payload's size.
  private func npy(_ url: URL) throws -> (shape: String, values: [Float]) {
    let bytes = [UInt8](try Data(contentsOf: url))
    XCTAssertEqual(Array(bytes.prefix(8)), [0x93] + Array("NUMPY".utf8) + [1, 0])
    let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
    XCTAssertTrue(header.contains("'descr': '<f4'"), header)
    let shape = header.components(separatedBy: "'shape': ")[1].components(separatedBy: ")")[0] + ")"
    let payload = Array(bytes[(10 + headerLength)...])
    let values = stride(from: 0, to: payload.count, by: 4).map { i in
      Float(
        bitPattern: UInt32(payload[i]) | UInt32(payload[i + 1]) << 8
          | UInt32(payload[i + 2]) << 16 | UInt32(payload[i + 3]) << 24)
    }
    return (shape, values)
  }

  func testSavePNGAndNPY() throws {
    let folder = try temporaryDirectory(self)
    let session = Session(directory: folder)
    XCTAssertOK(session.run("load\nimage rocket\ngradcam\nsave cam.png\nsave cam.npy last"))
    let picture = try Image(contentsOfFile: folder.appendingPathComponent("cam.png").path)
    XCTAssertEqual([picture.width, picture.height], [640, 427])
    let cam = try npy(folder.appendingPathComponent("cam.npy"))
    XCTAssertEqual(cam.shape, "(7, 7)")
    XCTAssertEqual(cam.values.count, 49)
    XCTAssertTrue(cam.values.allSatisfy { $0 >= 0 } && cam.values.contains { $0 > 0 })

    XCTAssertOK(
      session.run("saliency top=2\nsave sal.npy\nsave photo.png rocket\nsave g.npy gradcam"))
    let saliency = try npy(folder.appendingPathComponent("sal.npy"))
    XCTAssertEqual(saliency.shape, "(2, 3, 224, 224)")
    XCTAssertEqual(saliency.values.count, 2 * 3 * 224 * 224)
    XCTAssertEqual(try npy(folder.appendingPathComponent("g.npy")).values, cam.values)
    let photo = try Image(contentsOfFile: folder.appendingPathComponent("photo.png").path)
    let original = try decodedPNG(try XCTUnwrap(session.run("show rocket").sink.pictures.first))
    XCTAssertEqual(photo, original)
  }

  func testSaveErrors() throws {
    let folder = try temporaryDirectory(self)
    let session = Session(directory: folder)
    XCTAssertOK(session.run("load\nimage chelsea"))
    XCTAssertEqual(
      diagnosticText(session.run("save cam.png")),
      """
      error: there is no result yet
       --> line 1, column 1
        | save cam.png
        | ^^^^ run an explanation first, e.g. gradcam
      """)
    XCTAssertOK(session.run("gradcam"))
    XCTAssertEqual(
      diagnosticText(session.run("save cam.jpg")),
      """
      error: cannot tell what to write from 'cam.jpg'
       --> line 1, column 6
        | save cam.jpg
        |      ^^^^^^^ end the path in .png (the picture) or .npy (the raw map)
      """)
    XCTAssertEqual(
      diagnosticText(session.run("save x.npy chelsea"))?.split(separator: "\n").first,
      "error: image chelsea has no raw map")
    XCTAssertNotNil(diagnosticText(session.run("save no/such/dir/cam.png")))
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
  }
}
