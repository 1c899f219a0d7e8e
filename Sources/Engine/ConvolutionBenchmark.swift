// Timing of each convolution backend on named shapes: the data behind the default choice.
import CBLAS
import Foundation

/// Times convolution backends, forward and input gradient, on given shapes.
public enum ConvolutionBenchmark {
  /// A named convolution shape.
  public struct Shape: Sendable {
    public var label: String
    /// `[N, C, H, W]`.
    public var input: [Int]
    /// `[M, C/g, KH, KW]`.
    public var weights: [Int]
    public var groups: Int
    public var window: Window2D

    public init(_ label: String, input: [Int], weights: [Int], groups: Int = 1, window: Window2D) {
      (self.label, self.input, self.weights, self.groups, self.window) = (label, input, weights, groups, window)
    }

    /// The same shape with another batch size.
    public func batch(_ n: Int) -> Shape {
      var copy = self
      copy.input[0] = n
      return copy
    }
  }

  /// One timing: best and median milliseconds of a pass, and the rate the best implies.
  public struct Row: Sendable, CustomStringConvertible {
    public var shape: String, batch: Int, threads: Int
    public var backend: ConvolutionBackend, pass: ConvolutionPass
    /// Best and median milliseconds per pass.
    public var milliseconds: Double, median: Double, gflops: Double
    /// oneDNN's implementation name, when it ran.
    public var implementation: String

    public var description: String {
      let cols = [
        shape.padding(toLength: 26, withPad: " ", startingAt: 0), "N\(batch)", "T\(threads)",
        backend.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0),
        pass.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0),
        String(format: "%9.3f ms (median %9.3f) %7.1f GFLOP/s", milliseconds, median, gflops), implementation,
      ]
      return cols.joined(separator: " ")
    }
  }

  /// EfficientNet-Lite0 and VGG16 convolutions (batch 1), as the import sees them.
  public static let standardShapes: [Shape] = {
    func window(_ k: Int, _ s: Int, _ p: (Int, Int, Int, Int)) -> Window2D {
      Window2D(kernelHeight: k, kernelWidth: k, strides: (s, s), pads: p)
    }
    return [
      Shape("effnet stem 3->32 s2 224", input: [1, 3, 224, 224], weights: [32, 3, 3, 3], window: window(3, 2, (0, 0, 1, 1))),
      Shape("effnet 1x1 16->96 112", input: [1, 16, 112, 112], weights: [96, 16, 1, 1], window: window(1, 1, (0, 0, 0, 0))),
      Shape("effnet 1x1 96->24 56", input: [1, 96, 56, 56], weights: [24, 96, 1, 1], window: window(1, 1, (0, 0, 0, 0))),
      Shape("effnet 1x1 24->144 56", input: [1, 24, 56, 56], weights: [144, 24, 1, 1], window: window(1, 1, (0, 0, 0, 0))),
      Shape("effnet 1x1 40->240 28", input: [1, 40, 28, 28], weights: [240, 40, 1, 1], window: window(1, 1, (0, 0, 0, 0))),
      Shape("effnet 1x1 112->672 14", input: [1, 112, 14, 14], weights: [672, 112, 1, 1], window: window(1, 1, (0, 0, 0, 0))),
      Shape("effnet 1x1 320->1280 7", input: [1, 320, 7, 7], weights: [1280, 320, 1, 1], window: window(1, 1, (0, 0, 0, 0))),
      Shape("effnet dw3x3 s2 96 112", input: [1, 96, 112, 112], weights: [96, 1, 3, 3], groups: 96, window: window(3, 2, (0, 0, 1, 1))),
      Shape("effnet dw3x3 144 56", input: [1, 144, 56, 56], weights: [144, 1, 3, 3], groups: 144, window: window(3, 1, (1, 1, 1, 1))),
      Shape("effnet dw5x5 240 28", input: [1, 240, 28, 28], weights: [240, 1, 5, 5], groups: 240, window: window(5, 1, (2, 2, 2, 2))),
      Shape("effnet dw5x5 672 14", input: [1, 672, 14, 14], weights: [672, 1, 5, 5], groups: 672, window: window(5, 1, (2, 2, 2, 2))),
      Shape("effnet dw5x5 1152 7", input: [1, 1152, 7, 7], weights: [1152, 1, 5, 5], groups: 1152, window: window(5, 1, (2, 2, 2, 2))),
      Shape("vgg 3x3 64->64 224", input: [1, 64, 224, 224], weights: [64, 64, 3, 3], window: window(3, 1, (1, 1, 1, 1))),
      Shape("vgg 3x3 512->512 14", input: [1, 512, 14, 14], weights: [512, 512, 3, 3], window: window(3, 1, (1, 1, 1, 1))),
    ]
  }()

  /// Times every backend in `backends` on `shape` (batch as given) with `threads` threads.
  ///
  /// Each pass runs once to warm up (creating oneDNN primitives), then until at least three
  /// runs and `minimumSeconds` have passed.
  public static func measure(
    _ shape: Shape, threads: Int, backends: [ConvolutionBackend] = [.blas, .direct, .dnnl, .dnnlBlocked],
    minimumSeconds: Double = 0.2
  ) -> [Row] {
    let saved = EngineThreads.count
    EngineThreads.count = threads
    defer { EngineThreads.count = saved }
    var state: UInt64 = 0x1234_5678
    func random(_ n: Int) -> [Float] {
      (0..<n).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1
      }
    }
    let conv = Convolution(
      weights: Tensor(shape: shape.weights, storage: random(shape.weights.reduce(1, *))),
      bias: Tensor(shape: [shape.weights[0]], storage: random(shape.weights[0])),
      groups: shape.groups, window: shape.window)
    let g = conv.geometry(input: shape.input)
    let x = Tensor(shape: shape.input, storage: random(shape.input.reduce(1, *)))
    let dy = Tensor(shape: g.outputShape, storage: random(g.outputShape.reduce(1, *)))
    var rows: [Row] = []
    for backend in backends {
      if backend == .direct && !DepthwiseConvolution.applies(to: g) { continue }
      for pass in [ConvolutionPass.forward, .backwardData] {
        let run = {
          if pass == .forward { _ = conv.forward(x, backend: backend) }
          else { _ = conv.backwardData(dy, inputShape: shape.input, backend: backend) }
        }
        run()
        var times: [Double] = []
        let start = Date()
        while times.count < 3 || (Date().timeIntervalSince(start) < minimumSeconds && times.count < 50) {
          let t0 = DispatchTime.now().uptimeNanoseconds
          run()
          times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        // Best of the runs: other processes share the 2 cores, and they only ever add time.
        let ms = times.min()!, median = times.sorted()[times.count / 2]
        let impl = backend == .dnnl || backend == .dnnlBlocked
          ? conv.dnnlImplementation(input: shape.input, pass: pass, blocked: backend == .dnnlBlocked) : ""
        rows.append(Row(
          shape: shape.label, batch: g.batch, threads: threads, backend: backend, pass: pass,
          milliseconds: ms, median: median, gflops: g.flops / ms / 1e6, implementation: impl))
      }
    }
    return rows
  }

  /// OpenBLAS's active kernel set (e.g. `Cooperlake`; `Prescott` means the slow fallback).
  public static var blasCore: String { openblas_get_corename().map { String(cString: $0) } ?? "?" }
}
