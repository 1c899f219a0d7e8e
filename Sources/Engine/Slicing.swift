// Ops that pick elements independently along each axis: Slice, Pad and Gather all read
// `out[i0, i1, ...] = x[map0[i0], map1[i1], ...]` (a -1 entry means "fill"), so one gather
// kernel runs them and one scatter-add kernel is the VJP of all three.

/// For each axis, the source index of every output position (`-1` to fill), or nil to keep
/// the axis as is.
public typealias AxisMaps = [[Int]?]

/// The output shape of `gatherAxes` for an input of `shape`.
func mappedShape(_ shape: [Int], _ maps: AxisMaps) -> [Int] {
  shape.indices.map { maps[$0]?.count ?? shape[$0] }
}

/// Walks the output: `body(outOffset, srcOffset, map, block)` per row, where the row runs over
/// the last mapped axis's entries (`map`) and each entry moves a contiguous `block`.
/// `srcOffset` is -1 when an outer axis maps the whole row to the fill.
@inline(__always)
private func forEachMappedRow(
  _ shape: [Int], _ maps: AxisMaps, _ body: (Int, Int, [Int], Int) -> Void
) {
  precondition(maps.count == shape.count, "\(maps.count) axis maps for rank \(shape.count)")
  let outShape = mappedShape(shape, maps)
  guard outShape.reduce(1, *) > 0 else { return }
  let strides = TensorOf<Float>.strides(of: shape)
  guard let k = maps.lastIndex(where: { $0 != nil }) else {
    body(0, 0, [0], shape.reduce(1, *))
    return
  }
  let block = shape[(k + 1)...].reduce(1, *)
  let map = maps[k]!.map { $0 < 0 ? -1 : $0 * strides[k] }
  let rowLength = map.count * block
  let rows = outShape[..<k].reduce(1, *)
  var index = [Int](repeating: 0, count: k)
  for row in 0..<rows {
    var src = 0
    for axis in 0..<k {
      let i = maps[axis].map { $0[index[axis]] } ?? index[axis]
      if i < 0 {
        src = -1
        break
      }
      src += i * strides[axis]
    }
    body(row * rowLength, src, map, block)
    var axis = k - 1
    while axis >= 0 {
      index[axis] += 1
      if index[axis] < outShape[axis] { break }
      index[axis] = 0
      axis -= 1
    }
  }
}

func gatherAxesImpl<E>(_ x: TensorOf<E>, _ maps: AxisMaps, fill: E) -> TensorOf<E> {
  let shape = mappedShape(x.shape, maps)
  let count = shape.reduce(1, *)
  let storage = [E](unsafeUninitializedCapacity: count) { buffer, initialized in
    x.storage.withUnsafeBufferPointer { src in
      guard let out = buffer.baseAddress else { return }
      let s = src.baseAddress
      forEachMappedRow(x.shape, maps) { o, base, map, block in
        var d = out + o
        for m in map {
          if base < 0 || m < 0 {
            d.initialize(repeating: fill, count: block)
          } else if block == 1 {
            d.initialize(to: s![base + m])
          } else {
            d.initialize(from: s! + base + m, count: block)
          }
          d += block
        }
      }
    }
    initialized = count
  }
  return TensorOf(shape: shape, storage: storage)
}

/// `out[i0, ...] = x[maps[0][i0], ...]`, or `fill` where an entry is -1.
/// - Precondition: map entries are in range (build them with ``sliceMaps``, ``padMaps``,
///   ``gatherMaps``).
public func gatherAxes(_ x: Tensor, _ maps: AxisMaps, fill: Float = 0) -> Tensor {
  gatherAxesImpl(x, maps, fill: fill)
}
/// ``gatherAxes(_:_:fill:)`` for int64 data.
public func gatherAxes(_ x: IntTensor, _ maps: AxisMaps, fill: Int64 = 0) -> IntTensor {
  gatherAxesImpl(x, maps, fill: fill)
}

/// VJP of ``gatherAxes(_:_:fill:)``: `dx[maps[0][i0], ...] += g[i0, ...]` (repeated sources,
/// as in reflect padding or repeated gather indices, accumulate).
public func scatterAxes(_ g: Tensor, _ maps: AxisMaps, inputShape: [Int]) -> Tensor {
  precondition(g.shape == mappedShape(inputShape, maps), "scatter: \(g.shape) vs \(inputShape)")
  var dx = Tensor(zeros: inputShape)
  dx.storage.withUnsafeMutableBufferPointer { dst in
    g.storage.withUnsafeBufferPointer { src in
      guard let d = dst.baseAddress, let s = src.baseAddress else { return }
      forEachMappedRow(inputShape, maps) { o, base, map, block in
        guard base >= 0 else { return }
        var p = s + o
        for m in map {
          if m >= 0 {
            let q = d + base + m
            for i in 0..<block { q[i] += p[i] }
          }
          p += block
        }
      }
    }
  }
  return dx
}

/// The axis maps of ONNX Slice: along each listed axis, `start, start+step, ...` before `end`,
/// with negative starts and ends counted from the end and both clamped as the spec says.
/// - Throws: ``TensorShapeError`` for mismatched list lengths, a bad or repeated axis, or step 0.
public func sliceMaps(
  shape: [Int], starts: [Int64], ends: [Int64], axes: [Int64]?, steps: [Int64]?
) throws -> AxisMaps {
  let axes = axes ?? (0..<Int64(starts.count)).map { $0 }
  let steps = steps ?? [Int64](repeating: 1, count: starts.count)
  guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
    throw TensorShapeError("slice starts, ends, axes and steps differ in length")
  }
  var maps = AxisMaps(repeating: nil, count: shape.count)
  for i in starts.indices {
    let axis = try normalizedAxis(Int(clamping: axes[i]), rank: shape.count)
    guard maps[axis] == nil else { throw TensorShapeError("slice axis \(axis) given twice") }
    guard steps[i] != 0 else { throw TensorShapeError("slice step is 0 on axis \(axis)") }
    let n = Int64(shape[axis])
    let step = steps[i]
    // Values near Int64.max/min mean "to the end": clamp before any arithmetic.
    var start = starts[i] < 0 ? max(starts[i], -n - 1) + n : min(starts[i], n)
    var end = ends[i] < 0 ? max(ends[i], -n - 1) + n : min(ends[i], n)
    if step > 0 {
      start = min(max(start, 0), n)
      end = min(max(end, 0), n)
    } else {
      start = min(max(start, -1), n - 1)
      end = min(max(end, -1), n - 1)
    }
    let count =
      step > 0 ? max(0, (end - start + step - 1) / step) : max(0, (start - end - step - 1) / -step)
    maps[axis] = (0..<Int(count)).map { Int(start + Int64($0) * step) }
  }
  return maps
}

/// How Pad fills positions outside the input.
public enum PadMode: String, Sendable, CaseIterable {
  case constant, reflect, edge, wrap
}

/// The axis maps of ONNX Pad: `pads = [begin_0, ..., begin_k, end_0, ..., end_k]` for
/// `axes`; negative pads crop. Reflect mirrors without repeating the edge, edge repeats it,
/// wrap continues from the other side.
/// - Throws: ``TensorShapeError`` for a bad pads length or axis, a crop past the input, or a
///   reflect/edge/wrap pad of an empty axis.
public func padMaps(shape: [Int], pads: [Int64], axes: [Int]? = nil, mode: PadMode) throws
  -> AxisMaps
{
  let axes = try (axes ?? Array(shape.indices)).map { try normalizedAxis($0, rank: shape.count) }
  guard pads.count == 2 * axes.count else {
    throw TensorShapeError(
      "pads has \(pads.count) values for \(axes.count) axes; needs \(2 * axes.count)")
  }
  var maps = AxisMaps(repeating: nil, count: shape.count)
  for (i, axis) in axes.enumerated() {
    let n = shape[axis]
    let before = Int(clamping: pads[i])
    let after = Int(clamping: pads[i + axes.count])
    if before == 0 && after == 0 { continue }
    guard before + n + after >= 0, before > -n - 1, after > -n - 1 else {
      throw TensorShapeError("pads \(before), \(after) crop more than axis \(axis) of extent \(n)")
    }
    // Reflect wider than the axis keeps bouncing between its ends (numpy does the same).
    guard mode == .constant || n > 0 else {
      throw TensorShapeError("\(mode) pad of the empty axis \(axis)")
    }
    maps[axis] = (0..<(before + n + after)).map { i in
      let j = i - before
      if j >= 0 && j < n { return j }
      switch mode {
      case .constant: return -1
      case .edge: return j < 0 ? 0 : n - 1
      case .wrap: return ((j % n) + n) % n
      case .reflect:
        if n == 1 { return 0 }
        let period = 2 * (n - 1)
        let r = ((j % period) + period) % period
        return r < n ? r : period - r
      }
    }
  }
  return maps
}

/// The axis maps of ONNX Gather along `axis` for `indices` (negative ones count from the end),
/// to be followed by a reshape to `shape[..<axis] + indicesShape + shape[(axis+1)...]`.
/// - Throws: ``TensorShapeError`` for an index out of range.
public func gatherMaps(shape: [Int], axis: Int, indices: [Int64]) throws -> AxisMaps {
  var maps = AxisMaps(repeating: nil, count: shape.count)
  let n = Int64(shape[axis])
  maps[axis] = try indices.map { i in
    guard i >= -n && i < n else {
      throw TensorShapeError("gather index \(i) is out of range for axis \(axis) of extent \(n)")
    }
    return Int(i < 0 ? i + n : i)
  }
  return maps
}
