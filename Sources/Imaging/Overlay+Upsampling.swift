// Bringing a coarse map (7x7 Grad-CAM, 14x14 activations) to the size it is drawn at.

extension ScalarMap {
  /// The map resized to `width` x `height` by bilinear interpolation with half-pixel centres.
  ///
  /// Output pixel `x` samples the source at `(x + 0.5) * width_in / width - 0.5`, clamped to the
  /// first and last source centres: `cv2.resize(INTER_LINEAR)` and PyTorch's `interpolate(...,
  /// align_corners=False)`, which pytorch-grad-cam and most CAM code use, so a map's cells stay
  /// centred on the image regions they describe. Shrinking samples without averaging.
  public func upsampled(width outWidth: Int, height outHeight: Int) -> ScalarMap {
    precondition(outWidth > 0 && outHeight > 0, "upsampling to an empty size")
    if outWidth == width && outHeight == height { return self }
    // A one-channel FloatImage is laid out exactly like a map: row-major, top row first.
    let resized = FloatImage(width: width, height: height, channels: 1, planes: values)
      .resized(width: outWidth, height: outHeight, interpolation: .bilinear)
    return ScalarMap(width: outWidth, height: outHeight, values: resized.planes)
  }
}
