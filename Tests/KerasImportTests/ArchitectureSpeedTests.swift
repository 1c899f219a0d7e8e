// Forward time of VGG16 at 224x224 and Xception at 299x299, batch 1, printed (not asserted:
// the cores are shared). Run with GLIMPSE_PROFILE=1 for the per-op table on stderr.
import Engine
import Foundation
import KerasImport
import Network
import XCTest

final class ArchitectureSpeedTests: XCTestCase {
  /// Median of `runs` forward passes after one warm-up, in milliseconds.
  private func forwardMilliseconds(_ model: KerasArchitecture, runs: Int = 5) throws -> Double {
    let network = try model.network(weights: .seeded(for: model, seed: 1))
    let feeds: [String: Value] = [model.inputName: .float(model.seededInput())]
    _ = try network.forward(feeds)
    var times: [Double] = []
    for _ in 0..<runs {
      let start = Date()
      let run = try network.forward(feeds)
      times.append(Date().timeIntervalSince(start) * 1000)
      XCTAssertEqual(run.tensor(model.outputName)?.shape, model.networkShape(of: model.outputName))
    }
    return times.sorted()[runs / 2]
  }

  func testForwardTimes() throws {
    for model in [try KerasApplications.vgg16(), try KerasApplications.xception()] {
      let ms = try forwardMilliseconds(model)
      print(
        "\(model) forward, batch 1: median \(String(format: "%.0f", ms)) ms"
          + " (\(EngineThreads.count) threads)")
    }
  }
}
