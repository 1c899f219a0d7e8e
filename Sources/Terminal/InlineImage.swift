// Inline images for terminals that draw them.
//
// kitty graphics protocol: https://sw.kovidgoyal.net/kitty/graphics-protocol/ (APC `ESC _ G`,
// PNG payload `f=100`, transmit-and-display `a=T`, base64 chunks of at most 4096 bytes, `m=1` on
// every chunk but the last). iTerm2: https://iterm2.com/documentation-images.html (OSC 1337
// `File=` with `inline=1`, terminated by BEL); WezTerm speaks it too.
import Foundation

/// The escape-sequence protocol a terminal understands for pictures.
public enum InlineImageProtocol: Sendable, Equatable {
  case kitty
  case iTerm2

  /// The protocol the terminal described by `environment` supports, if any.
  ///
  /// Inside tmux or screen neither works without passthrough wrapping, so none is chosen there.
  public static func detect(environment: [String: String]) -> InlineImageProtocol? {
    let term = environment["TERM"] ?? ""
    let program = environment["TERM_PROGRAM"] ?? ""
    if environment["TMUX"] != nil || term.hasPrefix("screen") || term.hasPrefix("tmux") {
      return nil
    }
    if environment["KITTY_WINDOW_ID"] != nil || term.contains("kitty") || term.contains("ghostty")
      || program == "ghostty"
    {
      return .kitty
    }
    if program == "iTerm.app" || environment["LC_TERMINAL"] == "iTerm2" || program == "WezTerm" {
      return .iTerm2
    }
    return nil
  }

  /// The protocol to use for `mode`, detecting only when `mode` is `.auto` and `isTerminal`.
  static func resolve(
    _ mode: InlineImageMode, environment: [String: String], isTerminal: Bool
  ) -> InlineImageProtocol? {
    switch mode {
    case .kitty: return .kitty
    case .iTerm2: return .iTerm2
    case .disabled: return nil
    case .auto: return isTerminal ? detect(environment: environment) : nil
    }
  }

  /// The escape sequence that draws `bytes` (a file named `name`) at the cursor.
  public func escapeSequence(for bytes: [UInt8], name: String) -> String {
    switch self {
    case .kitty: return Self.kittySequence(png: bytes)
    case .iTerm2: return Self.iTerm2Sequence(file: bytes, name: name)
    }
  }

  /// Largest base64 payload per kitty escape (a multiple of 4, so chunks split on quads).
  public static let kittyChunkSize = 4096

  /// kitty: `ESC _ G f=100,a=T,q=2,m=1;<chunk> ESC \` then `ESC _ G m=1;<chunk> ESC \` ... with
  /// `m=0` on the last chunk. `q=2` keeps the terminal from answering on our input.
  static func kittySequence(png: [UInt8]) -> String {
    let payload = Data(png).base64EncodedString()
    var chunks: [Substring] = []
    var start = payload.startIndex
    while start < payload.endIndex {
      let end =
        payload.index(start, offsetBy: kittyChunkSize, limitedBy: payload.endIndex)
        ?? payload.endIndex
      chunks.append(payload[start..<end])
      start = end
    }
    if chunks.isEmpty { chunks = [""] }
    var sequence = ""
    for (index, chunk) in chunks.enumerated() {
      let more = index < chunks.count - 1 ? 1 : 0
      let keys = index == 0 ? "f=100,a=T,q=2,m=\(more)" : "m=\(more)"
      sequence += "\u{1B}_G\(keys);\(chunk)\u{1B}\\"
    }
    return sequence
  }

  /// iTerm2: `ESC ] 1337 ; File=name=<b64 name>;size=<bytes>;inline=1;preserveAspectRatio=1 :
  /// <b64 file> BEL`.
  static func iTerm2Sequence(file: [UInt8], name: String) -> String {
    let encodedName = Data(name.utf8).base64EncodedString()
    let arguments = "name=\(encodedName);size=\(file.count);inline=1;preserveAspectRatio=1"
    return "\u{1B}]1337;File=\(arguments):\(Data(file).base64EncodedString())\u{07}"
  }
}
