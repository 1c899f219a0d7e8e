// Channels-last image tensors, and the element-wise activations a convolution can fuse.

/// How the elements of an image tensor are ordered in memory.
///
/// A channels-last tensor carries its physical shape `[N, H, W, C]`, so a tensor that leaks
/// to code expecting NCHW fails its shape checks instead of being misread.
public enum ImageLayout: String, Sendable, Hashable {
  /// `[N, C, H, W]`, the layout of every tensor users see.
  case nchw
  /// `[N, H, W, C]`: what oneDNN's fastest convolutions read and write, kept between layers.
  case nhwc

  /// The physical shape of an image of logical shape `[N, C, H, W]` in this layout.
  public func physicalShape(_ logical: [Int]) -> [Int] {
    self == .nhwc ? [logical[0], logical[2], logical[3], logical[1]] : logical
  }

  /// The logical `[N, C, H, W]` shape of a tensor of physical shape `shape` in this layout.
  public func logicalShape(_ shape: [Int]) -> [Int] {
    self == .nhwc ? [shape[0], shape[3], shape[1], shape[2]] : shape
  }
}

/// An element-wise function a convolution applies to its output as it writes it.
public enum ConvolutionActivation: Sendable, Hashable {
  case none
  /// `max(x, 0)`.
  case relu
  /// `min(max(x, low), high)` (ONNX Clip; Relu6 is `clip(0, 6)`).
  case clip(low: Float, high: Float)

  /// Applies the function in place to `count` elements at `p` (for paths without fusion).
  func apply(_ p: UnsafeMutablePointer<Float>, count: Int) {
    switch self {
    case .none: return
    case .relu:
      for i in 0..<count { p[i] = p[i] > 0 ? p[i] : 0 }
    case .clip(let low, let high):
      for i in 0..<count { p[i] = p[i].isNaN ? p[i] : Swift.min(Swift.max(p[i], low), high) }
    }
  }
}

/// Reorders `[N, C, H, W]` to channels-last `[N, H, W, C]`.
/// - Precondition: rank 4.
public func toChannelsLast(_ x: Tensor) -> Tensor {
  precondition(x.rank == 4, "toChannelsLast needs [N, C, H, W], got \(x.shape)")
  let (n, c, pixels) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
  return Tensor(
    shape: [n, x.shape[2], x.shape[3], c],
    storage: transposedPlanes(x.storage, count: n, rows: c, columns: pixels))
}

/// Reorders channels-last `[N, H, W, C]` back to `[N, C, H, W]`.
/// - Precondition: rank 4.
public func toChannelsFirst(_ x: Tensor) -> Tensor {
  precondition(x.rank == 4, "toChannelsFirst needs [N, H, W, C], got \(x.shape)")
  let (n, pixels, c) = (x.shape[0], x.shape[1] * x.shape[2], x.shape[3])
  return Tensor(
    shape: [n, c, x.shape[1], x.shape[2]],
    storage: transposedPlanes(x.storage, count: n, rows: pixels, columns: c))
}

/// Transposes `count` consecutive `rows x columns` matrices, in tiles so both the reads and
/// the writes stay in cache lines already loaded.
private func transposedPlanes(_ source: [Float], count: Int, rows: Int, columns: Int) -> [Float] {
  let plane = rows * columns
  let tile = 32
  let rowTiles = (rows + tile - 1) / tile
  return [Float](unsafeUninitializedCapacity: source.count) { buffer, initialised in
    source.withUnsafeBufferPointer { src in
      let s = UnsafeSendable(src.baseAddress!), d = UnsafeSendable(buffer.baseAddress!)
      parallelFor(count * rowTiles, workPerTask: tile * columns) { task in
        let image = task / rowTiles, r0 = (task % rowTiles) * tile
        let sp = s.value + image * plane, dp = d.value + image * plane
        let r1 = Swift.min(r0 + tile, rows)
        var c0 = 0
        while c0 < columns {
          let c1 = Swift.min(c0 + tile, columns)
          for r in r0..<r1 {
            for c in c0..<c1 { dp[c * rows + r] = sp[r * columns + c] }
          }
          c0 = c1
        }
      }
    }
    initialised = source.count
  }
}
