// Runs the ONNX conformance fixtures (onnx node cases, onnx light models, onnxruntime models)
// through the importer and the executor, and compares every output with the stored one.
import Engine
import Foundation
import ModelImport
import Network
import XCTest

/// One case of a fixture suite's manifest.json (written by Tests/Fixtures/generate/*.py).
struct ConformanceCase: Decodable {
  var name: String
  /// The op under test ("model" for whole networks, a family name for onnxruntime models).
  var op: String
  /// Every op type in the graph.
  var ops: [String]
  var opset: Int
  var inputs: Int
  var outputs: Int
  /// Why Glimpse is known not to match: the case is counted, not failed.
  var expectedFailure: String?
  /// Inputs the harness makes as the onnx runner does (element i of n is i / n), not read.
  var rampInputShapes: [[Int]]?
  /// Intermediate values compared too, with test_data_set_0/kept_i.pb.
  var keptValues: [String]?
  var atol: Double?
  var rtol: Double?
}

/// A fixture suite's manifest.
struct ConformanceManifest: Decodable {
  var cases: [ConformanceCase]
}

/// What running one case gave.
enum ConformanceOutcome {
  case passed
  /// Loading or running threw, or an output differs.
  case failed(String)
  /// The graph uses ops missing from ``OperatorTable``, or an opset the importer lacks.
  case unsupported([String])
}

/// Tallies of one suite, printed as one line.
struct ConformanceTally {
  var passed = 0, failed = 0, unsupported = 0, expectedFailures = 0, unexpectedPasses: [String] = []
  var missingOps: [String: Int] = [:]
  /// Per op under test: (passed, total).
  var perOp: [String: (passed: Int, total: Int)] = [:]
}

/// Element-wise closeness |a - b| <= atol + rtol * |b|; NaN matches NaN, infinities match exactly.
func conformanceMismatch(_ got: Value, _ expected: Value, atol: Double, rtol: Double) -> String? {
  guard got.shape == expected.shape else { return "shape \(got.shape), expected \(expected.shape)" }
  switch (got, expected) {
  case (.int64(let a), .int64(let b)):
    guard let i = a.storage.indices.first(where: { a.storage[$0] != b.storage[$0] }) else {
      return nil
    }
    return "element \(i): \(a.storage[i]), expected \(b.storage[i])"
  case (.float(let a), .float(let b)):
    var worst: (index: Int, excess: Double)? = nil
    for i in 0..<b.count {
      let x = Double(a.storage[i])
      let y = Double(b.storage[i])
      if x == y || x.isNaN && y.isNaN { continue }
      let special = x.isNaN || y.isNaN || x.isInfinite || y.isInfinite
      let excess = special ? Double.infinity : abs(x - y) - (atol + rtol * abs(y))
      if excess > 0, excess > (worst?.excess ?? 0) { worst = (i, excess) }
    }
    guard let worst else { return nil }
    return "element \(worst.index): \(a.storage[worst.index]), expected \(b.storage[worst.index])"
  default:
    return "type \(got.typeName), expected \(expected.typeName)"
  }
}

/// The ramp input the onnx backend runner feeds the light models: element i of n is i / n.
func rampInput(shape: [Int]) -> Value {
  let count = shape.reduce(1, *)
  let storage = (0..<count).map { Float(Double($0) / Double(count)) }
  return .float(Tensor(shape: shape, storage: storage))
}

final class ConformanceTests: XCTestCase {
  /// The copied Fixtures folder of this test target.
  static var fixtures: URL {
    get throws {
      guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
        throw CocoaError(.fileNoSuchFile)
      }
      return url
    }
  }

  func testONNXNodeCases() throws { try runSuite("onnx-node") }

  func testONNXLightModels() throws { try runSuite("onnx-light") }

  func testOnnxruntimeModels() throws { try runSuite("ort") }

  /// Checks the harness itself: a wrong value, shape or type is reported, a close one is not.
  func testMismatchDetection() {
    let expected = Value.float(Tensor(shape: [2], storage: [1, 100]))
    let close = Value.float(Tensor(shape: [2], storage: [1.00005, 100.05]))
    XCTAssertNil(conformanceMismatch(close, expected, atol: 1e-4, rtol: 1e-3))
    let far = Value.float(Tensor(shape: [2], storage: [1, 100.2]))
    XCTAssertNotNil(conformanceMismatch(far, expected, atol: 1e-4, rtol: 1e-3))
    let nan = Value.float(Tensor(shape: [2], storage: [.nan, 100]))
    XCTAssertNotNil(conformanceMismatch(nan, expected, atol: 1e-4, rtol: 1e-3))
    let reshaped = Value.float(Tensor(shape: [1, 2], storage: [1, 100]))
    XCTAssertNotNil(conformanceMismatch(reshaped, expected, atol: 1e-4, rtol: 1e-3))
    XCTAssertNotNil(
      conformanceMismatch(
        .int64(IntTensor(shape: [2], storage: [1, 100])), expected, atol: 1, rtol: 1))
    XCTAssertEqual(rampInput(shape: [1, 2, 2]).floatTensor?.storage, [0, 0.25, 0.5, 0.75])
  }

  /// Every fixture parses whatever the builders support: the models (with the ops and runtime
  /// inputs their manifest lists) and every input and output tensor file.
  func testFixturesParse() throws {
    for suite in ["onnx-node", "onnx-light", "ort"] {
      let directory = try Self.fixtures.appendingPathComponent(suite)
      let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
      for testCase in try JSONDecoder().decode(ConformanceManifest.self, from: data).cases {
        let caseDirectory = directory.appendingPathComponent(testCase.name)
        let label = "\(suite)/\(testCase.name)"
        do {
          let model = try ONNXFile.open(caseDirectory.appendingPathComponent("model.onnx").path)
            .parseModel()
          XCTAssertEqual(Set(model.graph.nodes.map(\.opType)), Set(testCase.ops), label)
          XCTAssertEqual(model.defaultOpset, Int64(testCase.opset), label)
          let constants = Set(model.graph.initializers.map(\.name))
          let runtime = model.graph.inputs.filter { !constants.contains($0.name) }
          XCTAssertEqual(runtime.count, testCase.inputs, label)
          let dataSet = caseDirectory.appendingPathComponent("test_data_set_0")
          let fed = testCase.rampInputShapes == nil ? testCase.inputs : 0
          let files =
            (0..<fed).map { "input_\($0).pb" } + (0..<testCase.outputs).map { "output_\($0).pb" }
            + (testCase.keptValues ?? []).indices.map { "kept_\($0).pb" }
          for file in files {
            let bytes = [UInt8](try Data(contentsOf: dataSet.appendingPathComponent(file)))
            let parsed = try parseTensorProto(bytes)
            XCTAssertEqual(
              parsed.value.shape, parsed.tensor.dims.map { Int($0) }, "\(label)/\(file)")
          }
        } catch {
          XCTFail("\(label): \(error)")
        }
      }
    }
  }

  /// Runs every case of a suite; fails for supported cases that throw or differ.
  func runSuite(_ suite: String) throws {
    let directory = try Self.fixtures.appendingPathComponent(suite)
    let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
    let manifest = try JSONDecoder().decode(ConformanceManifest.self, from: data)
    XCTAssertFalse(manifest.cases.isEmpty, "\(suite): empty manifest")
    // GLIMPSE_CONFORMANCE_FILTER=substring runs the matching cases only (for debugging).
    let filter = ProcessInfo.processInfo.environment["GLIMPSE_CONFORMANCE_FILTER"] ?? ""
    let supported = Set(OperatorTable.supportedOps)
    var tally = ConformanceTally()
    for testCase in manifest.cases where filter.isEmpty || testCase.name.contains(filter) {
      var missing = testCase.ops.filter { !supported.contains($0) }
      if !ONNXImporter.supportedOpsets.contains(Int64(testCase.opset)) {
        missing.append("opset \(testCase.opset)")
      }
      let outcome: ConformanceOutcome =
        missing.isEmpty
        ? run(testCase, in: directory.appendingPathComponent(testCase.name)) : .unsupported(missing)
      record(outcome, of: testCase, suite: suite, into: &tally)
    }
    let perOp = tally.perOp.sorted { $0.key < $1.key }
      .map { "\($0.key) \($0.value.passed)/\($0.value.total)" }.joined(separator: ", ")
    let missingOps = tally.missingOps.sorted {
      $0.value > $1.value || $0.value == $1.value && $0.key < $1.key
    }
    .map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
    print(
      "conformance \(suite): passed \(tally.passed), failed \(tally.failed), "
        + "unsupported-op \(tally.unsupported), expected-failure \(tally.expectedFailures), "
        + "of \(manifest.cases.count)")
    print("  per op (passed/total): \(perOp)")
    if !missingOps.isEmpty { print("  missing ops (cases): \(missingOps)") }
    if !tally.unexpectedPasses.isEmpty {
      let names = tally.unexpectedPasses.joined(separator: ", ")
      print("  now passing, drop their expectedFailure: \(names)")
    }
  }

  private func record(
    _ outcome: ConformanceOutcome, of testCase: ConformanceCase, suite: String,
    into tally: inout ConformanceTally
  ) {
    var counts = tally.perOp[testCase.op] ?? (0, 0)
    counts.total += 1
    switch outcome {
    case .passed:
      tally.passed += 1
      counts.passed += 1
      if testCase.expectedFailure != nil { tally.unexpectedPasses.append(testCase.name) }
    case .unsupported(let ops):
      tally.unsupported += 1
      for op in ops { tally.missingOps[op, default: 0] += 1 }
    case .failed(let message):
      if let reason = testCase.expectedFailure {
        tally.expectedFailures += 1
        print("  expected failure \(testCase.name) (\(reason)): \(message)")
      } else {
        tally.failed += 1
        XCTFail("\(suite)/\(testCase.name) [\(testCase.op), opset \(testCase.opset)]: \(message)")
      }
    }
    tally.perOp[testCase.op] = counts
  }

  /// Loads, feeds, runs and compares one case.
  private func run(_ testCase: ConformanceCase, in directory: URL) -> ConformanceOutcome {
    let dataSet = directory.appendingPathComponent("test_data_set_0")
    do {
      let network = try ONNXLoader.load(
        path: directory.appendingPathComponent("model.onnx").path, name: testCase.name)
      guard network.inputs.count == testCase.inputs else {
        return .failed("\(network.inputs.count) runtime inputs, the case feeds \(testCase.inputs)")
      }
      var feeds: [String: Value] = [:]
      for (index, spec) in network.inputs.enumerated() {
        if let shapes = testCase.rampInputShapes {
          feeds[spec.name] = rampInput(shape: shapes[index])
        } else {
          let file = dataSet.appendingPathComponent("input_\(index).pb")
          let parsed = try parseTensorProto([UInt8](try Data(contentsOf: file)))
          feeds[parsed.tensor.name.isEmpty ? spec.name : parsed.tensor.name] = parsed.value
        }
      }
      let kept = testCase.keptValues ?? []
      let evaluation = try network.forward(feeds, keeping: Set(kept))
      let checks =
        network.outputs.enumerated().map { ($1.name, "output_\($0).pb") }
        + kept.enumerated().map { ($1, "kept_\($0).pb") }
      for (name, file) in checks {
        let bytes = [UInt8](try Data(contentsOf: dataSet.appendingPathComponent(file)))
        let expected = try parseTensorProto(bytes).value
        guard let got = evaluation.values[name] else { return .failed("no value '\(name)'") }
        if let mismatch = conformanceMismatch(
          got, expected, atol: testCase.atol ?? 1e-4, rtol: testCase.rtol ?? 1e-3)
        {
          return .failed("'\(name)': \(mismatch)")
        }
      }
      return .passed
    } catch {
      return .failed("\(error)")
    }
  }
}
