// A horizontal colour bar: what the colours of a map mean, with its value range labelled.

/// A horizontal colour bar with tick labels at the ends (and at zero when it lies inside).
public struct ColorBar: Sendable {
  public var colormap: Colormap
  public var scale: MapScale
  /// A title under the tick labels (`SHAP value`), or nil.
  public var label: String?
  /// The bar's width in pixels (the picture is as wide).
  public var width: Int
  /// The bar's height in pixels.
  public var barHeight: Int
  public var font: BitmapFont

  /// A colour bar for values drawn with `colormap` under `scale`.
  public init(
    colormap: Colormap, scale: MapScale, label: String? = nil, width: Int, barHeight: Int = 12,
    font: BitmapFont = BitmapFont()
  ) {
    precondition(width >= 2 && barHeight >= 1, "colour bar too small")
    self.colormap = colormap
    self.scale = scale
    self.label = label
    self.width = width
    self.barHeight = barHeight
    self.font = font
  }

  /// Gap between the bar, the tick marks, the tick labels and the title.
  var gap: Int { 2 * font.scale }
  /// Length of a tick mark under the bar.
  var tick: Int { 3 * font.scale }

  /// The picture's height: bar, ticks, tick labels, then the title line if any.
  public var height: Int {
    barHeight + tick + gap + font.lineHeight + (label == nil ? 0 : gap + font.lineHeight)
  }

  /// The labelled values: low, zero when strictly inside the range, high.
  public var ticks: [Float] {
    let low = scale.usesMagnitude ? max(scale.low, 0) : scale.low
    return low < 0 && scale.high > 0 ? [low, 0, scale.high] : [low, scale.high]
  }

  /// The column of the bar that shows `value`.
  public func column(of value: Float) -> Int {
    Int((scale.position(value) * Float(width - 1)).rounded())
  }

  /// Draws the bar on white (a transparent colormap is composited over white).
  public func render() -> Image {
    var canvas = Canvas(width: width, height: height)
    for x in 0..<width {
      let e = colormap.rgba(at: Float(x) / Float(width - 1))
      let a = Float(e.a) / 255
      func over(_ v: UInt8) -> UInt8 { UInt8((a * Float(v) + (1 - a) * 255).rounded()) }
      let colour = RGB(over(e.r), over(e.g), over(e.b))
      canvas.fill(PixelRect(x: x, y: 0, width: 1, height: barHeight), colour)
    }
    let labelTop = barHeight + tick + gap
    for (value, left) in labelPlacements() {
      let x = column(of: value)
      canvas.fill(
        PixelRect(x: x - font.scale / 2, y: barHeight, width: font.scale, height: tick), .ink)
      canvas.draw(ColorBar.format(value), x: left, y: labelTop, font: font)
    }
    if let label {
      canvas.draw(label, centeredAt: width / 2, y: labelTop + font.lineHeight + gap, font: font)
    }
    return canvas.image
  }

  /// The ticks drawn and the left edge of each label: end labels are kept inside the picture
  /// (flush left at the low end, flush right at the high end); the zero label is dropped when
  /// it would touch one of them.
  public func labelPlacements() -> [(value: Float, left: Int)] {
    let placed = ticks.map { value -> (value: Float, left: Int, right: Int) in
      let inkWidth = font.width(of: ColorBar.format(value)) - font.scale
      let left = min(max(column(of: value) - inkWidth / 2, 0), width - inkWidth)
      return (value, left, left + inkWidth)
    }
    let space = BitmapFont.advance * font.scale
    return placed.enumerated().filter { i, p in
      i == 0 || i == placed.count - 1
        || (p.left >= placed[i - 1].right + space && p.right + space <= placed[i + 1].left)
    }.map { ($0.element.value, $0.element.left) }
  }

  /// A short label for a value: 3 significant digits, trailing zeros dropped, exponent form
  /// outside 0.001...99999 (`0.0123`, `-1.5`, `250`, `2.5e-5`).
  public static func format(_ value: Float) -> String {
    guard value != 0, value.isFinite else { return value.isFinite ? "0" : "\(value)" }
    let sign = value < 0 ? "-" : ""
    let a = Double(abs(value))
    // Round to 3 significant digits first, so 0.000999996 reads 0.001 and 9.9996 reads 10.
    var exponent = Int(a.log10Floor)
    var mantissa = (a / pow10(exponent) * 100).rounded() / 100
    if mantissa >= 10 {
      mantissa /= 10
      exponent += 1
    }
    if (-3...4).contains(exponent) {
      return sign + fixed(mantissa * pow10(exponent), decimals: max(0, 2 - exponent))
    }
    return sign + fixed(mantissa, decimals: 2) + "e\(exponent)"
  }

  /// `v` with `decimals` digits after the point, trailing zeros (and a bare point) removed.
  static func fixed(_ v: Double, decimals: Int) -> String {
    let units = Int((v * pow10(decimals)).rounded())
    var digits = String(units)
    guard decimals > 0 else { return digits }
    if digits.count <= decimals {
      digits = String(repeating: "0", count: decimals - digits.count + 1) + digits
    }
    var text = digits.prefix(digits.count - decimals) + "." + digits.suffix(decimals)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return String(text)
  }

  static func pow10(_ n: Int) -> Double {
    var p = 1.0
    for _ in 0..<abs(n) { p *= 10 }
    return n < 0 ? 1 / p : p
  }
}

extension Double {
  /// `floor(log10(self))` for a positive value, exact at powers of ten.
  fileprivate var log10Floor: Double {
    var e = 0.0
    var v = self
    while v >= 10 {
      v /= 10
      e += 1
    }
    while v < 1 {
      v *= 10
      e -= 1
    }
    return e
  }
}
