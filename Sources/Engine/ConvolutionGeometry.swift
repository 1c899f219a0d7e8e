// The sizes of a 2-D convolution or pooling window, and how ONNX's padding rules resolve.

/// How padding is chosen (ONNX `auto_pad`).
public enum AutoPad: String, Sendable, Hashable {
  /// Explicit `pads`.
  case notSet = "NOTSET"
  /// Output size `ceil(in / stride)`; an odd total pad puts the extra at the end.
  case sameUpper = "SAME_UPPER"
  /// Output size `ceil(in / stride)`; an odd total pad puts the extra at the start.
  case sameLower = "SAME_LOWER"
  /// No padding.
  case valid = "VALID"
}

/// A 2-D sliding window: kernel extent, strides, dilations and padding, as ONNX gives them.
public struct Window2D: Sendable, Hashable {
  public var kernelHeight: Int, kernelWidth: Int
  public var strideH: Int, strideW: Int
  public var dilationH: Int, dilationW: Int
  /// Explicit pads (used when `autoPad` is `.notSet`).
  public var padTop: Int, padLeft: Int, padBottom: Int, padRight: Int
  public var autoPad: AutoPad

  public init(
    kernelHeight: Int, kernelWidth: Int, strides: (Int, Int) = (1, 1), dilations: (Int, Int) = (1, 1),
    pads: (top: Int, left: Int, bottom: Int, right: Int) = (0, 0, 0, 0), autoPad: AutoPad = .notSet
  ) {
    self.kernelHeight = kernelHeight
    self.kernelWidth = kernelWidth
    (strideH, strideW) = strides
    (dilationH, dilationW) = dilations
    (padTop, padLeft, padBottom, padRight) = pads
    self.autoPad = autoPad
  }

  /// The pads `(begin, end)` along one axis of extent `size`.
  ///
  /// For SAME_*: total = `max(0, (ceil(size/stride) - 1) * stride + (k - 1) * d + 1 - size)`.
  static func pads(
    size: Int, kernel: Int, stride: Int, dilation: Int, explicit: (Int, Int), autoPad: AutoPad
  ) -> (Int, Int) {
    switch autoPad {
    case .notSet: return explicit
    case .valid: return (0, 0)
    case .sameUpper, .sameLower:
      let out = (size + stride - 1) / stride
      let total = max(0, (out - 1) * stride + (kernel - 1) * dilation + 1 - size)
      let small = total / 2
      return autoPad == .sameUpper ? (small, total - small) : (total - small, small)
    }
  }

  /// Resolved pads `(top, left, bottom, right)` for an input of `height` x `width`.
  public func resolvedPads(height: Int, width: Int) -> (Int, Int, Int, Int) {
    let (t, b) = Self.pads(
      size: height, kernel: kernelHeight, stride: strideH, dilation: dilationH,
      explicit: (padTop, padBottom), autoPad: autoPad)
    let (l, r) = Self.pads(
      size: width, kernel: kernelWidth, stride: strideW, dilation: dilationW,
      explicit: (padLeft, padRight), autoPad: autoPad)
    return (t, l, b, r)
  }
}

/// Every size of one 2-D convolution call, resolved: input, weights, window, output.
///
/// `y[n, m, oh, ow] = b[m] + sum_{c in group(m), kh, kw} x[n, c, oh*sh - pt + kh*dh,
/// ow*sw - pl + kw*dw] * w[m, c mod Cg, kh, kw]`, out-of-range taps reading zero.
public struct ConvolutionGeometry: Sendable, Hashable, CustomStringConvertible {
  public var batch: Int, inChannels: Int, height: Int, width: Int
  public var outChannels: Int, kernelHeight: Int, kernelWidth: Int, groups: Int
  public var strideH: Int, strideW: Int, dilationH: Int, dilationW: Int
  public var padTop: Int, padLeft: Int, padBottom: Int, padRight: Int

  /// Resolves `window` (auto_pad included) for an input of shape `[N, C, H, W]` and weights
  /// `[M, C/groups, KH, KW]`.
  public init(input: [Int], weights: [Int], groups: Int, window: Window2D) {
    precondition(input.count == 4 && weights.count == 4, "conv shapes \(input) \(weights)")
    (batch, inChannels, height, width) = (input[0], input[1], input[2], input[3])
    (outChannels, kernelHeight, kernelWidth) = (weights[0], weights[2], weights[3])
    self.groups = groups
    (strideH, strideW) = (window.strideH, window.strideW)
    (dilationH, dilationW) = (window.dilationH, window.dilationW)
    let w = Window2D(
      kernelHeight: kernelHeight, kernelWidth: kernelWidth, strides: (strideH, strideW),
      dilations: (dilationH, dilationW),
      pads: (window.padTop, window.padLeft, window.padBottom, window.padRight),
      autoPad: window.autoPad)
    (padTop, padLeft, padBottom, padRight) = w.resolvedPads(height: height, width: width)
  }

  /// Output height: `(H + pt + pb - dh*(KH-1) - 1) / sh + 1` (floor).
  public var outHeight: Int {
    (height + padTop + padBottom - dilationH * (kernelHeight - 1) - 1) / strideH + 1
  }
  /// Output width.
  public var outWidth: Int {
    (width + padLeft + padRight - dilationW * (kernelWidth - 1) - 1) / strideW + 1
  }
  /// Input channels per group (`Cg`).
  public var groupInChannels: Int { inChannels / groups }
  /// Output channels per group (`Mg`).
  public var groupOutChannels: Int { outChannels / groups }
  /// Whether each input channel has its own filters (`groups == C`, one channel per group).
  public var isDepthwise: Bool { groups == inChannels && groups > 1 }
  public var inputShape: [Int] { [batch, inChannels, height, width] }
  public var weightShape: [Int] { [outChannels, groupInChannels, kernelHeight, kernelWidth] }
  public var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }
  /// Multiply-adds times two.
  public var flops: Double {
    2 * Double(batch * outChannels * outHeight * outWidth * groupInChannels * kernelHeight * kernelWidth)
  }

  /// Why these sizes cannot be convolved, or nil when they can.
  public var problem: String? {
    if groups < 1 { return "group must be at least 1, got \(groups)" }
    if inChannels % groups != 0 || outChannels % groups != 0 {
      return "group \(groups) must divide input channels \(inChannels) and output channels \(outChannels)"
    }
    if min(strideH, strideW, dilationH, dilationW) < 1 { return "strides and dilations must be positive" }
    if min(padTop, padLeft, padBottom, padRight) < 0 { return "pads must not be negative" }
    if min(kernelHeight, kernelWidth) < 1 { return "empty kernel" }
    if outHeight < 1 || outWidth < 1 {
      return "the kernel (extent \(dilationH * (kernelHeight - 1) + 1)x\(dilationW * (kernelWidth - 1) + 1)) "
        + "does not fit the padded \(height)x\(width) input"
    }
    return nil
  }

  public var description: String {
    "N\(batch) \(inChannels)->\(outChannels) \(height)x\(width) k\(kernelHeight)x\(kernelWidth)"
      + " s\(strideH)x\(strideW) d\(dilationH)x\(dilationW) p\(padTop),\(padLeft),\(padBottom),\(padRight)"
      + (groups > 1 ? " g\(groups)" : "")
  }
}
