// Colormaps: 256-entry RGBA lookup tables that turn a position in [0, 1] into a colour.
//
// Values match matplotlib's tables within 1/255 (RenderColormapTests checks each entry against
// Tests/Fixtures/generate/make_colormap_fixture.py's output). jet and the SHAP maps are piecewise
// linear and computed here from their stops; viridis and inferno have no closed form and come from
// the generated Colormap+Tables.swift.

/// A 256-entry RGBA lookup table, indexed by a map position in [0, 1].
public struct Colormap: Sendable, Equatable {
  /// A short name (`jet`, `viridis`, `red_transparent_blue`, ...).
  public let name: String
  /// 256 entries of RGBA, 4 bytes each, entry 0 (position 0) first.
  public let table: [UInt8]

  /// Makes a colormap from 256 RGBA entries.
  public init(name: String, table: [UInt8]) {
    precondition(table.count == 256 * 4, "a colormap has 256 RGBA entries")
    self.name = name
    self.table = table
  }

  /// Whether any entry is not fully opaque (SHAP's map is transparent around zero).
  public var hasTransparency: Bool {
    stride(from: 3, to: table.count, by: 4).contains { table[$0] != 255 }
  }

  /// The table entry for a position: matplotlib's rule, `floor(t * 256)` clipped to 0...255.
  ///
  /// NaN falls on entry 0.
  @inline(__always)
  public static func index(_ t: Float) -> Int {
    guard t > 0 else { return 0 }
    return t >= 1 ? 255 : min(Int(t * 256), 255)
  }

  /// The RGBA entry for a position in [0, 1] (clipped).
  public func rgba(at t: Float) -> (r: UInt8, g: UInt8, b: UInt8, a: UInt8) {
    let i = Colormap.index(t) * 4
    return (table[i], table[i + 1], table[i + 2], table[i + 3])
  }

  /// The colormaps Glimpse offers by name.
  public static let all: [Colormap] = [
    .jet, .viridis, .inferno, .grey, .redTransparentBlue, .redWhiteBlue,
  ]

  /// Looks a colormap up by name (`gray` is accepted for `grey`); nil if unknown.
  public static func named(_ name: String) -> Colormap? {
    let key = name.lowercased() == "gray" ? "grey" : name.lowercased()
    return all.first { $0.name == key }
  }
}

// MARK: - The maps

extension Colormap {
  /// matplotlib's `jet`: dark blue, blue, cyan, yellow, red, dark red.
  public static let jet = Colormap(
    name: "jet",
    red: [(0, 0), (0.35, 0), (0.66, 1), (0.89, 1), (1, 0.5)],
    green: [(0, 0), (0.125, 0), (0.375, 1), (0.64, 1), (0.91, 0), (1, 0)],
    blue: [(0, 0.5), (0.11, 1), (0.34, 1), (0.65, 0), (1, 0)])

  /// matplotlib's `viridis` (perceptually uniform, dark blue to yellow).
  public static let viridis = Colormap(name: "viridis", hex: viridisHex)

  /// matplotlib's `inferno` (perceptually uniform, black to pale yellow through red).
  public static let inferno = Colormap(name: "inferno", hex: infernoHex)

  /// Black to white, matplotlib's `gray`.
  public static let grey = Colormap(
    name: "grey", red: [(0, 0), (1, 1)], green: [(0, 0), (1, 1)], blue: [(0, 0), (1, 1)])

  /// SHAP's `red_transparent_blue`: blue (30,136,229) for negative, red (255,13,87) for positive,
  /// with alpha rising from 0 at the centre to 1 at both ends.
  ///
  /// SHAP builds it from 200 equally spaced stops: 100 blues with alpha 1 down to 0, then 100 reds
  /// with alpha 0 up to 1 (shap/plots/colors/_colors.py); interpolating them reproduces
  /// matplotlib's table, including the blended, fully transparent colours at the centre.
  public static let redTransparentBlue = Colormap(
    name: "red_transparent_blue", entries: shapEntries)

  /// `red_transparent_blue` composited over white: an opaque red-white-blue diverging map, as
  /// SHAP's colour bar and panels appear on a white figure.
  public static let redWhiteBlue = Colormap(
    name: "red_white_blue",
    entries: shapEntries.map { e in [0, 1, 2].map { e[$0] * e[3] + 1 - e[3] } + [1] })

  /// SHAP's map before rounding: 200 equally spaced stops, 100 blues with alpha 1 down to 0,
  /// then 100 reds with alpha 0 up to 1 (shap/plots/colors/_colors.py). Interpolating them
  /// reproduces matplotlib's table, including the blended, fully transparent colours at the
  /// centre.
  static let shapEntries: [[Double]] = {
    let blue: [Double] = [30 / 255, 136 / 255, 229 / 255]
    let red: [Double] = [1, 13 / 255, 87 / 255]
    var stops: [[Double]] = []
    for k in 0..<100 { stops.append(blue + [1 - Double(k) / 99]) }
    for k in 0..<100 { stops.append(red + [Double(k) / 99]) }
    return equallySpaced(stops)
  }()
}

// MARK: - Building tables

extension Colormap {
  /// Builds an opaque map from piecewise-linear channel stops `(position, value)`, as
  /// matplotlib's segment data (each channel's value at entry i is interpolated at i / 255).
  init(name: String, red: [(Double, Double)], green: [(Double, Double)], blue: [(Double, Double)]) {
    var table = [UInt8](repeating: 255, count: 256 * 4)
    for (c, stops) in [red, green, blue].enumerated() {
      for i in 0..<256 {
        table[i * 4 + c] = Colormap.byte(Colormap.interpolate(stops, at: Double(i) / 255))
      }
    }
    self.init(name: name, table: table)
  }

  /// Builds a map from 256 RGBA entries with channels in [0, 1].
  init(name: String, entries: [[Double]]) {
    precondition(entries.count == 256 && entries.allSatisfy { $0.count == 4 }, "256 RGBA entries")
    self.init(name: name, table: entries.flatMap { $0.map(Colormap.byte) })
  }

  /// The 256 entries of RGBA stops spread evenly over [0, 1] (matplotlib's `from_list`).
  static func equallySpaced(_ stops: [[Double]]) -> [[Double]] {
    precondition(stops.count >= 2 && stops.allSatisfy { $0.count == 4 }, "RGBA stops")
    let last = Double(stops.count - 1)
    let channels = (0..<4).map { c in
      stops.enumerated().map { (Double($0.offset) / last, $0.element[c]) }
    }
    return (0..<256).map { i in
      channels.map { Colormap.interpolate($0, at: Double(i) / 255) }
    }
  }

  /// Builds an opaque map from 256 RGB entries written as 6 hex digits each.
  init(name: String, hex: String) {
    let digits = Array(hex.utf8)
    precondition(digits.count == 256 * 6, "256 entries of 6 hex digits")
    func nibble(_ d: UInt8) -> UInt8 { d <= 57 ? d - 48 : d - 87 }  // '0'-'9', 'a'-'f'
    var table = [UInt8](repeating: 255, count: 256 * 4)
    for i in 0..<256 {
      for c in 0..<3 {
        let at = i * 6 + c * 2
        table[i * 4 + c] = nibble(digits[at]) << 4 | nibble(digits[at + 1])
      }
    }
    self.init(name: name, table: table)
  }

  /// Linear interpolation through `(position, value)` stops sorted by position.
  static func interpolate(_ stops: [(Double, Double)], at x: Double) -> Double {
    guard x > stops[0].0 else { return stops[0].1 }
    for k in 1..<stops.count where x <= stops[k].0 {
      let (x0, y0) = stops[k - 1]
      let (x1, y1) = stops[k]
      return x1 > x0 ? y0 + (y1 - y0) * (x - x0) / (x1 - x0) : y1
    }
    return stops[stops.count - 1].1
  }

  /// A channel value in [0, 1] as the nearest byte.
  static func byte(_ v: Double) -> UInt8 { UInt8((min(max(v, 0), 1) * 255).rounded()) }
}
