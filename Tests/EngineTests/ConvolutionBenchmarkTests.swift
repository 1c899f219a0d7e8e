import Engine
import XCTest

/// Prints backend timings when `GLIMPSE_BENCH=conv` (a benchmark run, not a check).
///
/// `GLIMPSE_BENCH=conv swift test --filter ConvolutionBenchmarkTests`
final class ConvolutionBenchmarkTests: XCTestCase {
  func testPrintConvolutionTimings() throws {
    guard ProcessInfo.processInfo.environment["GLIMPSE_BENCH"] == "conv" else {
      throw XCTSkip("set GLIMPSE_BENCH=conv to run the convolution benchmark")
    }
    print("OpenBLAS core: \(ConvolutionBenchmark.blasCore)")
    let only = ProcessInfo.processInfo.environment["GLIMPSE_BENCH_SHAPES"]
    for shape in ConvolutionBenchmark.standardShapes where only.map({ shape.label.contains($0) }) ?? true {
      for batch in [1, 8] {
        for threads in [1, 2] {
          for row in ConvolutionBenchmark.measure(shape.batch(batch), threads: threads) { print(row) }
        }
      }
    }
  }
}
