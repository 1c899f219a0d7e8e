// oneDNN primitives (convolution, inner product): created once per shape, run with
// caller-owned scratch memory.
import CDNNL

/// The process-wide oneDNN CPU engine (nil when oneDNN cannot start).
enum DNNL {
  nonisolated(unsafe) static let engine: dnnl_engine_t? = {
    var engine: dnnl_engine_t?
    return dnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success ? engine : nil
  }()
}

/// One oneDNN primitive (a convolution or inner product, forward or backward-data) with its
/// weights already in the layout it wants.
///
/// NB: primitive creation costs 0.1-10 ms, so ``Convolution`` and ``InnerProduct`` cache one
/// per input shape. Execution is thread-safe: the scratchpad is passed in per call
/// (`scratchpad_mode_user`) and each call makes its own stream.
final class DNNLPrimitive: @unchecked Sendable {
  private var primitive = glimpse_conv()
  private let weights: UnsafeMutableRawPointer
  /// What the primitive computes, for failure messages.
  let label: String

  /// Creates the primitive with `create` and reorders the plain `weights` for it; nil when
  /// oneDNN has no implementation for the problem.
  private init?(
    label: String, weights w: UnsafePointer<Float>,
    create: (UnsafeMutablePointer<glimpse_conv>, dnnl_engine_t) -> dnnl_status_t
  ) {
    self.label = label
    guard let engine = DNNL.engine else { return nil }
    let status = create(&primitive, engine)
    weights = .allocate(byteCount: max(primitive.weights_size, 4), alignment: 64)
    guard status == dnnl_success,
      glimpse_conv_reorder_weights(&primitive, engine, w, weights) == dnnl_success
    else { return nil }
  }

  /// A convolution on `g`, its weights `[M, C/g, KH, KW]` at `w`.
  convenience init?(
    geometry g: ConvolutionGeometry, backwardData: Bool, hasBias: Bool, options: PlanOptions,
    weights w: UnsafePointer<Float>
  ) {
    let dims: [Int64] = [
      g.batch, g.inChannels, g.height, g.width, g.outChannels, g.outHeight, g.outWidth,
      g.kernelHeight, g.kernelWidth, g.groups, g.strideH, g.strideW, g.dilationH, g.dilationW,
      g.padTop, g.padLeft, g.padBottom, g.padRight,
    ].map { Int64($0) }
    var settings = glimpse_conv_options()
    settings.backward_data = backwardData ? 1 : 0
    settings.has_bias = hasBias ? 1 : 0
    settings.blocked = options.blocked ? 1 : 0
    settings.in_nhwc = options.input == .nhwc ? 1 : 0
    settings.out_nhwc = options.output == .nhwc ? 1 : 0
    switch options.activation {
    case .none: settings.activation = 0
    case .relu: settings.activation = 1
    case .clip(let low, let high): (settings.activation, settings.low, settings.high) = (2, low, high)
    }
    self.init(label: "convolution \(g)", weights: w) { primitive, engine in
      glimpse_conv_create(primitive, engine, dims, &settings)
    }
  }

  /// An inner product `[m, k] x [n, k]^T` (+ bias) → `[m, n]`, or its input gradient; the
  /// weights at `w` are `[n, k]`, or `[k, n]` when `transposed`.
  convenience init?(
    rows m: Int, inputs k: Int, outputs n: Int, backwardData: Bool, hasBias: Bool,
    weights w: UnsafePointer<Float>, transposed: Bool
  ) {
    self.init(label: "inner product \(m)x\(k) -> \(n)", weights: w) { primitive, engine in
      glimpse_ip_create(
        primitive, engine, Int64(m), Int64(k), Int64(n), backwardData ? 1 : 0, hasBias ? 1 : 0,
        transposed ? 1 : 0)
    }
  }

  deinit {
    glimpse_conv_destroy(&primitive)
    weights.deallocate()
  }

  /// oneDNN's name for the implementation it picked (e.g. `jit:avx512_core`).
  var implementation: String {
    withUnsafePointer(to: primitive) { glimpse_conv_impl($0).map { String(cString: $0) } ?? "?" }
  }

  /// Runs on `input` (x, or dy for backward-data) into `output`, in the layouts it was made for.
  func run(input: UnsafePointer<Float>, bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
    let bytes = primitive.scratchpad_size
      + (primitive.in_reorder != nil ? primitive.in_size : 0)
      + (primitive.out_reorder != nil ? primitive.out_size : 0)
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 64), alignment: 64)
    defer { scratch.deallocate() }
    // NB: omp_set_num_threads only sets the calling thread's OpenMP default, and models run on
    // whatever thread the caller picked: apply the engine's budget on every call (it is cheap).
    glimpse_set_omp_threads(Int32(EngineThreads.count))
    let status = withUnsafePointer(to: primitive) {
      glimpse_conv_run(
        $0, DNNL.engine, input, weights, bias, output,
        scratch.assumingMemoryBound(to: CChar.self))
    }
    // Shapes and memory were validated at creation: a failure here is a bug, not user input.
    precondition(status == dnnl_success, "oneDNN \(label) failed (\(status))")
  }
}
