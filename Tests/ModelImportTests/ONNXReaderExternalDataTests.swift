// Tensors stored in files beside the model, and locations that try to leave its folder.
import Engine
import Foundation
import ModelImport
import Network
import XCTest

final class ONNXReaderExternalDataTests: XCTestCase {
  private var folder: URL!
  private let floats: [Float] = [1, 2, 3, 4, 5]

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("onnx-external-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
    var bytes: [UInt8] = [9, 9, 9, 9, 9, 9, 9, 9]  // 8 bytes before the tensor
    for v in floats { withUnsafeBytes(of: v) { bytes += $0 } }
    try Data(bytes).write(to: folder.appendingPathComponent("weights.bin"))
    try Data(bytes).write(to: folder.appendingPathComponent("sub/w.bin"))
    try Data(bytes).write(
      to: folder.deletingLastPathComponent().appendingPathComponent(
        folder.lastPathComponent + "-outside.bin"))
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent("link.bin").path,
      withDestinationPath: folder.path + "-outside.bin")
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
    try? FileManager.default.removeItem(atPath: folder.path + "-outside.bin")
  }

  func testExternalTensorsAreReadAtTheirOffset() throws {
    XCTAssertEqual(
      try load("weights.bin", offset: "8", length: "20", dims: [5]),
      .float(Tensor(shape: [5], storage: floats)))
    XCTAssertEqual(
      try load("sub/w.bin", offset: "12", length: "8", dims: [2]),
      .float(Tensor(shape: [2], storage: [2, 3])))
    XCTAssertEqual(
      try load("./sub/../weights.bin", offset: "24", length: nil, dims: [1, 1]),
      .float(Tensor(shape: [1, 1], storage: [5])))
    // Through a model file opened from disk: its folder is where the data is looked up.
    let model = modelBytes(initializer: externalTensor("weights.bin", "8", "20", dims: [5]))
    let path = folder.appendingPathComponent("model.onnx").path
    try Data(model).write(to: URL(fileURLWithPath: path))
    let file = try ONNXFile.open(path)
    XCTAssertEqual(file.directory, folder.path)
    XCTAssertEqual(
      try file.value(of: file.parseModel().graph.initializers[0]),
      .float(Tensor(shape: [5], storage: floats)))
  }

  func testLocationsLeavingTheFolderAreRefused() {
    let outside = "../" + folder.lastPathComponent + "-outside.bin"
    for location in ["/etc/hostname", outside, "sub/../../x.bin", "sub/../" + outside, "link.bin"] {
      guard
        case .badTensor(name: "ext", let message)? =
          importError(try load(location, offset: "8", length: "4", dims: [1]))
      else {
        XCTFail("\(location) was not refused")
        continue
      }
      XCTAssertTrue(message.contains(location), message)
    }
  }

  func testOffsetsAndLengthsAreBoundsChecked() {
    for (offset, length) in [("29", nil), ("0", "29"), ("24", "8"), ("100", "4")] {
      guard
        case .badTensor(name: "ext", _)? =
          importError(try load("weights.bin", offset: offset, length: length, dims: [1]))
      else {
        XCTFail("offset \(offset) length \(length ?? "nil") accepted")
        continue
      }
    }
    // In bounds but the wrong size for the dims.
    guard
      case .badTensor(name: "ext", _)? =
        importError(try load("weights.bin", offset: "8", length: "8", dims: [3]))
    else { return XCTFail("length/dims mismatch accepted") }
  }

  func testMissingFilesAndMissingFoldersAreErrors() throws {
    guard case .io? = importError(try load("absent.bin", offset: "0", length: nil, dims: [1]))
    else {
      return XCTFail("missing file")
    }
    let noFolder = ONNXFile(bytes: modelBytes(initializer: externalTensor("weights.bin", "8", "4")))
    let tensor = try noFolder.parseModel().graph.initializers[0]
    guard case .badTensor? = importError(try noFolder.value(of: tensor)) else {
      return XCTFail("external data without a folder")
    }
    guard
      case .io? = importError(try ONNXFile.open(folder.appendingPathComponent("none.onnx").path))
    else { return XCTFail("opening a missing model") }
    guard case .io? = importError(try ONNXFile.open(folder.path)) else {
      return XCTFail("opening a folder")
    }
  }

  func testBadExternalEntriesAreMalformed() {
    for tensor in [
      Wire().varint(1, 1).varint(2, 1).message(13, entry("offset", "0")).varint(14, 1),
      externalTensor("weights.bin", "-4", nil), externalTensor("weights.bin", "8", "x"),
    ] {
      guard
        case .malformed? = importError(
          try ONNXFile(bytes: modelBytes(initializer: tensor))
            .parseModel())
      else {
        XCTFail("accepted \(tensor.bytes)")
        continue
      }
    }
  }

  // MARK: - Helpers

  private func entry(_ key: String, _ value: String) -> Wire {
    Wire().string(1, key).string(2, value)
  }

  private func externalTensor(
    _ location: String, _ offset: String, _ length: String?, dims: [Int64] = [1]
  ) -> Wire {
    var tensor = Wire()
    for d in dims { tensor = tensor.varint(1, d) }
    tensor = tensor.varint(2, 1).string(8, "ext").message(13, entry("location", location))
      .message(13, entry("offset", offset))
    if let length { tensor = tensor.message(13, entry("length", length)) }
    return tensor.varint(14, 1)
  }

  private func load(_ location: String, offset: String, length: String?, dims: [Int64]) throws
    -> Value
  {
    let bytes = modelBytes(initializer: externalTensor(location, offset, length, dims: dims))
    let file = ONNXFile(bytes: bytes, directory: folder.path)
    return try file.value(of: file.parseModel().graph.initializers[0])
  }
}
