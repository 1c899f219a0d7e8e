import Engine
import TestSupport
import XCTest

/// Gemm and MatMul (sgemm and sgemv paths) against naive triple loops.
final class DenseTests: XCTestCase {
  /// `op(A) op(B)` by definition, in Double.
  func naive(_ a: Tensor, _ b: Tensor, transA: Bool, transB: Bool) -> [Double] {
    let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let n = transB ? b.shape[0] : b.shape[1]
    var y = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        for p in 0..<k {
          let av = transA ? a[p, i] : a[i, p], bv = transB ? b[j, p] : b[p, j]
          y[i * n + j] += Double(av) * Double(bv)
        }
      }
    }
    return y
  }

  func testGemmEveryTransposeAndShapeAgainstLoops() {
    var rng = SplitMix64(seed: 3)
    // m == 1 and n == 1 take the sgemv paths.
    for (m, k, n) in [(3, 4, 5), (1, 7, 6), (5, 3, 1), (1, 4, 1), (8, 1, 3)] {
      for transA in [false, true] {
        for transB in [false, true] {
          let a = rng.tensor(transA ? [k, m] : [m, k]), b = rng.tensor(transB ? [n, k] : [k, n])
          let c = rng.tensor([n])
          let y = Dense.gemm(a, b, c: c, transA: transA, transB: transB, alpha: 0.5, beta: -2)
          let expected = naive(a, b, transA: transA, transB: transB).enumerated().map {
            Float(0.5 * $0.element - 2 * Double(c.storage[$0.offset % n]))
          }
          XCTAssertEqual(y.shape, [m, n])
          XCTAssertLessThan(difference(y.storage, expected).maxAbs, 1e-5, "\(m)x\(k)x\(n) \(transA) \(transB)")
        }
      }
    }
  }

  func testGemmBroadcastsAColumnC() {
    let a = Tensor(shape: [2, 1], storage: [1, 2]), b = Tensor(shape: [1, 3], storage: [1, 1, 1])
    let c = Tensor(shape: [2, 1], storage: [10, 20])
    let y = Dense.gemm(a, b, c: c, transA: false, transB: false, alpha: 1, beta: 1)
    XCTAssertEqual(y.storage, [11, 11, 11, 22, 22, 22])
  }

  func testMatMulBroadcastingAndVectorsAgainstLoops() {
    var rng = SplitMix64(seed: 4)
    let cases: [([Int], [Int], [Int])] = [
      ([2, 1, 3, 4], [3, 4, 2], [2, 3, 3, 2]),
      ([4], [2, 4, 3], [2, 3]),
      ([3, 4], [4], [3]),
      ([4], [4], []),
      ([2, 3, 4], [4, 5], [2, 3, 5]),
      ([1, 5], [2, 5, 1], [2, 1, 1]),
    ]
    for (sa, sb, expectedShape) in cases {
      let a = rng.tensor(sa), b = rng.tensor(sb)
      let y = Dense.matmul(a, b)
      XCTAssertEqual(y.shape, expectedShape, "\(sa) x \(sb)")
      // Reference: broadcast by hand through explicit 3-D batches.
      let a3 = sa.count == 1 ? [1, 1, sa[0]] : [sa.dropLast(2).reduce(1, *), sa[sa.count - 2], sa[sa.count - 1]]
      let b3 = sb.count == 1 ? [1, sb[0], 1] : [sb.dropLast(2).reduce(1, *), sb[sb.count - 2], sb[sb.count - 1]]
      let shape = Dense.MatMulShape(sa, sb)!
      var expected: [Float] = []
      for i in 0..<shape.count {
        // Broadcast over the batch: index each operand's batch coordinates.
        let coords = unflatten(i, shape.batch)
        let ai = flatten(coords, batchOf(sa)), bi = flatten(coords, batchOf(sb))
        let am = Tensor(shape: [a3[1], a3[2]], storage: Array(a.storage[ai * a3[1] * a3[2]..<(ai + 1) * a3[1] * a3[2]]))
        let bm = Tensor(shape: [b3[1], b3[2]], storage: Array(b.storage[bi * b3[1] * b3[2]..<(bi + 1) * b3[1] * b3[2]]))
        expected += naive(am, bm, transA: false, transB: false).map { Float($0) }
      }
      XCTAssertLessThan(difference(y.storage, expected).maxAbs, 1e-5, "\(sa) x \(sb)")
    }
  }

  func testMatMulRejectsMismatchedShapes() {
    XCTAssertNil(Dense.MatMulShape([2, 3], [4, 5]))
    XCTAssertNil(Dense.MatMulShape([2, 3, 4], [3, 4, 5]))
    XCTAssertNil(Dense.MatMulShape([], [3]))
  }

  private func batchOf(_ shape: [Int]) -> [Int] { shape.count <= 2 ? [] : Array(shape.dropLast(2)) }

  private func unflatten(_ i: Int, _ shape: [Int]) -> [Int] {
    var rest = i, coords = [Int](repeating: 0, count: shape.count)
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      coords[axis] = rest % shape[axis]
      rest /= shape[axis]
    }
    return coords
  }

  /// Flat index into `shape` (right-aligned) of broadcast coordinates.
  private func flatten(_ coords: [Int], _ shape: [Int]) -> Int {
    let offset = coords.count - shape.count
    var flat = 0
    for (axis, size) in shape.enumerated() { flat = flat * size + (size == 1 ? 0 : coords[axis + offset]) }
    return flat
  }
}

/// The oneDNN inner product against BLAS Gemm.
final class InnerProductTests: XCTestCase {
  func testForwardAndInputGradientMatchGemm() {
    var rng = SplitMix64(seed: 51)
    for (k, n) in [(7, 5), (64, 33), (300, 17)] {
      for (withBias, transposed) in [(false, false), (true, false), (true, true)] {
        let w = rng.tensor([n, k])
        let b = withBias ? rng.tensor([n]) : nil
        // Stored [K, N] when transposed: the same W.
        let stored = transposed ? Tensor(shape: [k, n], storage: (0..<(k * n)).map { w.storage[($0 % n) * k + $0 / n] }) : w
        let layer = InnerProduct(weights: stored, transposed: transposed, bias: b)
        XCTAssertEqual([layer.outputs, layer.inputs], [n, k])
        for m in [1, 3, 8] {
          let x = rng.tensor([m, k])
          let expected = Dense.gemm(
            x, w, c: b, transA: false, transB: true, alpha: 1, beta: withBias ? 1 : 0)
          let y = layer.forward(x)
          XCTAssertEqual(y.shape, [m, n])
          XCTAssertLessThan(difference(y, expected).maxAbs, 1e-4, "\(m)x\(k)->\(n) bias \(withBias) transposed \(transposed)")
          let dy = rng.tensor([m, n])
          let dx = layer.backwardData(dy)
          let expectedDx = Dense.gemm(dy, w, c: nil, transA: false, transB: false, alpha: 1, beta: 0)
          XCTAssertLessThan(difference(dx, expectedDx).maxAbs, 1e-4, "\(m)x\(k)->\(n) dx")
          // oneDNN really ran (a refusal falls back to BLAS silently).
          XCTAssertFalse(layer.dnnlImplementation(rows: m, backwardData: false).isEmpty)
          XCTAssertFalse(layer.dnnlImplementation(rows: m, backwardData: true).isEmpty)
        }
      }
    }
  }
}
