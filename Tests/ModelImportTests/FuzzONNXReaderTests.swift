// Broken bytes must give an error, never a crash, a hang or a huge allocation.
import Engine
import Foundation
import ModelImport
import Network
import TestSupport
import XCTest

final class FuzzONNXReaderTests: XCTestCase {
  func testEveryTruncationOfASmallModelIsAnError() throws {
    let bytes = try ONNXWriter.encode(smallModel())
    XCTAssertNoThrow(try ONNXFile(bytes: bytes).parseModel())
    for length in 0..<bytes.count {
      let prefix = Array(bytes.prefix(length))
      switch importError(try ONNXFile(bytes: prefix).parseModel()) {
      case .truncated(let offset, _)?, .malformed(let offset, _)?:
        XCTAssertTrue((0...length).contains(offset), "prefix \(length): offset \(offset)")
      case let other?: XCTFail("prefix \(length): \(other)")
      case nil: XCTFail("prefix \(length) parsed")
      }
    }
  }

  func testEveryTruncationOfTheOnnxFixtureIsHandled() throws {
    // This one ends with two opset_import fields, so a cut between them is a valid model.
    let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: fixturePath("reader-cases.onnx"))))
    var parsed = 0
    for length in 0..<bytes.count where exercise(Array(bytes.prefix(length))) { parsed += 1 }
    XCTAssertEqual(parsed, 1)
  }

  func testSeededMutationsNeverCrash() throws {
    let seeds = [
      try ONNXWriter.encode(smallModel()),
      try Array(Data(contentsOf: URL(fileURLWithPath: fixturePath("reader-cases.onnx")))),
    ]
    var random = SplitMix64(seed: 20_241_128)
    var outcomes = (parsed: 0, failed: 0)
    let rounds = 20_000
    for round in 0..<rounds {
      var bytes = seeds[round % seeds.count]
      for _ in 0...(random.next() % 4) { mutate(&bytes, &random) }
      if exercise(bytes) { outcomes.parsed += 1 } else { outcomes.failed += 1 }
    }
    print("mutations: \(outcomes)")
    // Both outcomes must be common, or the mutations are not probing the parser.
    XCTAssertGreaterThan(outcomes.parsed, rounds / 50, "\(outcomes)")
    XCTAssertGreaterThan(outcomes.failed, rounds / 4, "\(outcomes)")
  }

  func testMutationsOfTheRealModelNeverCrash() throws {
    let seed = try Array(Data(contentsOf: URL(fileURLWithPath: ONNXReaderModelTests.modelPath)))
    var random = SplitMix64(seed: 99)
    var parsed = 0
    for _ in 0..<150 {
      var bytes = seed
      // Mostly in the first kilobytes, where the graph and the first tensors' headers are.
      for _ in 0...(random.next() % 3) {
        var head = Array(bytes.prefix(4096))
        mutate(&head, &random)
        bytes.replaceSubrange(0..<min(4096, bytes.count), with: head)
      }
      if exercise(bytes, convert: false) { parsed += 1 }
    }
    print("real-model mutations parsed: \(parsed)/150")
  }

  func testRandomBytesNeverCrash() {
    var random = SplitMix64(seed: 7)
    for _ in 0..<3000 {
      let count = Int(random.next() % 200)
      let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
      _ = exercise(bytes)
    }
  }

  // MARK: - Helpers

  /// Parses `bytes`, converts every tensor and re-encodes the model; true when it parsed.
  /// Any error is fine; only a ModelImportError is expected.
  @discardableResult
  private func exercise(_ bytes: [UInt8], convert: Bool = true) -> Bool {
    let file = ONNXFile(bytes: bytes)
    let model: ONNXModel
    do {
      model = try file.parseModel()
    } catch is ModelImportError {
      return false
    } catch {
      XCTFail("unexpected error type \(error)")
      return false
    }
    guard convert else { return true }
    var tensors = model.graph.initializers
    for node in model.graph.nodes {
      for attribute in node.attributes.values {
        if case .tensor(let t) = attribute { tensors.append(t) }
        if case .tensors(let ts) = attribute { tensors += ts }
      }
    }
    for tensor in tensors {
      do { _ = try file.value(of: tensor) } catch is ModelImportError {} catch {
        XCTFail("unexpected error type \(error)")
      }
    }
    _ = try? ONNXWriter.encode(model, source: file)
    return true
  }

  private func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix64) {
    let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
    switch random.next() % 7 {
    case 0 where !bytes.isEmpty:  // flip one bit
      bytes[position] ^= 1 << UInt8(random.next() % 8)
    case 1 where !bytes.isEmpty:  // overwrite with an interesting byte
      let values: [UInt8] = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x3a, 0x42]
      bytes[position] = values[Int(random.next() % UInt64(values.count))]
    case 2:  // insert random bytes
      let inserted = (0..<(1 + random.next() % 4)).map { _ in
        UInt8(truncatingIfNeeded: random.next())
      }
      bytes.insert(contentsOf: inserted, at: position)
    case 3 where !bytes.isEmpty:  // delete a short run
      bytes.removeSubrange(position..<min(bytes.count, position + 1 + Int(random.next() % 8)))
    case 4:  // truncate
      bytes.removeSubrange(position..<bytes.count)
    case 5:  // a huge varint (a length or count far beyond the file)
      bytes.insert(
        contentsOf: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], at: position)
    default:  // duplicate a chunk (repeats fields, shifts lengths)
      let end = min(bytes.count, position + Int(random.next() % 32))
      bytes.insert(contentsOf: bytes[position..<end], at: end)
    }
  }
}
