// Each way a weight file can be wrong gives one typed error whose one-line message names it.
import Foundation
import KerasImport
import XCTest

final class KerasWeightFileErrorTests: XCTestCase {
  private var directory: URL!

  override func setUpWithError() throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("glimpse-kh5-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: directory)
  }

  /// Writes `bytes` to a file `name` in the test's directory.
  private func write(_ bytes: [UInt8], _ name: String) throws -> String {
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
  }

  /// The error reading `path` throws, checked to be a one-line KerasFileError.
  private func error(reading path: String, line: UInt = #line) -> KerasFileError? {
    let before = HDF5Count.now
    defer { XCTAssertEqual(HDF5Count.now, before, "handles leaked", line: line) }
    do {
      _ = try KerasWeightFile.read(path: path)
      XCTFail("read \(path) without error", line: line)
      return nil
    } catch let error as KerasFileError {
      XCTAssertFalse("\(error)".contains("\n"), "one line: \(error)", line: line)
      XCTAssertTrue("\(error)".contains(path), "names the file: \(error)", line: line)
      return error
    } catch {
      XCTFail("not a KerasFileError: \(error)", line: line)
      return nil
    }
  }

  func testMissingFile() {
    let path = directory.appendingPathComponent("vgg16.h5").path
    XCTAssertEqual(error(reading: path), .fileNotFound(path: path))
    XCTAssertEqual("\(KerasFileError.fileNotFound(path: path))", "no such file: '\(path)'")
  }

  func testDirectory() {
    let path = directory.path
    guard case .unreadable(_, _, let detail) = error(reading: path) else {
      return XCTFail("a directory is unreadable")
    }
    XCTAssertEqual(detail, "it is a directory")
  }

  func testNotHDF5SaysWhatTheFileLooksLike() throws {
    let cases: [([UInt8], String)] = [
      ([0xff, 0xd8, 0xff, 0xe0, 0, 0x10] + Array("JFIF".utf8), "a JPEG image"),
      (Array("layer_names: block1_conv1\n".utf8), "a text file"),
      (
        Array("<!DOCTYPE html><html>Not found</html>".utf8),
        "an HTML page, perhaps a failed download"
      ),
      ([], "an empty file"),
      ([0, 1, 2, 3, 200, 201, 0, 0, 9], "binary data starting 00 01 02 03 c8 c9 00 00"),
    ]
    for (index, (bytes, content)) in cases.enumerated() {
      let path = try write(bytes, "case\(index).h5")
      XCTAssertEqual(error(reading: path), .notHDF5(path: path, content: content))
    }
    let path = try write([0x50, 0x4b, 0x03, 0x04, 20, 0], "model.keras")
    guard case .notHDF5(_, let content) = error(reading: path) else { return XCTFail() }
    XCTAssertTrue(content.contains("model.weights.h5"), content)
    let message = "\(KerasFileError.notHDF5(path: "a.h5", content: "a JPEG image"))"
    XCTAssertTrue(message.contains("not an HDF5 file") && message.contains("JPEG"), message)
  }

  func testTruncatedFileSaysTruncatedOrDamaged() throws {
    let whole = try Data(contentsOf: URL(fileURLWithPath: H5Fixture.path("tiny_legacy.h5")))
    for length in [8, 100, 1000, whole.count / 2, whole.count - 1] {
      let path = try write(Array(whole.prefix(length)), "cut\(length).h5")
      let failure = error(reading: path)
      guard case .damaged = failure else {
        XCTFail("\(length): \(String(describing: failure))")
        continue
      }
      let message = "\(failure!)"
      XCTAssertTrue(message.contains("looks truncated or damaged"), message)
    }
    // The sizes are given when the superblock is intact but the end is missing.
    let path = try write(Array(whole.prefix(1000)), "start.h5")
    XCTAssertEqual(
      error(reading: path),
      .damaged(
        path: path,
        detail: "the file has 1000 bytes but its HDF5 superblock records \(whole.count)"))
  }

  func testHDF5FileThatIsNotKerasSaysWhatWasExpected() {
    let path = H5Fixture.path("plain.h5")
    let found =
      "members 'double', 'group', 'half', 'ints', 'random', ... (7 in all) and no attributes "
      + "at the root"
    XCTAssertEqual(error(reading: path), .notKerasWeights(path: path, found: found))
    let message = "\(error(reading: path)!)"
    XCTAssertTrue(message.contains("expected a 'layer_names' attribute"), message)
    XCTAssertTrue(message.contains("'layers' group (Keras 3 .weights.h5)"), message)
  }

  func testDatasetThatCannotBeReadNamesItAndHDF5sCause() {
    // tiny_lzf.h5 compresses a kernel with h5py's LZF filter, which libhdf5 alone lacks.
    let path = H5Fixture.path("tiny_lzf.h5")
    guard case .unreadable(_, let object, let detail) = error(reading: path) else {
      return XCTFail("expected an unreadable dataset")
    }
    XCTAssertEqual(object, "dataset '/block1_conv1/block1_conv1/kernel:0'")
    XCTAssertEqual(
      detail,
      "reading its values failed (required filter 'lzf' is not registered; "
        + "data pipeline read failed)")
  }
}
