// The sliding-window attributes Conv and the pooling ops share, checked against the input rank.
public import Engine

/// `kernel_shape`, `strides`, `dilations`, `pads` and `auto_pad` as a node gives them, for 1-D
/// or 2-D windows (a 1-D window runs as 2-D with height 1).
public struct WindowAttributes: Sendable, Equatable {
  /// nil: taken from the weights (Conv only).
  public var kernelShape: [Int]?
  /// nil: 1 on every axis.
  public var strides: [Int]?
  public var dilations: [Int]?
  /// `[x1_begin, x2_begin, ..., x1_end, x2_end, ...]`; nil: zeros.
  public var pads: [Int]?
  public var autoPad: AutoPad

  public init(
    kernelShape: [Int]? = nil, strides: [Int]? = nil, dilations: [Int]? = nil, pads: [Int]? = nil,
    autoPad: AutoPad = .notSet
  ) {
    (self.kernelShape, self.strides, self.dilations, self.pads) = (kernelShape, strides, dilations, pads)
    self.autoPad = autoPad
  }

  /// A problem with the attributes, naming the attribute.
  public struct Problem: Error, Equatable {
    public var attribute: String
    public var message: String
  }

  /// The 2-D window for a kernel of spatial extents `kernel` (1 or 2 of them).
  /// - Throws: ``Problem`` when a list has the wrong length or a value is out of range.
  public func window(kernel: [Int]) throws(Problem) -> Window2D {
    let r = kernel.count
    guard r == 1 || r == 2 else {
      throw Problem(attribute: "kernel_shape", message: "has \(r) spatial axes; only 1-D and 2-D windows are supported")
    }
    if let kernelShape, kernelShape != kernel {
      throw Problem(attribute: "kernel_shape", message: "is \(kernelShape) but the weights' kernel is \(kernel)")
    }
    let strides = try list("strides", self.strides, count: r, default: 1, minimum: 1)
    let dilations = try list("dilations", self.dilations, count: r, default: 1, minimum: 1)
    let pads = try list("pads", self.pads, count: 2 * r, default: 0, minimum: 0)
    if kernel.contains(where: { $0 < 1 }) {
      throw Problem(attribute: "kernel_shape", message: "must be positive, got \(kernel)")
    }
    if r == 1 {
      return Window2D(
        kernelHeight: 1, kernelWidth: kernel[0], strides: (1, strides[0]), dilations: (1, dilations[0]),
        pads: (0, pads[0], 0, pads[1]), autoPad: autoPad)
    }
    return Window2D(
      kernelHeight: kernel[0], kernelWidth: kernel[1], strides: (strides[0], strides[1]),
      dilations: (dilations[0], dilations[1]), pads: (pads[0], pads[1], pads[2], pads[3]),
      autoPad: autoPad)
  }

  private func list(
    _ name: String, _ values: [Int]?, count: Int, default value: Int, minimum: Int
  ) throws(Problem) -> [Int] {
    guard let values else { return Array(repeating: value, count: count) }
    guard values.count == count else {
      throw Problem(attribute: name, message: "needs \(count) values for \(count == 2 || count == 4 ? "2-D" : "1-D") input, got \(values)")
    }
    if let bad = values.first(where: { $0 < minimum }) {
      throw Problem(attribute: name, message: "must be at least \(minimum), got \(bad)")
    }
    return values
  }
}

extension OperatorInputs {
  /// `x` viewed as NCHW: a rank-3 `[N, C, L]` becomes `[N, C, 1, L]`.
  static func asNCHW(_ x: Tensor, op: String) throws -> Tensor {
    switch x.rank {
    case 4: return x
    case 3: return x.reshaped([x.shape[0], x.shape[1], 1, x.shape[2]])
    default:
      throw OperatorError.invalidInput(
        op: op, message: "input must be [N, C, H, W] or [N, C, L], got shape \(x.shape)")
    }
  }

  /// Undoes ``asNCHW(_:op:)`` on a result when the original input had rank 3.
  static func restoreRank(_ y: Tensor, rank: Int) -> Tensor {
    rank == 3 ? y.reshaped([y.shape[0], y.shape[1], y.shape[3]]) : y
  }
}
