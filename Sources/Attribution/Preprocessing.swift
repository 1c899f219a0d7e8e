// From display pixels to the tensor a model reads: the one bridge between Imaging and Engine.
public import Engine
public import Imaging

/// A failure to name or define a preprocessing.
public enum PreprocessingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The name is not one of the presets.
  case unknownName(String, valid: [String])
  /// A custom mean or standard deviation has the wrong length or an unusable value.
  case invalidParameters(String)

  public var description: String {
    switch self {
    case .unknownName(let name, let valid):
      "unknown preprocessing '\(name)'; valid: \(valid.joined(separator: ", "))"
    case .invalidParameters(let reason): "invalid preprocessing: \(reason)"
    }
  }
}

/// How 0...255 RGB pixel values become a model's input values, channel by channel.
///
/// `x[c] = (p[c'] / divisor - mean[c]) / std[c]`, where `c'` is `c` for RGB order and `2 - c`
/// for BGR order (output channel 0 is blue). Computed in Double, rounded once to Float.
public struct Preprocessing: Sendable, Equatable {
  /// The order of the output channels.
  public enum ChannelOrder: String, Sendable { case rgb, bgr }

  /// The preset's name ("lite", ...) or "custom".
  public var name: String
  public var order: ChannelOrder
  /// Pixels are divided by this first (255 for torch's 0...1 scale, else 1).
  public var divisor: Double
  /// Per output channel, on the scale after the division.
  public var mean: [Double]
  /// Per output channel, non-zero.
  public var std: [Double]

  /// A preprocessing with explicit parameters.
  /// - Throws: ``PreprocessingError/invalidParameters(_:)`` unless there are 3 finite means and
  ///   3 finite non-zero standard deviations and a finite non-zero divisor.
  public init(
    name: String = "custom", order: ChannelOrder = .rgb, divisor: Double = 1, mean: [Double],
    std: [Double]
  ) throws(PreprocessingError) {
    guard mean.count == 3, std.count == 3 else {
      throw .invalidParameters(
        "need 3 means and 3 standard deviations, got \(mean.count) and \(std.count)")
    }
    guard mean.allSatisfy(\.isFinite), std.allSatisfy({ $0.isFinite && $0 != 0 }),
      divisor.isFinite, divisor != 0
    else {
      throw .invalidParameters(
        "means must be finite, the divisor and deviations finite and non-zero")
    }
    self.name = name
    self.order = order
    self.divisor = divisor
    self.mean = mean
    self.std = std
  }

  /// EfficientNet-Lite (TF Lite models): `(p - 127) / 128`.
  public static let lite = try! Preprocessing(
    name: "lite", mean: [127, 127, 127], std: [128, 128, 128])
  /// Keras "caffe" (VGG16, ResNet50): BGR order, minus the ImageNet BGR means, no scaling.
  public static let caffe = try! Preprocessing(
    name: "caffe", order: .bgr, mean: [103.939, 116.779, 123.68], std: [1, 1, 1])
  /// Keras "tf" (Xception, MobileNet): `p / 127.5 - 1`, i.e. `(p - 127.5) / 127.5`.
  public static let tf = try! Preprocessing(
    name: "tf", mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5])
  /// torchvision: `p / 255`, then ImageNet mean and standard deviation.
  public static let torch = try! Preprocessing(
    name: "torch", divisor: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

  /// The named presets, in the order error messages list them.
  public static let presets: [Preprocessing] = [.lite, .caffe, .tf, .torch]

  /// The preset called `name` (case-insensitive).
  /// - Throws: ``PreprocessingError/unknownName(_:valid:)`` listing the valid names.
  public static func named(_ name: String) throws(PreprocessingError) -> Preprocessing {
    let key = name.lowercased()
    guard let preset = presets.first(where: { $0.name == key }) else {
      throw .unknownName(name, valid: presets.map(\.name))
    }
    return preset
  }

  /// The model input `[1, 3, H, W]` for a resized float image on the 0...255 scale.
  ///
  /// Grey images (1 channel) feed all three channels; a fourth (alpha) channel is ignored.
  /// - Precondition: 1, 3 or 4 channels.
  public func tensor(from image: FloatImage) -> Tensor {
    precondition([1, 3, 4].contains(image.channels), "preprocessing needs grey, RGB or RGBA")
    let plane = image.width * image.height
    var storage = [Float](repeating: 0, count: 3 * plane)
    image.planes.withUnsafeBufferPointer { source in
      storage.withUnsafeMutableBufferPointer { target in
        for c in 0..<3 {
          let sourceChannel = image.channels == 1 ? 0 : (order == .rgb ? c : 2 - c)
          let src = source.baseAddress! + sourceChannel * plane
          let dst = target.baseAddress! + c * plane
          let (d, m, s) = (divisor, mean[c], std[c])
          for i in 0..<plane { dst[i] = Float((Double(src[i]) / d - m) / s) }
        }
      }
    }
    return Tensor(shape: [1, 3, image.height, image.width], storage: storage)  // [1, 3, H, W]
  }
}
