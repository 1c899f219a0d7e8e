// 2-D convolution (ONNX Conv) with its input and weight gradients, behind a backend seam.
import Foundation
import Synchronization

/// Which implementation runs a convolution.
public enum ConvolutionBackend: String, Sendable, CaseIterable {
  /// Plain loops (``ReferenceConvolution``): the oracle, slow.
  case reference
  /// im2col with row-wise copies, then cblas_sgemm; input gradient as a transposed conv.
  case blas
  /// Direct depthwise loops (only where `groups == channels`; falls back to `blas` elsewhere).
  case direct
  /// oneDNN on plain NCHW tensors (weights reordered once per shape).
  case dnnl
  /// oneDNN choosing blocked data layouts too, with reorders from and to NCHW on every call.
  case dnnlBlocked = "dnnl-blocked"

  /// The backend named by the environment variable `GLIMPSE_CONV_BACKEND`, if any.
  ///
  /// For tests and benchmarks: it overrides the per-shape default everywhere.
  public static let forced: ConvolutionBackend? = ProcessInfo.processInfo
    .environment["GLIMPSE_CONV_BACKEND"].flatMap { ConvolutionBackend(rawValue: $0.lowercased()) }
}

/// The pass a backend is chosen for.
public enum ConvolutionPass: String, Sendable { case forward, backwardData }

/// One convolution layer: its weights, bias and window, with per-shape caches.
///
/// Built once (at import) and run many times from any thread. The caches hold what is
/// costly to make per call: oneDNN primitives and reordered weights per input shape, and the
/// flipped weights the im2col input gradient uses.
public final class Convolution: Sendable {
  /// `[M, C/groups, KH, KW]`.
  public let weights: Tensor
  /// `[M]`, or nil.
  public let bias: Tensor?
  public let groups: Int
  public let window: Window2D
  private let plans = Mutex<[PlanKey: DNNLConvolution]>([:])
  private let flipped = Mutex<[Float]?>(nil)

  /// - Precondition: `weights` has rank 4 and `bias`, if any, has `M` elements.
  public init(weights: Tensor, bias: Tensor?, groups: Int, window: Window2D) {
    precondition(weights.rank == 4, "conv weights must be [M, C/g, KH, KW], got \(weights.shape)")
    precondition(bias == nil || bias!.count == weights.shape[0], "bias size")
    self.weights = weights
    self.bias = bias
    self.groups = groups
    self.window = window
  }

  /// The resolved sizes for an input of shape `[N, C, H, W]`.
  public func geometry(input shape: [Int]) -> ConvolutionGeometry {
    ConvolutionGeometry(input: shape, weights: weights.shape, groups: groups, window: window)
  }

  /// The backend used for `pass` on `geometry`: the forced one, else the measured default.
  ///
  /// Defaults (see the measurements in the conv backend report): depthwise → direct loops;
  /// everything else → oneDNN, which beat im2col+sgemm on every measured shape.
  public static func backend(
    for geometry: ConvolutionGeometry, pass: ConvolutionPass
  ) -> ConvolutionBackend {
    if let forced = ConvolutionBackend.forced { return forced }
    if DepthwiseConvolution.applies(to: geometry) { return .direct }
    return .dnnl
  }

  /// `y = conv(x, W) + b`: `[N, C, H, W]` → `[N, M, OH, OW]`.
  /// - Precondition: `geometry(input:).problem == nil` and `C` matches the weights (the
  ///   operator validates user input first).
  public func forward(_ x: Tensor, backend: ConvolutionBackend? = nil) -> Tensor {
    let g = geometry(input: x.shape)
    precondition(g.problem == nil && g.inChannels == weights.shape[1] * groups, "conv: \(g)")
    let chosen = backend ?? Self.backend(for: g, pass: .forward)
    if chosen == .reference {
      return ReferenceConvolution.forward(x, weights: weights, bias: bias, geometry: g)
    }
    var y = [Float](repeating: 0, count: g.outputShape.reduce(1, *))
    x.storage.withUnsafeBufferPointer { xp in
      weights.storage.withUnsafeBufferPointer { wp in
        y.withUnsafeMutableBufferPointer { yp in
          withBias { bp in
            run(chosen, g, pass: .forward, input: xp.baseAddress!, weights: wp.baseAddress!,
                bias: bp, output: yp.baseAddress!)
          }
        }
      }
    }
    return Tensor(shape: g.outputShape, storage: y)
  }

  /// Input gradient: `dx = conv_transpose(dy, W)`, `[N, M, OH, OW]` → `[N, C, H, W]`.
  public func backwardData(
    _ dy: Tensor, inputShape: [Int], backend: ConvolutionBackend? = nil
  ) -> Tensor {
    let g = geometry(input: inputShape)
    precondition(dy.shape == g.outputShape, "conv backward: dy \(dy.shape) vs \(g.outputShape)")
    let chosen = backend ?? Self.backend(for: g, pass: .backwardData)
    if chosen == .reference {
      return ReferenceConvolution.backwardData(dy, weights: weights, geometry: g)
    }
    var dx = [Float](repeating: 0, count: inputShape.reduce(1, *))
    dy.storage.withUnsafeBufferPointer { dp in
      weights.storage.withUnsafeBufferPointer { wp in
        dx.withUnsafeMutableBufferPointer { xp in
          run(chosen, g, pass: .backwardData, input: dp.baseAddress!, weights: wp.baseAddress!,
              bias: nil, output: xp.baseAddress!)
        }
      }
    }
    return Tensor(shape: inputShape, storage: dx)
  }

  /// Weight and bias gradients (im2col + sgemm): `dW = sum_n dy_n col_n^T`, `db = sum dy`.
  /// - Returns: `([M, C/g, KH, KW], [M])`.
  public func backwardWeights(_ dy: Tensor, input x: Tensor) -> (weights: Tensor, bias: Tensor) {
    let g = geometry(input: x.shape)
    precondition(dy.shape == g.outputShape, "conv backward: dy \(dy.shape) vs \(g.outputShape)")
    var dw = [Float](repeating: 0, count: weights.count)
    dy.storage.withUnsafeBufferPointer { dp in
      x.storage.withUnsafeBufferPointer { xp in
        dw.withUnsafeMutableBufferPointer { wp in
          Im2colConvolution.backwardWeights(
            dp.baseAddress!, input: xp.baseAddress!, geometry: g, into: wp.baseAddress!)
        }
      }
    }
    var db = [Float](repeating: 0, count: g.outChannels)
    let pixels = g.outHeight * g.outWidth
    for n in 0..<g.batch {
      for m in 0..<g.outChannels {
        let base = (n * g.outChannels + m) * pixels
        var sum: Float = 0
        for i in 0..<pixels { sum += dy.storage[base + i] }
        db[m] += sum
      }
    }
    return (Tensor(shape: weights.shape, storage: dw), Tensor(shape: [g.outChannels], storage: db))
  }

  // MARK: - Dispatch

  private func withBias<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let bias else { return body(nil) }
    return bias.storage.withUnsafeBufferPointer { body($0.baseAddress!) }
  }

  /// Runs a non-reference backend (`input` is `x` forward, `dy` backward).
  private func run(
    _ backend: ConvolutionBackend, _ g: ConvolutionGeometry, pass: ConvolutionPass,
    input: UnsafePointer<Float>, weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    output: UnsafeMutablePointer<Float>
  ) {
    switch backend {
    case .dnnl, .dnnlBlocked:
      if let plan = plan(g, pass: pass, blocked: backend == .dnnlBlocked, userWeights: w) {
        plan.run(input: input, bias: bias, output: output)
        return
      }
      // oneDNN refused the shape: fall through to the portable path.
      fallthrough
    case .blas, .direct, .reference:
      let direct = backend == .direct && DepthwiseConvolution.applies(to: g)
      switch (pass, direct) {
      case (.forward, true):
        DepthwiseConvolution.forward(input, weights: w, bias: bias, geometry: g, into: output)
      case (.forward, false):
        Im2colConvolution.forward(input, weights: w, bias: bias, geometry: g, into: output)
      case (.backwardData, true):
        DepthwiseConvolution.backwardData(input, weights: w, geometry: g, into: output)
      case (.backwardData, false):
        flippedWeights(g).withUnsafeBufferPointer {
          Im2colConvolution.backwardData(
            input, transposedWeights: $0.baseAddress!, geometry: g, into: output)
        }
      }
    }
  }

  private func flippedWeights(_ g: ConvolutionGeometry) -> [Float] {
    flipped.withLock { cached in
      if let cached { return cached }
      let t = Im2colConvolution.transposedWeights(weights.storage, geometry: g)
      cached = t
      return t
    }
  }

  private func plan(
    _ g: ConvolutionGeometry, pass: ConvolutionPass, blocked: Bool, userWeights: UnsafePointer<Float>
  ) -> DNNLConvolution? {
    let key = PlanKey(geometry: g, pass: pass, blocked: blocked)
    if let plan = plans.withLock({ $0[key] }) { return plan }
    // Created outside the lock: primitive creation takes milliseconds.
    guard
      let plan = DNNLConvolution(
        geometry: g, backwardData: pass == .backwardData, hasBias: bias != nil && pass == .forward,
        blocked: blocked, weights: userWeights)
    else { return nil }
    return plans.withLock { plans in
      if let existing = plans[key] { return existing }
      plans[key] = plan
      return plan
    }
  }

  private struct PlanKey: Hashable {
    var geometry: ConvolutionGeometry
    var pass: ConvolutionPass
    var blocked: Bool
  }
}
