import Engine
import TestSupport
import XCTest

/// Broadcast arithmetic: hand-computed values, and every fast path against a plain
/// multi-index reference loop on odd shapes.
final class BroadcastTests: XCTestCase {
  /// `a ∘ b` by explicit multi-indices, the slow and obvious way.
  private func reference(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) throws -> Tensor {
    let shape = try broadcastShape(a.shape, b.shape)
    var out = Tensor(zeros: shape)
    let strides = Tensor.strides(of: shape)
    func offset(_ index: [Int], in s: [Int]) -> Int {
      var flat = 0
      for (axis, n) in s.enumerated() {
        let i = index[shape.count - s.count + axis]
        flat = flat * n + (n == 1 ? 0 : i)
      }
      return flat
    }
    for flat in 0..<out.count {
      let index = strides.indices.map { (flat / strides[$0]) % shape[$0] }
      out.storage[flat] = f(
        a.storage[offset(index, in: a.shape)], b.storage[offset(index, in: b.shape)])
    }
    return out
  }

  func testBroadcastShapes() throws {
    XCTAssertEqual(try broadcastShape([2, 3, 4, 5], [3, 1, 1]), [2, 3, 4, 5])
    XCTAssertEqual(try broadcastShape([1, 3, 1], [2, 1, 4]), [2, 3, 4])
    XCTAssertEqual(try broadcastShape([], [2]), [2])
    XCTAssertEqual(try broadcastShape([0, 1], [1, 3]), [0, 3])
    XCTAssertThrowsError(try broadcastShape([2, 3], [4])) { error in
      XCTAssertEqual("\(error)", "shapes [2, 3] and [4] do not broadcast (axis 1: 3 vs 4)")
    }
  }

  func testHandComputedArithmetic() throws {
    let a = Tensor(shape: [2, 2], storage: [1, 2, 3, 4])
    let col = Tensor(shape: [2, 1], storage: [10, 20])
    XCTAssertEqual(try arithmetic(.add, a, col).storage, [11, 12, 23, 24])
    XCTAssertEqual(try arithmetic(.subtract, col, a).storage, [9, 8, 17, 16])
    XCTAssertEqual(
      try arithmetic(.multiply, a, Tensor(shape: [2], storage: [2, -1])).storage, [2, -2, 6, -4])
    XCTAssertEqual(try arithmetic(.divide, a, Tensor(scalar: 2)).storage, [0.5, 1, 1.5, 2])
    XCTAssertEqual(try arithmetic(.maximum, a, Tensor(scalar: 2.5)).storage, [2.5, 2.5, 3, 4])
    XCTAssertEqual(try arithmetic(.minimum, a, Tensor(scalar: 2.5)).storage, [1, 2, 2.5, 2.5])
  }

  func testIntegerArithmeticTruncatesAndRefusesZeroDivisors() throws {
    let a = IntTensor(shape: [3], storage: [7, -7, Int64.min])
    XCTAssertEqual(
      try arithmetic(.divide, a, IntTensor(scalar: 2)).storage, [3, -3, Int64.min / 2])
    XCTAssertEqual(try arithmetic(.divide, a, IntTensor(scalar: -1)).storage, [-7, 7, Int64.min])
    XCTAssertEqual(
      try arithmetic(.multiply, a, IntTensor(shape: [1], storage: [2])).storage, [14, -14, 0])
    XCTAssertThrowsError(try arithmetic(.divide, a, IntTensor(shape: [3], storage: [1, 0, 1])))
  }

  func testFastPathsMatchReferenceLoops() throws {
    var rng = SplitMix64(seed: 3)
    let pairs: [([Int], [Int])] = [
      ([2, 3, 4, 5], [2, 3, 4, 5]), ([2, 3, 4, 5], [1, 3, 1, 1]), ([2, 3, 4, 5], [3, 1, 1]),
      ([1, 3, 1], [2, 1, 4]), ([5], []), ([], [3, 2]), ([3, 1, 5], [3, 4, 1]), ([4, 1], [3]),
      ([2, 1, 3, 1, 2], [1, 4, 1, 5, 2]),
    ]
    for (sa, sb) in pairs {
      let a = rng.tensor(sa)
      let b = rng.tensor(sb, in: 0.5...2)
      for (op, f) in [
        (BinaryArithmetic.add, { (x: Float, y: Float) in x + y }), (.divide, { $0 / $1 }),
        (.subtract, { $0 - $1 }), (.multiply, { $0 * $1 }),
      ] {
        let fast = try arithmetic(op, a, b)
        let slow = try reference(a, b, f)
        XCTAssertEqual(fast.shape, slow.shape, "\(op) \(sa) \(sb)")
        XCTAssertEqual(fast.storage, slow.storage, "\(op) \(sa) \(sb)")
      }
    }
  }

  func testSumToShapeIsTheAdjointOfExpand() throws {
    let g = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
    XCTAssertEqual(sumToShape(g, [3]).storage, [5, 7, 9])
    XCTAssertEqual(sumToShape(g, [2, 1]).storage, [6, 15])
    XCTAssertEqual(sumToShape(g, []).storage, [21])
    let x = Tensor(shape: [2, 1], storage: [1, 2])
    XCTAssertEqual(try expand(x, to: [2, 3]).storage, [1, 1, 1, 2, 2, 2])
    XCTAssertThrowsError(try expand(x, to: [3, 3]))
    // <expand(x), g> == <x, sumToShape(g)> for random tensors.
    var rng = SplitMix64(seed: 5)
    let small = rng.tensor([3, 1, 4])
    let big = rng.tensor([2, 3, 5, 4])
    let lhs = zip(try expand(small, to: big.shape).storage, big.storage).map { Double($0 * $1) }
      .reduce(0, +)
    let rhs = zip(small.storage, sumToShape(big, small.shape).storage).map { Double($0 * $1) }
      .reduce(0, +)
    XCTAssertEqual(lhs, rhs, accuracy: 1e-4)
  }
}
