// Comparing a cell's replayed outputs with its saved ones: text exactly after sanitizers (with a
// unified diff when not), JSON by its canonical form, images by decoded pixels with a tolerance.
public import Imaging
import Interpreter
import JupyterProtocol

/// One way a cell's outputs differ from the saved ones.
public struct OutputMismatch: Sendable, Equatable {
  /// One line: what differs (`output 2 (display_data image/png): 3.1% of pixels differ ...`).
  public var summary: String
  /// Further lines, e.g. a unified diff.
  public var details: [String]
  /// For a failed image: what to write beside the notebook for a person to look at.
  public var image: ImageEvidence?
}

/// The pictures behind an image mismatch.
public struct ImageEvidence: Sendable, Equatable {
  /// The 0-based output the image belongs to.
  public var outputIndex: Int
  /// The replayed image as produced (PNG or JPEG bytes).
  public var actualBytes: [UInt8]
  /// Where the pixels differ (nil when the sizes differ or a side does not decode).
  public var diff: Image?
}

/// Compares saved and replayed outputs under sanitizers and an image tolerance.
public struct OutputComparer: Sendable {
  /// Applied in order to both sides of every text before comparing.
  public var sanitizers: [Sanitizer]
  /// How far images may drift.
  public var tolerance: ImageTolerance

  /// A comparer with `sanitizers` and `tolerance`.
  public init(sanitizers: [Sanitizer], tolerance: ImageTolerance = ImageTolerance()) {
    self.sanitizers = sanitizers
    self.tolerance = tolerance
  }

  /// Image types compared by pixels (the ones `Imaging` decodes).
  static let decodableImages: Set = ["image/png", "image/jpeg"]

  /// Every difference between `expected` and `actual`; empty when they match.
  ///
  /// Consecutive same-name streams are merged on both sides first; execution counts and output
  /// metadata are not compared. Different output counts are shown as one diff of both lists.
  public func compare(expected: [CellOutput], actual: [CellOutput]) -> [OutputMismatch] {
    let expected = OutputFolder.mergingStreams(expected)
    let actual = OutputFolder.mergingStreams(actual)
    guard expected.count == actual.count else {
      return [
        OutputMismatch(
          summary: "expected \(expected.count) output(s), got \(actual.count)",
          details: TextDiff.unified(expected: render(expected), actual: render(actual)))
      ]
    }
    return zip(expected, actual).enumerated().flatMap { n, pair in
      compare(pair.0, pair.1, index: n)
    }
  }

  private func compare(_ expected: CellOutput, _ actual: CellOutput, index: Int)
    -> [OutputMismatch]
  {
    let label = "output \(index + 1) (\(describe(expected)))"
    switch (expected, actual) {
    case (.stream(let name, let want), .stream(let other, let got)):
      if name != other {
        return [OutputMismatch(summary: "\(label): got stream \(other)", details: [])]
      }
      return compareText(want, got, label: label)
    case (.error(let name, let want, _), .error(let otherName, let got, _)):
      return compareText("\(name): \(want)\n", "\(otherName): \(got)\n", label: label)
    case (.display(let want), .display(let got)), (.result(let want, _), .result(let got, _)):
      return compareBundles(want, got, label: label, index: index)
    default:
      return [OutputMismatch(summary: "\(label): got \(describe(actual))", details: [])]
    }
  }

  private func compareBundles(_ want: MIMEBundle, _ got: MIMEBundle, label: String, index: Int)
    -> [OutputMismatch]
  {
    let wantTypes = want.data.keys.sorted()
    let gotTypes = got.data.keys.sorted()
    guard wantTypes == gotTypes else {
      return [
        OutputMismatch(
          summary: "\(label): MIME types differ: expected \(wantTypes.joined(separator: ", ")); "
            + "got \(gotTypes.joined(separator: ", "))", details: [])
      ]
    }
    return wantTypes.flatMap { mimeType -> [OutputMismatch] in
      let typeLabel = "output \(index + 1) (\(mimeType))"
      switch (want.data[mimeType]!, got.data[mimeType]!) {
      case (.binary(let a), .binary(let b)) where Self.decodableImages.contains(mimeType):
        return compareImages(a, b, label: typeLabel, index: index).map { [$0] } ?? []
      case (.binary(let a), .binary(let b)):
        return a == b ? [] : [OutputMismatch(summary: "\(typeLabel): bytes differ", details: [])]
      case (.json(let a), .json(let b)) where JSONNumbers.equal(a, b):
        return []
      case (let a, let b):
        return compareText(canonicalText(a), canonicalText(b), label: typeLabel)
      }
    }
  }

  /// Exact comparison after sanitizers; a unified diff when they differ.
  func compareText(_ want: String, _ got: String, label: String) -> [OutputMismatch] {
    let a = Sanitizer.apply(sanitizers, to: want)
    let b = Sanitizer.apply(sanitizers, to: got)
    guard a != b else { return [] }
    let diff = TextDiff.unified(expected: a, actual: b)
    return [OutputMismatch(summary: "\(label) differs", details: diff)]
  }

  /// Decodes both images and compares pixels; nil when they match within the tolerance.
  func compareImages(_ want: [UInt8], _ got: [UInt8], label: String, index: Int)
    -> OutputMismatch?
  {
    if want == got { return nil }
    var evidence = ImageEvidence(outputIndex: index, actualBytes: got, diff: nil)
    let expected: Image
    let actual: Image
    do {
      expected = try Image(decoding: want, name: "saved image")
    } catch {
      return OutputMismatch(summary: "\(label): \(error)", details: [], image: evidence)
    }
    do {
      actual = try Image(decoding: got, name: "replayed image")
    } catch {
      return OutputMismatch(summary: "\(label): \(error)", details: [], image: evidence)
    }
    guard expected.width == actual.width, expected.height == actual.height else {
      return OutputMismatch(
        summary: "\(label): size differs: expected \(expected.width)x\(expected.height), "
          + "got \(actual.width)x\(actual.height)", details: [], image: evidence)
    }
    let threshold = tolerance.channelThreshold
    let difference = PixelDifference(expected: expected, actual: actual, threshold: threshold)
    guard difference.differingFraction > tolerance.maxDifferingFraction else { return nil }
    evidence.diff = PixelDifference.diffImage(
      expected: expected, actual: actual, threshold: threshold)
    return OutputMismatch(
      summary: "\(label): \(percent(difference.differingFraction)) of pixels "
        + "(\(difference.differingPixels) of \(difference.totalPixels)) differ by more than "
        + "\(threshold)/255 (at most \(difference.maxChannelDifference)/255); "
        + "allowed \(percent(tolerance.maxDifferingFraction))",
      details: [], image: evidence)
  }

  private func percent(_ fraction: Double) -> String {
    let tenths = (fraction * 1000).rounded()
    return "\(Int(tenths) / 10).\(Int(tenths) % 10)%"
  }

  /// Text as is; JSON re-serialised with sorted keys and an indent so diffs are by member.
  func canonicalText(_ data: MIMEData) -> String {
    switch data {
    case .text(let text): return text
    case .json(let text):
      return MIMEBundle.parseJSON(text).map { JupyterJSON.format($0) + "\n" } ?? text
    case .binary(let bytes): return "<\(bytes.count) bytes>"
    }
  }

  /// `stream stdout`, `display_data image/png, text/plain`, `error`.
  func describe(_ output: CellOutput) -> String {
    switch output {
    case .stream(let name, _): return "stream \(name)"
    case .error: return "error"
    case .display(let bundle), .result(let bundle, _):
      return "\(output.outputType) \(bundle.data.keys.sorted().joined(separator: ", "))"
    }
  }

  /// A whole output list as sanitized text, to diff lists of different lengths.
  func render(_ outputs: [CellOutput]) -> String {
    var text = ""
    for output in outputs {
      text += "[\(describe(output))]\n"
      switch output {
      case .stream(_, let body): text += body
      case .error(let name, let value, _): text += "\(name): \(value)\n"
      case .display(let bundle), .result(let bundle, _):
        for mimeType in bundle.data.keys.sorted() {
          text += "\(mimeType): " + canonicalText(bundle.data[mimeType]!) + "\n"
        }
      }
      if !text.hasSuffix("\n") { text += "\n" }
    }
    return Sanitizer.apply(sanitizers, to: text)
  }
}
