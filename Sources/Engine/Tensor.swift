// A dense, row-major tensor: the value every op consumes and produces.

/// A dense n-dimensional array in row-major (C) order, NCHW for images.
///
/// `TensorOf<Float>` (``Tensor``) carries activations, weights and gradients;
/// `TensorOf<Int64>` (``IntTensor``) carries the shape arithmetic ONNX graphs do
/// (Shape, Gather, Concat of dims). Storage is a Swift array, so copies are cheap until written.
public struct TensorOf<Element: Sendable & Equatable>: Sendable, Equatable {
  /// Extent of each axis; `[]` is a scalar with one element.
  public private(set) var shape: [Int]
  /// The elements, `shape.reduce(1, *)` of them, last axis fastest.
  public var storage: [Element]

  /// Wraps `storage` with the given shape.
  /// - Precondition: the element count matches the shape.
  public init(shape: [Int], storage: [Element]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
    precondition(
      shape.reduce(1, *) == storage.count,
      "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(storage.count)")
    self.shape = shape
    self.storage = storage
  }

  /// A tensor of the given shape with every element equal to `value`.
  public init(repeating value: Element, shape: [Int]) {
    self.init(shape: shape, storage: Array(repeating: value, count: shape.reduce(1, *)))
  }

  /// A scalar (rank-0) tensor.
  public init(scalar: Element) { self.init(shape: [], storage: [scalar]) }

  /// Number of elements.
  @inlinable public var count: Int { storage.count }
  /// Number of axes.
  @inlinable public var rank: Int { shape.count }

  /// Row-major strides in elements: `strides[i]` = product of `shape[(i+1)...]`.
  public var strides: [Int] { Self.strides(of: shape) }

  /// Row-major strides of a shape.
  public static func strides(of shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[axis] = step
      step *= shape[axis]
    }
    return strides
  }

  /// The same elements under a new shape with the same element count.
  public func reshaped(_ newShape: [Int]) -> TensorOf {
    TensorOf(shape: newShape, storage: storage)
  }

  /// Element at a multi-index (slow; for tests and small tensors).
  public subscript(_ index: Int...) -> Element {
    get { storage[flatIndex(index)] }
    set { storage[flatIndex(index)] = newValue }
  }

  private func flatIndex(_ index: [Int]) -> Int {
    precondition(index.count == shape.count, "index rank \(index.count) != tensor rank \(rank)")
    var flat = 0
    for (axis, i) in index.enumerated() {
      precondition(i >= 0 && i < shape[axis], "index \(index) out of range for shape \(shape)")
      flat = flat * shape[axis] + i
    }
    return flat
  }
}

/// A float32 tensor: activations, weights and gradients.
public typealias Tensor = TensorOf<Float>
/// An int64 tensor: shapes, axes and indices in ONNX graphs.
public typealias IntTensor = TensorOf<Int64>

extension TensorOf where Element == Float {
  /// A tensor of zeros.
  public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

  /// Adds `other` element-wise into `self` (gradient accumulation).
  /// - Precondition: equal shapes.
  public mutating func accumulate(_ other: Tensor) {
    precondition(shape == other.shape, "accumulate: \(shape) vs \(other.shape)")
    storage.withUnsafeMutableBufferPointer { dst in
      other.storage.withUnsafeBufferPointer { src in
        let d = dst.baseAddress!, s = src.baseAddress!
        for i in 0..<dst.count { d[i] += s[i] }
      }
    }
  }
}
