// Resizing photos for a model (squash or centre crop) and float maps for display.

/// How an image is fitted to a model's input size.
public enum ResizeMode: String, Sendable, CaseIterable {
  /// The whole image to exactly the target size; the aspect ratio is not kept.
  case squash
  /// Resize keeping the aspect ratio so the image covers `size / 0.875` (e.g. 256 for 224, the
  /// torchvision/ImageNet convention), then take the centre `size`.
  case crop
}

/// Where a `crop` resize puts its window: the intermediate size and the window's top-left.
public struct CropLayout: Sendable, Equatable {
  public var resizedWidth: Int
  public var resizedHeight: Int
  public var left: Int
  public var top: Int

  /// The fraction of the resized image a centre crop keeps along its shorter side.
  public static let fraction = 0.875

  /// The layout for fitting a `sourceWidth` x `sourceHeight` image to `width` x `height`.
  ///
  /// Scale `max(width / sourceWidth, height / sourceHeight) / 0.875`; the side that sets the scale
  /// becomes `round(target / 0.875)` and the other `floor(side * scale)` (torchvision's Resize(256)
  /// rule for the square case), never below the target. The offsets are `round((resized -
  /// target) / 2)` with ties to even, as torchvision's `center_crop`.
  public init(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) {
    precondition(sourceWidth > 0 && sourceHeight > 0 && width > 0 && height > 0, "empty size")
    let byWidth = Double(width) / Double(sourceWidth)
    let byHeight = Double(height) / Double(sourceHeight)
    if byWidth >= byHeight {
      resizedWidth = Int((Double(width) / Self.fraction).rounded())
      resizedHeight = max(height, Int(Double(resizedWidth) * Double(sourceHeight) / Double(sourceWidth)))
    } else {
      resizedHeight = Int((Double(height) / Self.fraction).rounded())
      resizedWidth = max(width, Int(Double(resizedHeight) * Double(sourceWidth) / Double(sourceHeight)))
    }
    left = Int((Double(resizedWidth - width) / 2).rounded(.toNearestOrEven))
    top = Int((Double(resizedHeight - height) / 2).rounded(.toNearestOrEven))
  }
}

extension Image {
  /// The image resized to `width` x `height` as unrounded floats on the 0...255 scale, planar.
  ///
  /// - Parameters:
  ///   - interpolation: how each output pixel is computed (see ``Interpolation``).
  ///   - mode: squash the whole image, or resize and take the centre (see ``ResizeMode``).
  public func resized(
    width: Int, height: Int, interpolation: Interpolation = .bilinear, mode: ResizeMode = .squash
  ) -> FloatImage {
    precondition(width > 0 && height > 0, "resize to an empty size")
    precondition(self.width > 0 && self.height > 0, "resize of an empty image")
    var columns: ResampleAxis, rows: ResampleAxis
    switch mode {
    case .squash:
      columns = ResampleAxis(input: self.width, output: width, interpolation: interpolation)
      rows = ResampleAxis(input: self.height, output: height, interpolation: interpolation)
    case .crop:
      let layout = CropLayout(sourceWidth: self.width, sourceHeight: self.height, width: width, height: height)
      columns = ResampleAxis(input: self.width, output: layout.resizedWidth, interpolation: interpolation)
        .slice(offset: layout.left, length: width)
      rows = ResampleAxis(input: self.height, output: layout.resizedHeight, interpolation: interpolation)
        .slice(offset: layout.top, length: height)
    }
    let layout = SampleLayout(
      width: self.width, height: self.height, channels: channels, pixelStride: channels,
      rowStride: self.width * channels, channelStride: 1)
    let planes = pixels.withUnsafeBufferPointer {
      Resampler.resample($0.baseAddress!, layout: layout, columns: columns, rows: rows)
    }
    return FloatImage(width: width, height: height, channels: channels, planes: planes)
  }
}

extension FloatImage {
  /// The map resized (squashed) to `width` x `height`, e.g. a 7x7 Grad-CAM map to photo size.
  ///
  /// Bilinear by default, with half-pixel centres: each map cell covers an equal block of the
  /// output and the values are interpolated between cell centres, flat beyond the outer ones.
  public func resized(width: Int, height: Int, interpolation: Interpolation = .bilinear)
    -> FloatImage
  {
    precondition(width > 0 && height > 0, "resize to an empty size")
    precondition(self.width > 0 && self.height > 0, "resize of an empty map")
    let columns = ResampleAxis(input: self.width, output: width, interpolation: interpolation)
    let rows = ResampleAxis(input: self.height, output: height, interpolation: interpolation)
    let layout = SampleLayout(
      width: self.width, height: self.height, channels: channels, pixelStride: 1,
      rowStride: self.width, channelStride: self.width * self.height)
    let out = planes.withUnsafeBufferPointer {
      Resampler.resample($0.baseAddress!, layout: layout, columns: columns, rows: rows)
    }
    return FloatImage(width: width, height: height, channels: channels, planes: out)
  }
}
