// A one-line text progress bar for downloads; the caller prints it after a carriage return.
import Foundation

/// Renders `(received, total)` as one line, such as
/// `vgg16_weights_tf_dim_ordering_tf_kernels.h5  42% [########..........] 232.1/553.5 MB 38.2 MB/s`
///
/// Sizes use decimal units (1 MB = 10^6 bytes, as Keras and curl print them). The percentage
/// and the bar round to nearest but show 100% and a full bar only once every byte arrived.
public struct DownloadProgressBar: Sendable {
  /// The text before the numbers, usually the file name.
  public var label: String
  /// The bar's width in characters, brackets excluded.
  public var width: Int
  private var start: ContinuousClock.Instant?

  /// A bar labelled `label`, `width` cells wide.
  public init(label: String, width: Int = 18) {
    precondition(width > 0, "a progress bar needs at least one cell")
    self.label = label
    self.width = width
  }

  /// The line for `received` of `total` bytes (nil: unknown) after `elapsed` seconds (nil or
  /// zero: no rate shown).
  public func line(received: Int64, total: Int64?, elapsed: Double?) -> String {
    var parts = [label]
    let rate = elapsed.flatMap { $0 > 0 ? Double(received) / $0 : nil }
    if let total, total > 0 {
      let done = received >= total
      let fraction = min(Double(received) / Double(total), 1)
      let percent = done ? 100 : min(Int((fraction * 100).rounded()), 99)
      let filled = done ? width : min(Int((fraction * Double(width)).rounded()), width - 1)
      let bar =
        String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
      let unit = Self.unit(for: total)
      parts.append(Self.padded(percent, to: 3) + "% [" + bar + "]")
      parts.append(Self.number(received, unit) + "/" + Self.number(total, unit) + " " + unit.name)
    } else {
      let unit = Self.unit(for: received)
      parts.append(Self.number(received, unit) + " " + unit.name)
    }
    if let rate {
      let unit = Self.unit(for: Int64(rate))
      parts.append(Self.number(Int64(rate), unit) + " " + unit.name + "/s")
    }
    return parts.joined(separator: " ")
  }

  /// The line for `received` of `total` bytes, timing from the first call on this bar.
  public mutating func update(received: Int64, total: Int64?) -> String {
    let now = ContinuousClock.now
    let start = self.start ?? now
    self.start = start
    let elapsed = start.duration(to: now)
    let seconds =
      Double(elapsed.components.seconds)
      + Double(elapsed.components.attoseconds) * 1e-18
    return line(received: received, total: total, elapsed: seconds)
  }

  /// A decimal unit: its name and how many bytes it holds.
  private struct Unit {
    var name: String
    var bytes: Double
  }

  /// The largest unit that keeps `bytes` at 1 or more of it (B, kB, MB, GB).
  private static func unit(for bytes: Int64) -> Unit {
    switch bytes {
    case ..<1_000: return Unit(name: "B", bytes: 1)
    case ..<1_000_000: return Unit(name: "kB", bytes: 1e3)
    case ..<1_000_000_000: return Unit(name: "MB", bytes: 1e6)
    default: return Unit(name: "GB", bytes: 1e9)
    }
  }

  /// `bytes` in `unit` with one decimal (whole bytes without one).
  private static func number(_ bytes: Int64, _ unit: Unit) -> String {
    unit.bytes == 1 ? String(bytes) : String(format: "%.1f", Double(bytes) / unit.bytes)
  }

  /// An integer right-aligned in `width` characters.
  private static func padded(_ value: Int, to width: Int) -> String {
    let text = String(value)
    return String(repeating: " ", count: max(0, width - text.count)) + text
  }
}
