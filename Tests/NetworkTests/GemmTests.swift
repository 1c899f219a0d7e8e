import Engine
@testable import Network
import TestSupport
import XCTest

/// Gemm with constant weights (oneDNN inner product) against Gemm on the same inputs at run time.
final class GemmTests: XCTestCase {
  func testPreparedLayersMatchTheGeneralProduct() throws {
    var rng = SplitMix64(seed: 61)
    let (m, k, n) = (3, 11, 6)
    let biases: [Tensor?] = [
      nil, rng.tensor([]), rng.tensor([1]), rng.tensor([n]), rng.tensor([1, n]), rng.tensor([m, n]),
      rng.tensor([m, 1]),
    ]
    for transB in [false, true] {
      for (alpha, beta) in [(Float(1), Float(1)), (0.5, 2)] {
        for c in biases {
          let b = rng.tensor(transB ? [n, k] : [k, n])
          let general = Gemm(transB: transB, alpha: alpha, beta: beta)
          let prepared = Gemm(transB: transB, alpha: alpha, beta: beta, weights: b, bias: c)
          let label = "transB \(transB) alpha \(alpha) beta \(beta) C \(c?.shape.description ?? "none")"
          // C as a row (or absent) takes the inner product; [M, N] and [M, 1] cannot.
          let isRow = c.map { $0.count == 1 || $0.shape == [n] || $0.shape == [1, n] } ?? true
          XCTAssertEqual(prepared.prepared != nil, isRow, label)
          let a = rng.tensor([m, k])
          let inputs: [Value?] = [.float(a), .float(b)] + (c.map { [.float($0)] } ?? [])
          let expected = try general.forward(inputs)[0].floatTensor!
          let y = try prepared.forward(inputs)[0].floatTensor!
          XCTAssertLessThan(difference(y, expected).maxAbs, 1e-5, label)
          let dy = rng.tensor([m, n])
          for wanted in [[true, false, false], [true, true, true]] {
            let context = BackwardContext(
              inputs: inputs, outputs: [.float(y)], outputGradients: [dy],
              wanted: Array(wanted.prefix(inputs.count)))
            let fast = try prepared.backward(context), slow = try general.backward(context)
            XCTAssertEqual(fast.count, slow.count, label)
            for (f, s) in zip(fast, slow) {
              XCTAssertEqual(f == nil, s == nil, label)
              if let f, let s { XCTAssertLessThan(difference(f, s).maxAbs, 1e-5, "\(label) \(wanted)") }
            }
          }
        }
      }
    }
  }
}
