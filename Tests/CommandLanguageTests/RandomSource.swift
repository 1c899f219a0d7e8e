import CommandLanguage
import Engine  // SplitMix64: seeded so every property test failure replays

/// Random inputs: hostile text for the parser, valid commands for the printer.
enum RandomSource {
  /// Fragments that stress the lexer: quotes, escapes, continuations, line ends, quoted emoji
  /// and combining marks, and pieces of real commands.
  static let fragments: [String] = [
    "a", "Z", "é", "e\u{301}", "中文", "ß", "7", "-", ".", "_", "/", "+", ":", "~", " ", "  ",
    " ", "\t", "\n", "\r\n", "\n", "=", "=", ",", "#", "\"", "'", "\\", "\\\n", "\\ \n",
    #"\""#, #"\u{"#, #"\u{1F44D}"#, "load", "gradcam ", "occlusion ", "patch", "class=",
    "x=", #""Egyptian cat""#, "\"👍🏽 e\u{301}\"", "'👨‍👩‍👧\u{FEFF}'", "1e-3", "-5", "0.15",
    "99999999999999999999", "block14_sepconv2_act", "gradcam++", "help", "save", "last",
    "\u{301}",
  ]

  /// Characters no bare word may hold: emoji, format and control characters, odd spaces.
  static let strangers: [String] = [
    "👍🏽", "👨‍👩‍👧", "🇫🇷", "$", "\u{0}", "\u{7}", "\u{200D}", "\u{FE0F}", "\u{2028}", "\u{85}",
    "\u{FEFF}", "\r",
  ]

  /// A random source: mostly fragments (now and then a stranger), else random code points or
  /// random bytes read as UTF-8.
  static func source(_ rng: inout SplitMix64) -> String {
    switch Int.random(in: 0..<10, using: &rng) {
    case 0:
      let bytes = (0..<Int.random(in: 0..<48, using: &rng)).map { _ in
        UInt8.random(in: 0...255, using: &rng)
      }
      return String(decoding: bytes, as: UTF8.self)
    case 1:
      var view = String.UnicodeScalarView()
      for _ in 0..<Int.random(in: 0..<32, using: &rng) { view.append(scalar(&rng)) }
      return String(view)
    default:
      return (0..<Int.random(in: 0..<24, using: &rng)).map { _ in
        Int.random(in: 0..<40, using: &rng) == 0
          ? strangers.randomElement(using: &rng)! : fragments.randomElement(using: &rng)!
      }.joined()
    }
  }

  /// A random code point, biased to ASCII.
  static func scalar(_ rng: inout SplitMix64) -> Unicode.Scalar {
    let limit: UInt32 = Bool.random(using: &rng) ? 0x80 : 0x11_0000
    while true {
      if let s = Unicode.Scalar(UInt32.random(in: 0..<limit, using: &rng)) { return s }
    }
  }

  /// A random bare word that is not a number.
  static func word(_ rng: inout SplitMix64) -> String {
    let first = "abcdefghijklmnopqrstuvwxyzéЖ中_"
    let rest = first + "0123456789-./+:~"
    while true {
      var word = String(first.randomElement(using: &rng)!)
      for _ in 0..<Int.random(in: 0..<10, using: &rng) {
        word.append(rest.randomElement(using: &rng)!)
      }
      if Value.isBareWord(word) { return word }
    }
  }

  /// A random value; lists hold two to four non-list items.
  static func value(_ rng: inout SplitMix64, allowList: Bool = true) -> Value {
    switch Int.random(in: 0..<(allowList ? 9 : 8), using: &rng) {
    case 0: return .integer([Int.min, Int.max, 0, -1].randomElement(using: &rng)!)
    case 1: return .integer(Int.random(in: -100_000...100_000, using: &rng))
    case 2:
      while true {
        let x = Double(bitPattern: rng.next())
        if x.isFinite { return .real(x) }
      }
    case 3: return .real(Double(Int.random(in: -99_999...99_999, using: &rng)) / 1000)
    case 4, 5: return .text(word(&rng))
    case 6, 7:
      return .text(
        (0..<Int.random(in: 0..<6, using: &rng)).map { _ in
          Bool.random(using: &rng)
            ? (fragments + strangers).randomElement(using: &rng)! : String(scalar(&rng))
        }.joined())
    default:
      return .list(
        (0..<Int.random(in: 2...4, using: &rng)).map { _ in value(&rng, allowList: false) })
    }
  }

  /// A random command with a catalogued or random verb.
  static func command(_ rng: inout SplitMix64) -> Command {
    let verb =
      Bool.random(using: &rng) ? Catalog.glimpse.verbs.randomElement(using: &rng)! : word(&rng)
    let positionals = (0..<Int.random(in: 0...3, using: &rng)).map { _ in value(&rng) }
    let arguments = (0..<Int.random(in: 0...4, using: &rng)).map { _ in (word(&rng), value(&rng)) }
    return Command(verb, positionals, arguments)
  }
}
