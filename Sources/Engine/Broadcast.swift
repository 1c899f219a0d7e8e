// Numpy multidirectional broadcasting (ONNX Broadcasting.md): the result shape of two operands,
// loops that walk operands with zero strides on broadcast axes, and the two adjoint moves
// gradients need: expand a tensor to a broadcast shape, and sum a gradient back to an operand.

/// A shape that does not fit an op: operands that do not broadcast, an axis out of range,
/// a reshape with the wrong element count. Operators turn it into their own typed error.
public struct TensorShapeError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// The broadcast of two shapes: ranks aligned on the right, each axis pair equal or one of them 1.
/// - Throws: ``TensorShapeError`` when an axis pair differs and neither is 1.
public func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
  let rank = max(a.count, b.count)
  var result = [Int](repeating: 1, count: rank)
  for axis in 0..<rank {
    let da = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
    let db = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
    if da == db || db == 1 {
      result[axis] = da
    } else if da == 1 {
      result[axis] = db
    } else {
      throw TensorShapeError("shapes \(a) and \(b) do not broadcast (axis \(axis): \(da) vs \(db))")
    }
  }
  return result
}

/// `axis` in `-rank..<rank` mapped to `0..<rank`.
/// - Throws: ``TensorShapeError`` when it is out of range.
public func normalizedAxis(_ axis: Int, rank: Int) throws -> Int {
  guard axis >= -rank && axis < rank else {
    throw TensorShapeError("axis \(axis) is out of range for rank \(rank)")
  }
  return axis < 0 ? axis + rank : axis
}

/// Row-major strides of `shape`, with 0 on every axis of extent 1 and on the leading axes a
/// lower-rank operand lacks: the strides that walk it as if it had `rank` axes.
func broadcastStrides(of shape: [Int], rank: Int) -> [Int] {
  precondition(shape.count <= rank, "operand rank \(shape.count) exceeds \(rank)")
  var strides = [Int](repeating: 0, count: rank)
  var step = 1
  for axis in stride(from: shape.count - 1, through: 0, by: -1) {
    if shape[axis] != 1 { strides[rank - shape.count + axis] = step }
    step *= shape[axis]
  }
  return strides
}

/// A loop nest over an output shape walking up to three operands by their broadcast strides.
///
/// Axes of extent 1 are dropped and neighbouring axes merged wherever every operand is
/// contiguous (or broadcast) across both, so `[N,C,H,W] + [1,C,1,1]` runs as rows of `H*W`
/// with the channel operand's inner stride 0, and same-shape operands run as one flat row.
struct StridedLoop {
  /// Extents of the merged axes, outermost first; the last is the row length.
  private(set) var extents: [Int] = []
  private var strides: [[Int]] = [[], [], []]
  /// Number of elements of the output.
  let count: Int

  /// - Parameter operands: each operand's shape (at most three), broadcastable to `shape`.
  init(shape: [Int], operands: [[Int]]) {
    precondition(operands.count <= 3, "at most three operands")
    count = shape.reduce(1, *)
    var per = operands.map { broadcastStrides(of: $0, rank: shape.count) }
    while per.count < 3 { per.append([Int](repeating: 0, count: shape.count)) }
    for axis in shape.indices where shape[axis] != 1 {
      let n = shape[axis]
      let mergeable =
        !extents.isEmpty && (0..<3).allSatisfy { strides[$0].last! == per[$0][axis] * n }
      if mergeable {
        extents[extents.count - 1] *= n
        for k in 0..<3 { strides[k][strides[k].count - 1] = per[k][axis] }
      } else {
        extents.append(n)
        for k in 0..<3 { strides[k].append(per[k][axis]) }
      }
    }
    if extents.isEmpty {
      extents = [1]
      strides = [[0], [0], [0]]
    }
  }

  /// Length of each row (the innermost merged axis).
  var rowLength: Int { extents[extents.count - 1] }

  /// Operand `k`'s stride along a row (0 when broadcast along it, usually 1 otherwise).
  func rowStride(_ k: Int) -> Int { strides[k][strides[k].count - 1] }

  /// The rows in row-major order of the output, each as the three operands' element offsets
  /// at its start.
  ///
  /// NB: callers loop over rows themselves (`while let row = rows.next()`) instead of passing
  /// a closure: debug builds compile files separately, and a closure handed across files is
  /// never inlined, which made element loops 5-10x slower.
  func rows() -> StridedRows { StridedRows(loop: self) }

  fileprivate var outerStrides: ([Int], [Int], [Int]) { (strides[0], strides[1], strides[2]) }
}

/// An iterator over a ``StridedLoop``'s rows: `next()` gives the offsets of the next row.
struct StridedRows {
  private let extents: [Int]
  private let s0: [Int], s1: [Int], s2: [Int]
  private var index: [Int]
  private var offsets = (0, 0, 0)
  private var remaining: Int

  fileprivate init(loop: StridedLoop) {
    extents = Array(loop.extents.dropLast())
    (s0, s1, s2) = loop.outerStrides
    index = [Int](repeating: 0, count: extents.count)
    remaining = loop.count == 0 ? 0 : extents.reduce(1, *)
  }

  mutating func next() -> (Int, Int, Int)? {
    guard remaining > 0 else { return nil }
    remaining -= 1
    let current = offsets
    var axis = extents.count - 1
    while axis >= 0 {
      index[axis] += 1
      offsets.0 += s0[axis]
      offsets.1 += s1[axis]
      offsets.2 += s2[axis]
      if index[axis] < extents[axis] { break }
      let n = extents[axis]
      offsets.0 -= s0[axis] * n
      offsets.1 -= s1[axis] * n
      offsets.2 -= s2[axis] * n
      index[axis] = 0
      axis -= 1
    }
    return current
  }
}

/// `x` repeated along broadcast axes to `shape` (ONNX Expand; the adjoint of
/// ``sumToShape(_:_:)``).
/// - Precondition: `x.shape` broadcasts to `shape` (callers check with ``broadcastShape(_:_:)``).
func expandImpl<E>(_ x: TensorOf<E>, to shape: [Int]) -> TensorOf<E> {
  if x.shape == shape { return x }
  let loop = StridedLoop(shape: shape, operands: [shape, x.shape])
  let n = loop.rowLength
  let sx = loop.rowStride(1)
  let storage = [E](unsafeUninitializedCapacity: loop.count) { buffer, initialized in
    x.storage.withUnsafeBufferPointer { src in
      guard let out = buffer.baseAddress, let p = src.baseAddress else { return }
      var rows = loop.rows()
      while let (oo, ox, _) = rows.next() {
        let d = out + oo
        let s = p + ox
        if sx == 0 {
          d.initialize(repeating: s.pointee, count: n)
        } else {
          for i in 0..<n { (d + i).initialize(to: s[i * sx]) }
        }
      }
    }
    initialized = loop.count
  }
  return TensorOf(shape: shape, storage: storage)
}

/// `x` broadcast to `shape`.
/// - Throws: ``TensorShapeError`` unless `x` broadcasts to exactly `shape`.
public func expand(_ x: Tensor, to shape: [Int]) throws -> Tensor {
  try checkExpandable(x.shape, to: shape)
  return expandImpl(x, to: shape)
}

/// `x` broadcast to `shape` (int64). - Throws: ``TensorShapeError`` unless it broadcasts.
public func expand(_ x: IntTensor, to shape: [Int]) throws -> IntTensor {
  try checkExpandable(x.shape, to: shape)
  return expandImpl(x, to: shape)
}

private func checkExpandable(_ from: [Int], to shape: [Int]) throws {
  guard try broadcastShape(from, shape) == shape else {
    throw TensorShapeError("shape \(from) does not broadcast to \(shape)")
  }
}

/// Sums `gradient` over the axes along which an operand of shape `shape` was broadcast:
/// the VJP of broadcasting that operand to `gradient.shape`.
/// - Precondition: `shape` broadcasts to `gradient.shape`.
public func sumToShape(_ gradient: Tensor, _ shape: [Int]) -> Tensor {
  if gradient.shape == shape { return gradient }
  let loop = StridedLoop(shape: gradient.shape, operands: [gradient.shape, shape])
  let n = loop.rowLength
  let st = loop.rowStride(1)
  var result = Tensor(zeros: shape)
  result.storage.withUnsafeMutableBufferPointer { dst in
    gradient.storage.withUnsafeBufferPointer { src in
      guard let out = dst.baseAddress, let g = src.baseAddress else { return }
      var rows = loop.rows()
      while let (og, ot, _) = rows.next() {
        let s = g + og
        let d = out + ot
        if st == 0 {
          // Four partial sums: shorter dependency chains, and less float round-off on long rows.
          var a0: Float = 0
          var a1: Float = 0
          var a2: Float = 0
          var a3: Float = 0
          var i = 0
          while i + 4 <= n {
            a0 += s[i]
            a1 += s[i + 1]
            a2 += s[i + 2]
            a3 += s[i + 3]
            i += 4
          }
          while i < n {
            a0 += s[i]
            i += 1
          }
          d.pointee += (a0 + a1) + (a2 + a3)
        } else {
          for i in 0..<n { d[i * st] += s[i] }
        }
      }
    }
  }
  return result
}
