// Times KerasWeightFile.read on a big file named by GLIMPSE_KERAS_H5_BENCH (skipped otherwise):
// a measurement to run by hand, e.g. on a VGG16-sized legacy file (553 MB) written with h5py.
import Foundation
import KerasImport
import XCTest

final class KerasWeightFileSpeedTests: XCTestCase {
  func testReadSpeedOfABigFile() throws {
    guard let path = ProcessInfo.processInfo.environment["GLIMPSE_KERAS_H5_BENCH"] else {
      throw XCTSkip("set GLIMPSE_KERAS_H5_BENCH to a Keras weight file to time reading it")
    }
    let bytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    var seconds: [Double] = []
    var floats = 0
    for _ in 0..<3 {
      let start = Date()
      let weights = try KerasWeightFile.read(path: path)
      seconds.append(Date().timeIntervalSince(start))
      floats = weights.layers.reduce(0) { $0 + $1.tensors.reduce(0) { $0 + $1.count } }
    }
    let median = seconds.sorted()[1]
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print(
      "read \(floats) floats (\(bytes) bytes) in",
      seconds.map { String(format: "%.3f s", $0) }.joined(separator: ", "),
      String(format: "; median %.3f s, %.0f MB/s;", median, Double(bytes) / median / 1e6),
      "peak RSS \(usage.ru_maxrss / 1024) MB")
    XCTAssertEqual(floats * 4, bytes, accuracy: bytes / 100, "the weights are most of the file")
  }
}
