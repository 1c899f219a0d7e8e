// One layer of a built-in Keras architecture, as `model.layers` lists it, and the shapes
// Keras gives its output and weights.

/// How a Keras window layer pads (`padding="valid"` or `"same"`).
///
/// TF's "same": output `ceil(n / s)`, total pad `max((ceil(n / s) - 1) * s + k - n, 0)`,
/// `total / 2` before and the rest after (ONNX's SAME_UPPER).
public enum KerasPadding: String, Sendable, Equatable {
  case valid, same
}

/// One Keras layer: its name, what it computes and which layers feed it.
public struct KerasLayer: Sendable, Equatable {
  /// The computation, with the arguments the Keras constructor received.
  public enum Kind: Sendable, Equatable {
    /// `Conv2D` with square kernel and stride; `relu` when built with `activation="relu"`.
    case conv2D(filters: Int, kernel: Int, stride: Int, padding: KerasPadding, bias: Bool, relu: Bool)
    /// `SeparableConv2D` without bias: depthwise (multiplier 1), then pointwise 1x1.
    case separableConv2D(filters: Int, kernel: Int, padding: KerasPadding)
    /// `BatchNormalization` in inference (moving statistics), epsilon 1e-3.
    case batchNormalization
    /// `Activation("relu")`.
    case relu
    /// `MaxPooling2D`.
    case maxPool(size: Int, stride: Int, padding: KerasPadding)
    /// `Add` of two same-shaped tensors.
    case add
    /// `Flatten` of an NHWC tensor (H, W, C order).
    case flatten
    /// `GlobalAveragePooling2D`: `[N, C]`.
    case globalAveragePool
    /// `Dense`, with `relu` or `softmax` activation.
    case dense(units: Int, softmax: Bool)
  }

  public var name: String
  public var kind: Kind
  /// The layers (or `input_1`) whose outputs this one reads.
  public var inputs: [String]

  public init(_ name: String, _ kind: Kind, inputs: [String]) {
    (self.name, self.kind, self.inputs) = (name, kind, inputs)
  }

  /// Keras' names for this layer's weights, in `layer.weights` order (empty: no weights).
  public var weightNames: [String] {
    switch kind {
    case .conv2D(_, _, _, _, let bias, _): return bias ? ["kernel", "bias"] : ["kernel"]
    case .separableConv2D: return ["depthwise_kernel", "pointwise_kernel"]
    case .batchNormalization: return ["gamma", "beta", "moving_mean", "moving_variance"]
    case .dense: return ["kernel", "bias"]
    default: return []
    }
  }

  /// The Keras weight shapes for an input of Keras shape `input` (`[H, W, C]` or `[units]`).
  func weightShapes(input: [Int]) -> [[Int]] {
    let channels = input.last ?? 0
    switch kind {
    case .conv2D(let filters, let k, _, _, let bias, _):
      return bias ? [[k, k, channels, filters], [filters]] : [[k, k, channels, filters]]
    case .separableConv2D(let filters, let k, _):
      return [[k, k, channels, 1], [1, 1, channels, filters]]
    case .batchNormalization: return Array(repeating: [channels], count: 4)
    case .dense(let units, _): return [[channels, units], [units]]
    default: return []
    }
  }

  /// The Keras output shape (no batch axis) for Keras input shapes, or nil when the window
  /// does not fit (the input is too small).
  func outputShape(inputs shapes: [[Int]]) -> [Int]? {
    guard let x = shapes.first else { return nil }
    switch kind {
    case .conv2D(let filters, let k, let s, let padding, _, _):
      return window(x, kernel: k, stride: s, padding: padding).map { $0 + [filters] }
    case .separableConv2D(let filters, let k, let padding):
      return window(x, kernel: k, stride: 1, padding: padding).map { $0 + [filters] }
    case .maxPool(let size, let s, let padding):
      return window(x, kernel: size, stride: s, padding: padding).map { $0 + [x[2]] }
    case .batchNormalization, .relu, .add: return x
    case .flatten: return [x.reduce(1, *)]
    case .globalAveragePool: return [x[2]]
    case .dense(let units, _): return [units]
    }
  }

  /// Output `[H, W]` of a square window over `[H, W, C]`.
  private func window(_ x: [Int], kernel k: Int, stride s: Int, padding: KerasPadding) -> [Int]? {
    guard x.count == 3 else { return nil }
    let extents = x.prefix(2).map { n in
      padding == .same ? (n + s - 1) / s : (n - k) / s + 1
    }
    return extents.allSatisfy({ $0 >= 1 }) && (padding == .same || x[0] >= k && x[1] >= k)
      ? extents : nil
  }
}

/// A layer with weights: its Keras weight names and shapes, in Keras order.
public struct KerasWeightedLayer: Sendable, Equatable {
  public var name: String
  /// `kernel`, `bias`, ... as `layer.weights` lists them.
  public var weightNames: [String]
  /// Keras layouts: conv `[kh, kw, in, out]`, depthwise `[kh, kw, in, 1]`, dense `[in, out]`.
  public var weightShapes: [[Int]]
  /// Keras named the layer itself (`conv2d_3`, `batch_normalization_1`): a file may number
  /// it differently, so binding matches it by order among its kind.
  public var autoNamedKind: String?
}

/// The prefixes of names Keras gives layers built without a `name`.
let autoNamedPrefixes = ["conv2d", "batch_normalization"]

/// The kind and index of an auto-generated layer name (`conv2d_3` -> (`conv2d`, 3),
/// `conv2d` -> (`conv2d`, 0)), or nil for a chosen name.
func autoName(_ name: String) -> (kind: String, index: Int)? {
  for prefix in autoNamedPrefixes where name.hasPrefix(prefix) {
    let rest = name.dropFirst(prefix.count)
    if rest.isEmpty { return (prefix, 0) }
    if rest.first == "_", let n = Int(rest.dropFirst()), n >= 1 { return (prefix, n) }
  }
  return nil
}
