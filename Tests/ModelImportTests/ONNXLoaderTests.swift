// ONNXLoader end to end through the real importer, on graphs that need no op builder, and the
// memory contract: a mapped model's tensor pages are released once copied.
import Engine
import Foundation
import ModelImport
import Network
import XCTest

final class ONNXLoaderTests: XCTestCase {
  private var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("onnx-loader-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

  func testLoadsAGraphWithoutNodes() throws {
    // Output "w" is an initializer and "x" passes straight through: no builder is needed.
    var model = smallModel()
    model.graph.nodes = []
    model.graph.outputs = [ONNXValueInfo(name: "x", elementType: 1), ONNXValueInfo(name: "w")]
    let path = try write(model, "tiny.model.onnx")
    let network = try ONNXLoader.load(path: path)
    XCTAssertEqual(network.name, "tiny.model")
    XCTAssertEqual(network.inputs, [TensorSpec(name: "x", shape: [nil, 3, 4, 4])])
    XCTAssertEqual(network.outputs.map(\.name), ["x", "w"])
    XCTAssertEqual(network.constants.keys.sorted(), ["w"])  // unused b and shape are dropped
    XCTAssertEqual(network.constants["w"], .float(Tensor(repeating: 0.25, shape: [2, 3, 1, 1])))
    XCTAssertEqual(try ONNXLoader.load(path: path, name: "named").name, "named")
  }

  func testLoaderErrorsNameTheCause() throws {
    var unknownOp = smallModel()
    unknownOp.graph.nodes[0].opType = "NoSuchOp"
    guard
      case .unsupportedOp(opType: "NoSuchOp", domain: "", node: "conv")? =
        importError(try ONNXLoader.load(path: try write(unknownOp, "a.onnx")))
    else { return XCTFail("unknown op") }

    var customDomain = smallModel()
    customDomain.graph.nodes[0].domain = "com.example"
    guard
      case .unsupportedOp(opType: "Conv", domain: "com.example", node: "conv")? =
        importError(try ONNXLoader.load(path: try write(customDomain, "b.onnx")))
    else { return XCTFail("custom domain") }

    var oldOpset = smallModel()
    oldOpset.opsetImports = ["": 6]
    guard
      case .unsupportedOpset(domain: "", version: 6)? =
        importError(try ONNXLoader.load(path: try write(oldOpset, "c.onnx")))
    else { return XCTFail("opset 6") }

    var badWeights = smallModel()
    badWeights.graph.initializers[0].dims = [2, 3, 1, 2]
    guard
      case .badTensor(name: "w", _)? =
        importError(try ONNXLoader.load(path: try write(badWeights, "d.onnx")))
    else { return XCTFail("weights of the wrong size") }

    var bytes = try ONNXWriter.encode(smallModel())
    bytes.removeLast(3)
    let cut = folder.appendingPathComponent("e.onnx")
    try Data(bytes).write(to: cut)
    guard case .truncated? = importError(try ONNXLoader.load(path: cut.path)) else {
      return XCTFail("truncated file")
    }
    guard
      case .io? = importError(try ONNXLoader.load(path: folder.appendingPathComponent("f").path))
    else { return XCTFail("missing file") }
  }

  #if os(Linux)
    func testTensorPagesAreReleasedAfterConversion() throws {
      let path = ONNXReaderModelTests.modelPath
      let file = try ONNXFile.open(path)
      let model = try file.parseModel()
      var values: [Value] = []
      for tensor in model.graph.initializers { values.append(try file.value(of: tensor)) }
      XCTAssertEqual(values.count, 104)
      // Without the release all 18.6 MB would stay resident. What stays: the graph's own pages
      // and what the kernel's fault-around (up to 64 kB per fault) maps back of each previous
      // tensor when the next one is first read: about 1.2 MB here.
      let resident = try XCTUnwrap(residentKilobytes(ofMappingOf: path))
      XCTAssertLessThan(resident, 4096, "kB of the model still resident")
    }

    /// The `Rss` of this process's mappings of `path` (/proc/self/smaps), in kB.
    private func residentKilobytes(ofMappingOf path: String) throws -> Int? {
      let real = URL(fileURLWithPath: path).standardized.resolvingSymlinksInPath().path
      // NB: /proc files report size 0; read them to the end rather than by their size.
      let handle = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/smaps"))
      let smaps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
      var inMapping = false
      var total: Int?
      for line in smaps.split(separator: "\n") {
        if let first = line.first, first.isHexDigit, line.contains("-") {
          inMapping = line.hasSuffix(real)
        } else if inMapping, line.hasPrefix("Rss:") {
          total = (total ?? 0) + (Int(line.split(separator: " ")[1]) ?? 0)
        }
      }
      return total
    }
  #endif

  private func write(_ model: ONNXModel, _ name: String) throws -> String {
    let url = folder.appendingPathComponent(name)
    try Data(try ONNXWriter.encode(model)).write(to: url)
    return url.path
  }
}
