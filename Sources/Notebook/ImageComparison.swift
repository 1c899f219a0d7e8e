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
    var worst = 0
    PixelDifference.forEachPixel(expected, actual) { delta in
      if delta > threshold { differing += 1 }
      if delta > worst { worst = delta }
    }
    differingPixels = differing
    maxChannelDifference = worst
  }

  /// Calls `body` with each pixel's largest channel difference, in row-major order.
  static func forEachPixel(_ a: Image, _ b: Image, _ body: (Int) -> Void) {
    let count = a.width * a.height
    a.pixels.withUnsafeBufferPointer { pa in
      b.pixels.withUnsafeBufferPointer { pb in
        let p = pa.baseAddress!
        let q = pb.baseAddress!
        let ca = a.channels
        let cb = b.channels
        for i in 0..<count {
          var delta = 0
          for k in 0..<3 {
            // Grey images have one channel: reuse it for R, G and B.
            let x = Int(p[i * ca + (ca == 1 ? 0 : k)])
            let y = Int(q[i * cb + (cb == 1 ? 0 : k)])
            delta = max(delta, abs(x - y))
          }
          body(delta)
        }
      }
    }
  }

  /// An RGB picture of where two images differ: differing pixels in red over a faded grey
  /// copy of `expected`.
  public static func diffImage(expected: Image, actual: Image, threshold: Int) -> Image {
    let count = expected.width * expected.height
    var out = [UInt8](repeating: 0, count: count * 3)
    var index = 0
    forEachPixel(expected, actual) { delta in
      let rgb: (UInt8, UInt8, UInt8)
      if delta > threshold {
        rgb = (255, 0, 0)
      } else {
        let faded = UInt8(191 + luma(expected, index) / 4)  // light grey, 191...254
        rgb = (faded, faded, faded)
      }
      out[3 * index] = rgb.0
      out[3 * index + 1] = rgb.1
      out[3 * index + 2] = rgb.2
      index += 1
    }
    return Image(width: expected.width, height: expected.height, channels: 3, pixels: out)
  }

  /// Rec. 601 luma of pixel `i`, 0...255.
  private static func luma(_ image: Image, _ i: Int) -> Int {
    let c = image.channels
    guard c >= 3 else { return Int(image.pixels[i * c]) }
    let r = Int(image.pixels[i * c])
    let g = Int(image.pixels[i * c + 1])
    let b = Int(image.pixels[i * c + 2])
    return (299 * r + 587 * g + 114 * b) / 1000
  }
}
