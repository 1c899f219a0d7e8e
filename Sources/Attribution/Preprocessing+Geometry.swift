// The size and resampling a model's input expects, and the whole photo -> tensor path.
public import Engine
public import Imaging

/// The spatial side of a model's input: its size and how a photo is fitted to it.
public struct InputGeometry: Sendable, Equatable {
  public var width: Int
  public var height: Int
  public var mode: ResizeMode
  public var interpolation: Interpolation

  /// A geometry; width and height must be positive.
  public init(
    width: Int, height: Int, mode: ResizeMode = .squash, interpolation: Interpolation = .bilinear
  ) {
    precondition(width > 0 && height > 0, "input size must be positive")
    self.width = width
    self.height = height
    self.mode = mode
    self.interpolation = interpolation
  }

  /// 224x224, whole image squashed, bilinear without antialiasing (the golden fixtures' rule).
  public static let squash224 = InputGeometry(width: 224, height: 224)
}

extension Preprocessing {
  /// The model input `[1, 3, H, W]` for a decoded photo: resize as `geometry` says, then
  /// normalise. Resized values stay unrounded floats between the two steps.
  public func tensor(from image: Image, geometry: InputGeometry) -> Tensor {
    let resized = image.resized(
      width: geometry.width, height: geometry.height, interpolation: geometry.interpolation,
      mode: geometry.mode)
    return tensor(from: resized)
  }
}
