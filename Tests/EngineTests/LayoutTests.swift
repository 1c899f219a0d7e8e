import Engine
import TestSupport
import XCTest

/// Reshape arithmetic, transpose, concat, slice, pad and gather against hand-computed values.
final class LayoutTests: XCTestCase {
  private let t = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])

  func testReshapeTargets() throws {
    XCTAssertEqual(try reshapeTarget([0, -1], inputShape: [2, 3, 4], allowZero: false), [2, 12])
    XCTAssertEqual(try reshapeTarget([-1], inputShape: [2, 3], allowZero: false), [6])
    XCTAssertEqual(try reshapeTarget([0, 3], inputShape: [0, 3], allowZero: true), [0, 3])
    XCTAssertThrowsError(try reshapeTarget([-1, -1], inputShape: [4], allowZero: false))
    XCTAssertThrowsError(try reshapeTarget([5], inputShape: [2, 3], allowZero: false))
    XCTAssertThrowsError(try reshapeTarget([0, -1], inputShape: [2, 3], allowZero: true))
    XCTAssertEqual(try flattenedShape([2, 3, 4], axis: 0), [1, 24])
    XCTAssertEqual(try flattenedShape([2, 3, 4], axis: -1), [6, 4])
    XCTAssertEqual(try squeezedShape([1, 3, 1], axes: nil), [3])
    XCTAssertThrowsError(try squeezedShape([1, 3, 1], axes: [1]))
    XCTAssertEqual(try unsqueezedShape([3, 4], axes: [0, -1]), [1, 3, 4, 1])
  }

  func testTransposeAndConcat() throws {
    XCTAssertEqual(transposed(t, [1, 0]).storage, [1, 4, 2, 5, 3, 6])
    let x3 = Tensor(shape: [2, 2, 2], storage: [0, 1, 2, 3, 4, 5, 6, 7])
    XCTAssertEqual(transposed(x3, [2, 0, 1]).storage, [0, 2, 4, 6, 1, 3, 5, 7])
    XCTAssertEqual(inversePermutation([2, 0, 1]), [1, 2, 0])
    let c = try concatenated([t, Tensor(shape: [2, 1], storage: [7, 8])], axis: 1)
    XCTAssertEqual(c.storage, [1, 2, 3, 7, 4, 5, 6, 8])
    XCTAssertEqual(split(c, sizes: [3, 1], axis: 1).map(\.storage), [t.storage, [7, 8]])
    XCTAssertThrowsError(try concatenated([t, Tensor(zeros: [3, 1])], axis: 1))
    let ints = try concatenated(
      [IntTensor(shape: [1], storage: [2]), IntTensor(shape: [2], storage: [3, 4])], axis: 0)
    XCTAssertEqual(ints.storage, [2, 3, 4])
  }

  func testSliceClampsAndSteps() throws {
    let r = Tensor(shape: [6], storage: [0, 1, 2, 3, 4, 5])
    func slice(_ s: Int64, _ e: Int64, _ step: Int64) throws -> [Float] {
      gatherAxes(r, try sliceMaps(shape: [6], starts: [s], ends: [e], axes: nil, steps: [step]))
        .storage
    }
    XCTAssertEqual(try slice(1, Int64.max, 2), [1, 3, 5])
    XCTAssertEqual(try slice(-1, Int64.min, -1), [5, 4, 3, 2, 1, 0])
    XCTAssertEqual(try slice(-2, -100, -3), [4, 1])
    XCTAssertEqual(try slice(4, 2, 1), [])
    XCTAssertEqual(try slice(10, 0, -2), [5, 3, 1])
    XCTAssertThrowsError(try slice(0, 1, 0))
    let cols = gatherAxes(
      t, try sliceMaps(shape: [2, 3], starts: [-2], ends: [3], axes: [-1], steps: nil))
    XCTAssertEqual(cols.shape, [2, 2])
    XCTAssertEqual(cols.storage, [2, 3, 5, 6])
  }

  func testPadModes() throws {
    let r = Tensor(shape: [1, 3], storage: [1, 2, 3])
    func pad(_ mode: PadMode, _ before: Int64, _ after: Int64) throws -> [Float] {
      gatherAxes(r, try padMaps(shape: [1, 3], pads: [0, before, 0, after], mode: mode), fill: 9)
        .storage
    }
    XCTAssertEqual(try pad(.constant, 1, 2), [9, 1, 2, 3, 9, 9])
    XCTAssertEqual(try pad(.reflect, 2, 2), [3, 2, 1, 2, 3, 2, 1])
    XCTAssertEqual(try pad(.edge, 2, 1), [1, 1, 1, 2, 3, 3])
    XCTAssertEqual(try pad(.wrap, 2, 1), [2, 3, 1, 2, 3, 1])
    XCTAssertEqual(try pad(.constant, -1, 0), [2, 3])
    XCTAssertThrowsError(try pad(.constant, -2, -2))
    XCTAssertThrowsError(try padMaps(shape: [1, 3], pads: [1, 1], mode: .constant))
    // Reflect's VJP folds mirrored positions back onto their sources.
    let maps = try padMaps(shape: [1, 3], pads: [0, 2, 0, 0], mode: .reflect)  // [3, 2, 1, 2, 3]
    let g = Tensor(shape: [1, 5], storage: [1, 10, 100, 1000, 10000])
    XCTAssertEqual(scatterAxes(g, maps, inputShape: [1, 3]).storage, [100, 1010, 10001])
  }

  func testGatherMaps() throws {
    let maps = try gatherMaps(shape: [2, 3], axis: 1, indices: [2, -3, 2])
    XCTAssertEqual(gatherAxes(t, maps).storage, [3, 1, 3, 6, 4, 6])
    XCTAssertEqual(
      scatterAxes(Tensor(repeating: 1, shape: [2, 3]), maps, inputShape: [2, 3]).storage,
      [1, 0, 2, 1, 0, 2])
    XCTAssertThrowsError(try gatherMaps(shape: [2, 3], axis: 1, indices: [3]))
    let ints = IntTensor(shape: [4], storage: [1, 3, 224, 224])
    XCTAssertEqual(gatherAxes(ints, try gatherMaps(shape: [4], axis: 0, indices: [0])).storage, [1])
  }
}
