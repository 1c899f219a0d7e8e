// A measurement, not a check: time and peak memory to parse a large model and convert its
// tensors. Skipped unless GLIMPSE_ONNX_BENCH names a model, e.g. the 553 MB VGG16 written by
// scripts/bench/make_vgg16_random.py:
//   GLIMPSE_ONNX_BENCH=/tmp/vgg16-random.onnx swift test --filter ONNXReaderBenchTests
import Engine
import Foundation
import ModelImport
import Network
import XCTest

final class ONNXReaderBenchTests: XCTestCase {
  func testParseAndConvertTimeAndPeakMemory() throws {
    guard let path = ProcessInfo.processInfo.environment["GLIMPSE_ONNX_BENCH"] else {
      throw XCTSkip("set GLIMPSE_ONNX_BENCH=<model.onnx> to measure")
    }
    let clock = ContinuousClock()
    let baseline = (peak: peakResidentBytes(), now: residentBytes())
    let start = clock.now
    let file = try ONNXFile.open(path)
    let model = try file.parseModel()
    let parsed = clock.now
    var values: [Value] = []
    values.reserveCapacity(model.graph.initializers.count)
    for tensor in model.graph.initializers { values.append(try file.value(of: tensor)) }
    let converted = clock.now
    let peak = peakResidentBytes()
    let after = residentBytes()
    let bytes = values.reduce(0) { total, value in
      switch value {
      case .float(let t): return total + t.count * 4
      case .int64(let t): return total + t.count * 8
      }
    }
    let mb = { (b: Int) in String(format: "%.1f MB", Double(b) / 1e6) }
    print(
      """
      model \(path): \(mb(file.count)), \(model.graph.nodes.count) nodes, \
      \(model.graph.initializers.count) initializers (\(mb(bytes)) of elements)
      parse \(parsed - start), convert \(converted - parsed), total \(converted - start)
      resident: before \(mb(baseline.now)), after \(mb(after)); peak \(mb(peak)) \
      (peak before \(mb(baseline.peak))); peak growth / file size = \
      \(String(format: "%.2f", Double(peak - baseline.now) / Double(file.count)))
      """)
    XCTAssertLessThanOrEqual(bytes, file.count)
    do {
      _ = try ONNXLoader.load(path: path)
      print("ONNXLoader.load: built the network in \(clock.now - converted)")
    } catch {
      print("ONNXLoader.load: \(error)")
    }
  }
}

/// The process's peak resident set so far (getrusage; Linux reports kilobytes).
private func peakResidentBytes() -> Int {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Int(usage.ru_maxrss) * 1024
}

/// The process's resident set now (/proc/self/statm, in pages).
private func residentBytes() -> Int {
  guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
    return 0
  }
  let fields = text.split(separator: " ")
  return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}
