// Images are compared by decoded pixels with a tolerance, never by bytes: two encoders (or two
// zlib levels) give different PNG bytes for the same picture, and a changed heatmap must fail
// even when the text around it is identical.
public import Imaging
public import JupyterProtocol

/// How far a replayed image may drift from the saved one.
public struct ImageTolerance: Sendable, Equatable {
  /// The largest share of pixels (0...1) allowed to differ by more than `channelThreshold`.
  public var maxDifferingFraction: Double
  /// A pixel differs when some channel moved by more than this many levels (0...255).
  public var channelThreshold: Int

  /// The defaults: at most 1% of pixels may differ by more than 8/255.
  public init(maxDifferingFraction: Double = 0.01, channelThreshold: Int = 8) {
    self.maxDifferingFraction = maxDifferingFraction
    self.channelThreshold = channelThreshold
  }

  /// This tolerance with the fields of a metadata object applied:
  /// `{"max_differing_fraction": 0.02, "channel_threshold": 16}` (either may be left out).
  ///
  /// - Throws: `NotebookError.invalid` naming the field when a value is out of range.
  public func overridden(by json: JSONValue?, file: String, path: String) throws(NotebookError)
    -> ImageTolerance
  {
    guard let json else { return self }
    var out = self
    if let value = json["max_differing_fraction"] {
      guard let fraction = value.doubleValue, (0...1).contains(fraction) else {
        throw NotebookError.invalid(
          file: file, path: "\(path).max_differing_fraction", reason: "expected a number in 0...1")
      }
      out.maxDifferingFraction = fraction
    }
    if let value = json["channel_threshold"] {
      guard let levels = value.intValue, (0...255).contains(levels) else {
        throw NotebookError.invalid(
          file: file, path: "\(path).channel_threshold", reason: "expected an integer in 0...255")
      }
      out.channelThreshold = levels
    }
    return out
  }
}

/// The outcome of comparing two same-sized images pixel by pixel.
public struct PixelDifference: Sendable, Equatable {
  /// Pixels whose largest channel difference exceeds the threshold.
  public var differingPixels: Int
  /// All pixels.
  public var totalPixels: Int
  /// The largest channel difference anywhere (0...255).
  public var maxChannelDifference: Int

  /// `differingPixels / totalPixels`.
  public var differingFraction: Double {
    totalPixels == 0 ? 0 : Double(differingPixels) / Double(totalPixels)
  }

  /// Compares `expected` and `actual` (same size; channel counts may differ: grey counts as
  /// R = G = B, alpha is ignored).
  public init(expected: Image, actual: Image, threshold: Int) {
    precondition(expected.width == actual.width && expected.height == actual.height, "sizes")
    totalPixels = expected.width * expected.height
    var differing = 0
    var worst: UInt8 = 0
    let limit = UInt8(clamping: threshold)
    for delta in Self.channelDeltas(expected, actual) {
      if delta > limit { differing += 1 }
      worst = max(worst, delta)
    }
    differingPixels = differing
    maxChannelDifference = Int(worst)
  }

  /// Each pixel's largest channel difference, row-major (raw pointers: this target is not
  /// built with -O in debug, and closures or subscripts per pixel cost ~10x there).
  static func channelDeltas(_ a: Image, _ b: Image) -> [UInt8] {
    let count = a.width * a.height
    var deltas = [UInt8](repeating: 0, count: count)
    let ca = a.channels
    let cb = b.channels
    // Grey images have one channel: it stands for R, G and B; alpha is ignored.
    let offsetsA = ca == 1 ? [0, 0, 0] : [0, 1, 2]
    let offsetsB = cb == 1 ? [0, 0, 0] : [0, 1, 2]
    a.pixels.withUnsafeBufferPointer { pa in
      b.pixels.withUnsafeBufferPointer { pb in
        deltas.withUnsafeMutableBufferPointer { pd in
          var p = pa.baseAddress!
          var q = pb.baseAddress!
          let d = pd.baseAddress!
          let (a0, a1, a2) = (offsetsA[0], offsetsA[1], offsetsA[2])
          let (b0, b1, b2) = (offsetsB[0], offsetsB[1], offsetsB[2])
          for i in 0..<count {
            let d0 = p[a0] > q[b0] ? p[a0] - q[b0] : q[b0] - p[a0]
            let d1 = p[a1] > q[b1] ? p[a1] - q[b1] : q[b1] - p[a1]
            let d2 = p[a2] > q[b2] ? p[a2] - q[b2] : q[b2] - p[a2]
            d[i] = max(d0, max(d1, d2))
            p += ca
            q += cb
          }
        }
      }
    }
    return deltas
  }

  /// An RGB picture of where two images differ: differing pixels in red over a faded grey
  /// copy of `expected`.
  public static func diffImage(expected: Image, actual: Image, threshold: Int) -> Image {
    let count = expected.width * expected.height
    let deltas = channelDeltas(expected, actual)
    let limit = UInt8(clamping: threshold)
    var out = [UInt8](repeating: 0, count: count * 3)
    let c = expected.channels
    expected.pixels.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { target in
        let p = source.baseAddress!
        let o = target.baseAddress!
        for i in 0..<count {
          if deltas[i] > limit {
            (o[3 * i], o[3 * i + 1], o[3 * i + 2]) = (255, 0, 0)
          } else {
            let luma =
              c < 3
              ? Int(p[i * c])
              : (299 * Int(p[i * c]) + 587 * Int(p[i * c + 1]) + 114 * Int(p[i * c + 2])) / 1000
            let faded = UInt8(191 + luma / 4)  // light grey, 191...254
            (o[3 * i], o[3 * i + 1], o[3 * i + 2]) = (faded, faded, faded)
          }
        }
      }
    }
    return Image(width: expected.width, height: expected.height, channels: 3, pixels: out)
  }
}
