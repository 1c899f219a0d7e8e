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

/// What a oneDNN primitive is built for besides its geometry and pass.
struct PlanOptions: Hashable {
  /// Let oneDNN choose the layout of NCHW sides (reorders convert on every call).
  var blocked: Bool
  var input: ImageLayout = .nchw
  var output: ImageLayout = .nchw
  var activation: ConvolutionActivation = .none
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
  /// Whether this object will run many times (a layer) rather than once (weights computed
  /// at run time): only then does oneDNN's primitive creation pay off.
  public let isReused: Bool
  private let plans = Mutex<[PlanKey: DNNLPrimitive]>([:])
  private let flipped = Mutex<[Float]?>(nil)

  /// - Precondition: `weights` has rank 4 and `bias`, if any, has `M` elements.
  public init(weights: Tensor, bias: Tensor?, groups: Int, window: Window2D, isReused: Bool = true) {
    precondition(weights.rank == 4, "conv weights must be [M, C/g, KH, KW], got \(weights.shape)")
    precondition(bias == nil || bias!.count == weights.shape[0], "bias size")
    self.weights = weights
    self.bias = bias
    self.groups = groups
    self.window = window
    self.isReused = isReused
    EngineMemory.retainLargeBlocks()
  }

  /// The resolved sizes for an input of shape `[N, C, H, W]`.
  public func geometry(input shape: [Int]) -> ConvolutionGeometry {
    ConvolutionGeometry(input: shape, weights: weights.shape, groups: groups, window: window)
  }

  /// The backend used for `pass` on `geometry`: the forced one, else the measured default.
  ///
  /// From `ConvolutionBenchmark` on EfficientNet-Lite0 and VGG16 shapes (batch 1 and 8,
  /// 1 and 2 threads): oneDNN won or tied everywhere. Its blocked layouts pay two reorders per
  /// call, which only pays off when compute per element moved is high: depthwise (5-10x over
  /// every NCHW path), k x k convs with enough input channels, and 1x1 convs with
  /// `2CM/(C+M) >= 256` (320->1280: 1.4x); plain NCHW (gemm-based) wins on 1x1 convs with few
  /// channels over large images (16->96 at 112: 2x) and on the 3-channel stem's input gradient.
  /// A convolution run once (`reused: false`) takes the portable paths, which need no setup.
  /// With a channels-last side, oneDNN reads and writes it directly (no reorder), which is
  /// what makes keeping activations channels-last between layers pay.
  public static func backend(
    for g: ConvolutionGeometry, pass: ConvolutionPass, reused: Bool = true, channelsLast: Bool = false
  ) -> ConvolutionBackend {
    if let forced = ConvolutionBackend.forced { return forced }
    if !reused { return DepthwiseConvolution.applies(to: g) ? .direct : .blas }
    if channelsLast { return .dnnlBlocked }
    if DepthwiseConvolution.applies(to: g) { return .dnnlBlocked }
    if g.kernelHeight == 1 && g.kernelWidth == 1 {
      let intensity = 2 * g.groupInChannels * g.groupOutChannels / (g.groupInChannels + g.groupOutChannels)
      return intensity >= 256 ? .dnnlBlocked : .dnnl
    }
    return pass == .backwardData && g.groupInChannels < 16 ? .dnnl : .dnnlBlocked
  }

  /// `y = act(conv(x, W) + b)`: `[N, C, H, W]` → `[N, M, OH, OW]`, in the given layouts.
  ///
  /// - Parameters:
  ///   - layout, outputLayout: how `x` and `y` are ordered; a channels-last tensor has the
  ///     physical shape `[N, H, W, C]`. oneDNN reads and writes channels-last directly; the
  ///     other backends convert around an NCHW computation.
  ///   - activation: applied to each output element as it is written (oneDNN post-op).
  /// - Precondition: `geometry(input:).problem == nil` and `C` matches the weights (the
  ///   operator validates user input first).
  public func forward(
    _ x: Tensor, layout: ImageLayout = .nchw, outputLayout: ImageLayout = .nchw,
    activation: ConvolutionActivation = .none, backend: ConvolutionBackend? = nil
  ) -> Tensor {
    let g = geometry(input: layout.logicalShape(x.shape))
    precondition(g.problem == nil && g.inChannels == weights.shape[1] * groups, "conv: \(g)")
    let channelsLast = layout == .nhwc || outputLayout == .nhwc
    let chosen = backend ?? Self.backend(for: g, pass: .forward, reused: isReused, channelsLast: channelsLast)
    if chosen == .dnnl || chosen == .dnnlBlocked {
      // NB: oneDNN's gemm-based convolution (what plain NCHW gets) applies post-ops in a slow
      // generic loop (a 16->96 1x1 conv at 112x112 took 10.8 ms with Clip instead of 0.8):
      // there the activation runs as a separate in-place pass.
      let inPrimitive = chosen == .dnnlBlocked
      let options = PlanOptions(
        blocked: inPrimitive, input: layout, output: outputLayout,
        activation: inPrimitive ? activation : .none)
      if var y = forwardDNNL(x, g, options) {
        if !inPrimitive {
          y.storage.withUnsafeMutableBufferPointer { activation.apply($0.baseAddress!, count: $0.count) }
        }
        return y
      }
    }
    // Portable paths compute in NCHW.
    let nchw = layout == .nhwc ? toChannelsFirst(x) : x
    var y = chosen == .reference
      ? ReferenceConvolution.forward(nchw, weights: weights, bias: bias, geometry: g)
      : forwardNCHW(nchw, g, backend: chosen)
    y.storage.withUnsafeMutableBufferPointer { activation.apply($0.baseAddress!, count: $0.count) }
    return outputLayout == .nhwc ? toChannelsLast(y) : y
  }

  /// The oneDNN forward pass, or nil when oneDNN refused the shape.
  private func forwardDNNL(_ x: Tensor, _ g: ConvolutionGeometry, _ options: PlanOptions) -> Tensor? {
    guard let plan = plan(g, pass: .forward, options: options, userWeights: weights.storage)
    else { return nil }
    let count = g.outputShape.reduce(1, *)
    // The primitive writes every output element: no zero fill needed.
    let y = [Float](unsafeUninitializedCapacity: count) { yp, initialised in
      x.storage.withUnsafeBufferPointer { xp in
        withBias { bp in plan.run(input: xp.baseAddress!, bias: bp, output: yp.baseAddress!) }
      }
      initialised = count
    }
    return Tensor(shape: options.output.physicalShape(g.outputShape), storage: y)
  }

  /// The non-reference backends on NCHW tensors.
  private func forwardNCHW(_ x: Tensor, _ g: ConvolutionGeometry, backend: ConvolutionBackend) -> Tensor {
    let count = g.outputShape.reduce(1, *)
    // Every backend writes each output element: no zero fill needed.
    let y = [Float](unsafeUninitializedCapacity: count) { yp, initialised in
      x.storage.withUnsafeBufferPointer { xp in
        weights.storage.withUnsafeBufferPointer { wp in
          withBias { bp in
            run(backend, g, pass: .forward, input: xp.baseAddress!, weights: wp.baseAddress!,
                bias: bp, output: yp.baseAddress!)
          }
        }
      }
      initialised = count
    }
    return Tensor(shape: g.outputShape, storage: y)
  }

  /// Input gradient: `dx = conv_transpose(dy, W)`, `[N, M, OH, OW]` → `[N, C, H, W]`.
  public func backwardData(
    _ dy: Tensor, inputShape: [Int], backend: ConvolutionBackend? = nil
  ) -> Tensor {
    let g = geometry(input: inputShape)
    precondition(dy.shape == g.outputShape, "conv backward: dy \(dy.shape) vs \(g.outputShape)")
    let chosen = backend ?? Self.backend(for: g, pass: .backwardData, reused: isReused)
    if chosen == .reference {
      return ReferenceConvolution.backwardData(dy, weights: weights, geometry: g)
    }
    let count = inputShape.reduce(1, *)
    let dx = [Float](unsafeUninitializedCapacity: count) { xp, initialised in
      dy.storage.withUnsafeBufferPointer { dp in
        weights.storage.withUnsafeBufferPointer { wp in
          run(chosen, g, pass: .backwardData, input: dp.baseAddress!, weights: wp.baseAddress!,
              bias: nil, output: xp.baseAddress!)
        }
      }
      initialised = count
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
      let options = PlanOptions(blocked: backend == .dnnlBlocked)
      if let plan = plan(g, pass: pass, options: options, userWeights: weights.storage) {
        plan.run(input: input, bias: bias, output: output)
        return
      }
      // oneDNN refused the shape: fall through to the portable paths.
      fallthrough
    case .blas, .direct, .reference:
      let direct = backend != .blas && DepthwiseConvolution.applies(to: g)
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
    _ g: ConvolutionGeometry, pass: ConvolutionPass, options: PlanOptions, userWeights: [Float]
  ) -> DNNLPrimitive? {
    let key = PlanKey(geometry: g, pass: pass, options: options)
    if let plan = plans.withLock({ $0[key] }) { return plan }
    // Created outside the lock: primitive creation takes milliseconds.
    guard
      let plan = userWeights.withUnsafeBufferPointer({ w in
        DNNLPrimitive(
          geometry: g, backwardData: pass == .backwardData, hasBias: bias != nil && pass == .forward,
          options: options, weights: w.baseAddress!)
      })
    else { return nil }
    return plans.withLock { plans in
      if let existing = plans[key] { return existing }
      plans[key] = plan
      return plan
    }
  }

  /// oneDNN's implementation name for a cached primitive ("" when none was made).
  public func dnnlImplementation(
    input: [Int], pass: ConvolutionPass, blocked: Bool, layout: ImageLayout = .nchw,
    outputLayout: ImageLayout = .nchw, activation: ConvolutionActivation = .none
  ) -> String {
    let options = PlanOptions(blocked: blocked, input: layout, output: outputLayout, activation: activation)
    let key = PlanKey(geometry: geometry(input: input), pass: pass, options: options)
    return plans.withLock { $0[key]?.implementation } ?? "(none: fell back to blas)"
  }

  private struct PlanKey: Hashable {
    var geometry: ConvolutionGeometry
    var pass: ConvolutionPass
    var options: PlanOptions
  }
}
