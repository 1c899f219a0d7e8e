import Foundation
import XCTest

/// The `glimpse` binary run as a user runs it: from another directory, with good and bad files.
final class PredictCLITests: XCTestCase {
  /// The built executable, beside this test bundle.
  private var binary: URL {
    Bundle.main.bundleURL.appendingPathComponent("glimpse")
  }

  private func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
  }

  private func scratch(_ name: String, _ bytes: [UInt8]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glimpse-cli-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
  }

  private var modelBytes: [UInt8] {
    get throws {
      let url = Bundle.main.bundleURL.appendingPathComponent("Glimpse_ModelZoo.resources/Resources/efficientnet-lite0.onnx")
      return [UInt8](try Data(contentsOf: url))
    }
  }

  func testPredictsTheBundledCatFromAnotherDirectory() throws {
    let result = try run(["predict", "chelsea", "--top", "3"])
    XCTAssertEqual(result.status, 0, result.err)
    let lines = result.out.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.count, 4, result.out)
    XCTAssertTrue(lines[0].hasPrefix("rank"), lines[0])
    XCTAssertTrue(lines[1].contains("285") && lines[1].contains("n02124075") && lines[1].contains("Egyptian_cat"), lines[1])
    XCTAssertTrue(lines[1].hasSuffix("0.7890"), "probability \(lines[1])")  // golden 0.78897
    XCTAssertTrue(lines[2].contains("tiger_cat") && lines[3].contains("tabby"), result.out)
  }

  /// A Keras model with seeded weights: the table says it is untrained; a missing weights file
  /// is one error line.
  func testPredictsWithAnUntrainedXception() throws {
    let result = try run(["predict", "chelsea", "--model", "xception", "--weights", "random", "--seed", "1", "--top", "2"])
    XCTAssertEqual(result.status, 0, result.err)
    let lines = result.out.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.first, "UNTRAINED xception: random weights, seed 1")
    XCTAssertEqual(lines.count, 4, result.out)
    let missing = try run(["predict", "chelsea", "--model", "vgg16", "--weights", "no/such.h5"])
    XCTAssertEqual(missing.status, 1)
    XCTAssertTrue(missing.err.hasPrefix("error:") && missing.err.contains("no/such.h5"), missing.err)
  }

  /// Each bad input is one `error:` line and exit code 1, never a crash.
  func testBadInputsGiveOneErrorLine() throws {
    let model = try modelBytes
    let photo = [UInt8](try Data(contentsOf: Bundle.main.bundleURL.appendingPathComponent("Glimpse_ModelZoo.resources/Resources/photos/rocket.jpg")))
    var random = SystemRandomNumberGenerator()
    let cases: [(String, [String], String)] = [
      ("truncated model", ["predict", "chelsea", "--model", try scratch("half.onnx", Array(model.prefix(model.count / 2))), "--preprocess", "lite"], "truncated"),
      ("random model", ["predict", "chelsea", "--model", try scratch("noise.onnx", (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }), "--preprocess", "lite"], "ONNX"),
      ("model without preprocessing", ["predict", "chelsea", "--model", try scratch("copy.onnx", model)], "preprocessing"),
      ("truncated JPEG", ["predict", try scratch("cut.jpg", Array(photo.prefix(photo.count / 3)))], "truncated"),
      ("text named .png", ["predict", try scratch("note.png", Array("hello, not a picture\n".utf8))], "not a"),
      ("missing file", ["predict", "/nonexistent/cat.png"], "/nonexistent/cat.png"),
      ("unknown model", ["predict", "chelsea", "--model", "alexnet"], "unknown model"),
    ]
    for (label, arguments, expected) in cases {
      let result = try run(arguments)
      XCTAssertEqual(result.status, 1, "\(label): \(result.err)")
      let lines = result.err.split(separator: "\n")
      XCTAssertEqual(lines.count, 1, "\(label): \(result.err)")
      XCTAssertTrue(result.err.hasPrefix("error: "), "\(label): \(result.err)")
      XCTAssertTrue(result.err.localizedCaseInsensitiveContains(expected), "\(label): \(result.err)")
    }
  }
}
