// Shape arithmetic of the layout ops (ONNX Reshape, Flatten, Squeeze, Unsqueeze), and the two
// that move data: Transpose and Concat, generic over the element so int64 shape values pass
// through too, each with its adjoint (inverse permutation, split).

/// The shape a Reshape produces: `0` copies the input's extent at that index (unless
/// `allowZero`, opset 14, where it means an empty axis), `-1` takes what is left.
/// - Throws: ``TensorShapeError`` for two `-1`s, other negatives, `0` with `-1` under
///   `allowZero`, or an element count that does not fit.
public func reshapeTarget(_ spec: [Int64], inputShape: [Int], allowZero: Bool) throws -> [Int] {
  let count = inputShape.reduce(1, *)
  var shape: [Int] = []
  var inferred: Int? = nil
  for (i, raw) in spec.enumerated() {
    switch raw {
    case -1:
      guard inferred == nil else { throw TensorShapeError("reshape \(spec) has more than one -1") }
      inferred = i
      shape.append(1)
    case 0 where !allowZero:
      guard i < inputShape.count else {
        throw TensorShapeError("reshape \(spec): 0 at index \(i) copies no axis of \(inputShape)")
      }
      shape.append(inputShape[i])
    case let v where v < 0 || v > Int64(Int32.max):
      throw TensorShapeError("reshape \(spec): bad extent \(v)")
    default:
      shape.append(Int(raw))
    }
  }
  if allowZero && inferred != nil && shape.contains(0) {
    throw TensorShapeError("reshape \(spec): allowzero forbids 0 together with -1")
  }
  let known = shape.reduce(1, *)
  if let i = inferred {
    guard known > 0 && count % known == 0 else {
      throw TensorShapeError("cannot reshape \(inputShape) to \(spec): \(count) elements")
    }
    shape[i] = count / known
  }
  guard shape.reduce(1, *) == count else {
    throw TensorShapeError("cannot reshape \(inputShape) (\(count) elements) to \(shape)")
  }
  return shape
}

/// Flatten's 2-D shape: `[prod(shape[..<axis]), prod(shape[axis...])]`, `axis` in `-rank...rank`.
/// - Throws: ``TensorShapeError`` when `axis` is out of range.
public func flattenedShape(_ shape: [Int], axis: Int) throws -> [Int] {
  guard axis >= -shape.count && axis <= shape.count else {
    throw TensorShapeError("flatten axis \(axis) is out of range for rank \(shape.count)")
  }
  let a = axis < 0 ? axis + shape.count : axis
  return [shape[..<a].reduce(1, *), shape[a...].reduce(1, *)]
}

/// `shape` without the given axes (or, for nil, without every axis of extent 1).
/// - Throws: ``TensorShapeError`` for an axis out of range or of extent other than 1.
public func squeezedShape(_ shape: [Int], axes: [Int]?) throws -> [Int] {
  guard let axes else { return shape.filter { $0 != 1 } }
  let drop = Set(try axes.map { try normalizedAxis($0, rank: shape.count) })
  for axis in drop where shape[axis] != 1 {
    throw TensorShapeError("cannot squeeze axis \(axis) of extent \(shape[axis]) in \(shape)")
  }
  return shape.indices.filter { !drop.contains($0) }.map { shape[$0] }
}

/// `shape` with axes of extent 1 inserted so they sit at `axes` of the result.
/// - Throws: ``TensorShapeError`` for an axis out of range of the result, or a repeated one.
public func unsqueezedShape(_ shape: [Int], axes: [Int]) throws -> [Int] {
  let rank = shape.count + axes.count
  let inserted = try axes.map { try normalizedAxis($0, rank: rank) }
  guard Set(inserted).count == inserted.count else {
    throw TensorShapeError("unsqueeze axes \(axes) repeat an axis")
  }
  var rest = shape.makeIterator()
  return (0..<rank).map { inserted.contains($0) ? 1 : rest.next()! }
}

/// Checks that `permutation` is a permutation of `0..<rank`.
public func checkPermutation(_ permutation: [Int], rank: Int) throws {
  guard permutation.count == rank && Set(permutation) == Set(0..<rank) else {
    throw TensorShapeError("perm \(permutation) is not a permutation of 0..<\(rank)")
  }
}

func transposedImpl<E>(_ x: TensorOf<E>, _ perm: [Int]) -> TensorOf<E> {
  precondition(perm.count == x.rank, "perm \(perm) vs rank \(x.rank)")
  let shape = perm.map { x.shape[$0] }
  if perm == Array(0..<x.rank) || x.count <= 1 { return x.reshaped(shape) }
  let inStrides = TensorOf<E>.strides(of: x.shape)
  let strides = perm.map { inStrides[$0] }  // source stride along each output axis
  let last = shape.count - 1
  let n = shape[last]
  let step = strides[last]
  let rows = x.count / n
  let storage = [E](unsafeUninitializedCapacity: x.count) { buffer, initialized in
    x.storage.withUnsafeBufferPointer { src in
      guard let out = buffer.baseAddress, let s = src.baseAddress else { return }
      var index = [Int](repeating: 0, count: last)
      var offset = 0
      for row in 0..<rows {
        let d = out + row * n
        let p = s + offset
        for i in 0..<n { (d + i).initialize(to: p[i * step]) }
        var axis = last - 1
        while axis >= 0 {
          index[axis] += 1
          offset += strides[axis]
          if index[axis] < shape[axis] { break }
          offset -= strides[axis] * shape[axis]
          index[axis] = 0
          axis -= 1
        }
      }
    }
    initialized = x.count
  }
  return TensorOf(shape: shape, storage: storage)
}

/// Permutes axes: output axis `i` is input axis `perm[i]` (ONNX Transpose).
/// Its VJP is the transpose by the inverse permutation, ``inversePermutation(_:)``.
/// - Precondition: `perm` is a permutation of the axes (see ``checkPermutation(_:rank:)``).
public func transposed(_ x: Tensor, _ perm: [Int]) -> Tensor { transposedImpl(x, perm) }
/// Permutes the axes of an int64 tensor.
public func transposed(_ x: IntTensor, _ perm: [Int]) -> IntTensor { transposedImpl(x, perm) }

/// The permutation that undoes `perm`.
public func inversePermutation(_ perm: [Int]) -> [Int] {
  var inverse = [Int](repeating: 0, count: perm.count)
  for (i, p) in perm.enumerated() { inverse[p] = i }
  return inverse
}

/// The shape of concatenating `shapes` along `axis` (already normalised).
/// - Throws: ``TensorShapeError`` when ranks differ or another axis disagrees.
public func concatenatedShape(_ shapes: [[Int]], axis: Int) throws -> [Int] {
  guard var result = shapes.first else { throw TensorShapeError("concat of no tensors") }
  for shape in shapes.dropFirst() {
    guard shape.count == result.count,
      shape.indices.allSatisfy({ $0 == axis || shape[$0] == result[$0] })
    else {
      throw TensorShapeError("cannot concatenate \(shape) with \(shapes[0]) along axis \(axis)")
    }
    result[axis] += shape[axis]
  }
  return result
}

func concatenatedImpl<E>(_ parts: [TensorOf<E>], axis: Int) throws -> TensorOf<E> {
  let shape = try concatenatedShape(parts.map(\.shape), axis: axis)
  let outer = shape[..<axis].reduce(1, *)
  let row = shape[axis...].reduce(1, *)  // output elements per outer index
  var storage: [E] = []
  storage.reserveCapacity(outer * row)
  for o in 0..<outer {
    for part in parts {
      let block = part.shape[axis...].reduce(1, *)
      storage.append(contentsOf: part.storage[(o * block)..<((o + 1) * block)])
    }
  }
  return TensorOf(shape: shape, storage: storage)
}

/// Joins tensors along `axis` (ONNX Concat); its VJP is ``split(_:sizes:axis:)``.
/// - Throws: ``TensorShapeError`` when the shapes do not fit together.
public func concatenated(_ parts: [Tensor], axis: Int) throws -> Tensor {
  try concatenatedImpl(parts, axis: axis)
}
/// Joins int64 tensors along `axis` (shape arithmetic: Concat of dims).
public func concatenated(_ parts: [IntTensor], axis: Int) throws -> IntTensor {
  try concatenatedImpl(parts, axis: axis)
}

/// Cuts `x` along `axis` into consecutive pieces of the given extents.
/// - Precondition: the sizes add up to `x.shape[axis]`.
public func split(_ x: Tensor, sizes: [Int], axis: Int) -> [Tensor] {
  precondition(sizes.reduce(0, +) == x.shape[axis], "split sizes \(sizes) vs \(x.shape)")
  let outer = x.shape[..<axis].reduce(1, *)
  let inner = x.shape[(axis + 1)...].reduce(1, *)
  let row = x.shape[axis] * inner
  var start = 0
  return sizes.map { size in
    var shape = x.shape
    shape[axis] = size
    var storage: [Float] = []
    storage.reserveCapacity(outer * size * inner)
    for o in 0..<outer {
      let from = o * row + start * inner
      storage.append(contentsOf: x.storage[from..<(from + size * inner)])
    }
    start += size
    return Tensor(shape: shape, storage: storage)
  }
}
