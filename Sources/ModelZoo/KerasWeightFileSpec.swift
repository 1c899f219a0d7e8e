// The ImageNet weight files Keras downloads for VGG16 and Xception, as tf_keras declares them
// (tf_keras/src/applications/vgg16.py and xception.py: origin URL and md5 `file_hash`).

/// One Keras weight file: its name in the Keras cache, where Keras downloads it, its md5.
public struct KerasWeightFileSpec: Sendable, Equatable, CustomStringConvertible {
  /// Keras' base URL for application weights; `GLIMPSE_KERAS_WEIGHTS_URL` replaces it.
  public static let kerasBaseURL = "https://storage.googleapis.com/tensorflow/keras-applications"

  /// The file name Keras caches it under (`vgg16_weights_tf_dim_ordering_tf_kernels.h5`).
  public var fileName: String
  /// The path below the base URL (`vgg16/vgg16_weights_tf_dim_ordering_tf_kernels.h5`).
  public var relativePath: String
  /// The expected md5 of the file's bytes, lowercase hex (Keras' `file_hash`).
  public var md5: String
  /// The file's size in bytes when known (for messages and for progress without a
  /// Content-Length); never used to accept or reject a file, the md5 does that.
  public var byteCount: Int64?

  /// A weight file; `md5` is lowercased.
  public init(fileName: String, relativePath: String, md5: String, byteCount: Int64? = nil) {
    self.fileName = fileName
    self.relativePath = relativePath
    self.md5 = md5.lowercased()
    self.byteCount = byteCount
  }

  /// The URL Keras itself downloads the file from.
  public var kerasURL: String { Self.kerasBaseURL + "/" + relativePath }

  /// The download URL under a given base (a mirror or a test server), trailing slashes ignored.
  public func url(base: String) -> String {
    var trimmed = Substring(base)
    while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    return trimmed + "/" + relativePath
  }

  /// The same file expected to have another md5 (tests serving their own bytes use this).
  public func expecting(md5: String, byteCount: Int64? = nil) -> KerasWeightFileSpec {
    KerasWeightFileSpec(
      fileName: fileName, relativePath: relativePath, md5: md5, byteCount: byteCount)
  }

  public var description: String { fileName }
}

extension KerasWeightFileSpec {
  // NB: byte counts are the Content-Length Google Cloud Storage reports for these URLs, as
  // printed in the denominators of Keras' own download progress lines in many public logs (the
  // notop VGG16 size also appears as HDF5's `stored_eoa` in truncation errors).

  /// VGG16 with its classifier head (`include_top=True`).
  public static let vgg16 = KerasWeightFileSpec(
    fileName: "vgg16_weights_tf_dim_ordering_tf_kernels.h5",
    relativePath: "vgg16/vgg16_weights_tf_dim_ordering_tf_kernels.h5",
    md5: "64373286793e3c8b2b4e3219cbf3544b", byteCount: 553_467_096)

  /// VGG16's convolutional base only (`include_top=False`).
  public static let vgg16NoTop = KerasWeightFileSpec(
    fileName: "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
    relativePath: "vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
    md5: "6d6bbae143d832006294945121d1f1fc", byteCount: 58_889_256)

  /// Xception with its classifier head.
  public static let xception = KerasWeightFileSpec(
    fileName: "xception_weights_tf_dim_ordering_tf_kernels.h5",
    relativePath: "xception/xception_weights_tf_dim_ordering_tf_kernels.h5",
    md5: "0a58e3b7378bc2990ea3b43d5981f1f6", byteCount: 91_884_032)

  /// Xception's convolutional base only.
  public static let xceptionNoTop = KerasWeightFileSpec(
    fileName: "xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
    relativePath: "xception/xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
    md5: "b0042744bf5b25fce3cb969f33bebb97", byteCount: 83_683_744)

  /// All four files Glimpse knows.
  public static let all: [KerasWeightFileSpec] = [vgg16, vgg16NoTop, xception, xceptionNoTop]

  /// The file for a model name (`vgg16`, `xception`, any case), or nil for other models.
  public static func forModel(_ name: String, includeTop: Bool) -> KerasWeightFileSpec? {
    switch name.lowercased() {
    case "vgg16": return includeTop ? vgg16 : vgg16NoTop
    case "xception": return includeTop ? xception : xceptionNoTop
    default: return nil
    }
  }
}
