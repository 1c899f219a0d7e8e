// Tab: ask the completer, replace the word when one candidate (or a longer common prefix) fits,
// else list the candidates under the line and redraw it.
import CEditLine
import Foundation
import Interpreter

extension LineEditor {
  /// The key function bound to Tab; returns a libedit `CC_*` code.
  func completeAtCursor() -> UInt8 {
    guard let completer, let info = el_wline(editLine)?.pointee else {
      return UInt8(CC_REFRESH_BEEP)
    }
    let scalars = Self.scalars(from: info.buffer, to: info.lastchar)
    let cursor = info.cursor - info.buffer
    let line = String(String.UnicodeScalarView(scalars))
    let result = completer(line, cursor)
    let start = min(max(result.start, 0), cursor)
    let end = min(max(result.end, cursor), scalars.count)
    let current = String(String.UnicodeScalarView(scalars[start..<end]))
    let matches = result.matches
    if matches.isEmpty { return UInt8(CC_REFRESH_BEEP) }
    if matches.count == 1 {
      replace(from: start, to: end, cursor: cursor, with: matches[0])
      return UInt8(CC_REFRESH)
    }
    let prefix = Self.commonPrefix(matches)
    if prefix.unicodeScalars.count > current.unicodeScalars.count && prefix.hasPrefix(current) {
      replace(from: start, to: end, cursor: cursor, with: prefix)
      return UInt8(CC_REFRESH)
    }
    list(matches)
    return UInt8(CC_REDISPLAY)
  }

  /// Replaces code points `start..<end` of the line with `text`, leaving the cursor after it.
  private func replace(from start: Int, to end: Int, cursor: Int, with text: String) {
    el_cursor(editLine, Int32(end - cursor))
    el_deletestr(editLine, Int32(end - start))
    var wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
    wide.append(0)
    el_winsertstr(editLine, wide)
  }

  /// Prints candidates in columns under the line; libedit redraws the prompt after.
  private func list(_ matches: [String]) {
    let width = max(20, terminalWidth())
    let column = (matches.map { $0.count }.max() ?? 0) + 2
    let perRow = max(1, width / column)
    var text = "\n"
    for (index, match) in matches.enumerated() {
      let last = index % perRow == perRow - 1 || index == matches.count - 1
      text += last ? match + "\n" : match.padding(toLength: column, withPad: " ", startingAt: 0)
    }
    fflush(outputFile)
    fputs(text, outputFile)
    fflush(outputFile)
  }

  private func terminalWidth() -> Int {
    var size = winsize()
    if ioctl(fileno(outputFile), UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
      return Int(size.ws_col)
    }
    return 80
  }

  static func scalars(
    from start: UnsafePointer<wchar_t>, to end: UnsafePointer<wchar_t>
  ) -> [Unicode.Scalar] {
    UnsafeBufferPointer(start: start, count: end - start).map {
      Unicode.Scalar(UInt32(bitPattern: $0)) ?? "\u{FFFD}"
    }
  }

  /// The longest string every match starts with (by character).
  static func commonPrefix(_ matches: [String]) -> String {
    guard var prefix = matches.first else { return "" }
    for match in matches.dropFirst() {
      prefix = String(zip(prefix, match).prefix { $0 == $1 }.map(\.0))
    }
    return prefix
  }
}
