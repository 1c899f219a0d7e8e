// Renders a cell's outputs on a terminal or into pipes: text printed, images saved as files whose
// paths are printed (and drawn inline where the terminal can), progress updated in place.
import Foundation
import Interpreter
import Synchronization

/// An ``OutputSink`` writing to descriptors; the worker thread emits while the main thread waits.
final class TerminalRenderer: OutputSink {
  private struct State {
    var cell = 0
    var imagesInCell = 0
    /// The display whose line is open (written without a newline) for in-place updates.
    var openDisplay: String? = nil
    /// Whether the last byte written to the output ended a line.
    var atLineStart = true
    var savedImages: [String] = []
  }

  let output: FileDescriptorWriter
  let errors: FileDescriptorWriter
  let outputDirectory: String
  let imageProtocol: InlineImageProtocol?
  /// Progress (`updateDisplay`) redraws a line with a carriage return; off when not a terminal.
  let updatesInPlace: Bool
  let colour: Bool
  private let state = Mutex(State())

  init(options: TerminalOptions) {
    output = FileDescriptorWriter(fd: options.outputFD)
    errors = FileDescriptorWriter(fd: options.errorFD)
    outputDirectory = options.outputDirectory
    updatesInPlace = output.isTerminal
    imageProtocol = InlineImageProtocol.resolve(
      options.inlineImages, environment: options.environment, isTerminal: updatesInPlace)
    colour = DiagnosticStyle.useColour(
      options.colour, isTerminal: errors.isTerminal, environment: options.environment)
  }

  /// Paths of every image saved so far, in order.
  var savedImages: [String] { state.withLock { $0.savedImages } }

  /// Starts numbering images for cell `number`.
  func beginCell(_ number: Int) {
    state.withLock {
      $0.cell = number
      $0.imagesInCell = 0
    }
  }

  /// Ends an open progress line or partial text line, so the prompt starts on a fresh line.
  func finishCell() {
    state.withLock { closeLine(&$0) }
  }

  func emit(_ item: OutputItem) {
    state.withLock { state in
      switch item {
      case .stream(let name, let text):
        if name == "stderr" {
          closeLine(&state)
          errors.write(text)
        } else {
          writeText(text, &state)
        }
      case .display(let bundle, let displayID):
        render(bundle, displayID: displayID, &state)
      case .result(let bundle):
        render(bundle, displayID: nil, &state)
      case .updateDisplay(let bundle, let displayID):
        // NB: a long command's final picture arrives as an update of its progress display;
        // pictures are always kept, only text-only progress lines are dropped off a terminal.
        guard updatesInPlace || bundle.png != nil else { return }
        render(bundle, displayID: displayID, &state)
      }
    }
  }

  /// Prints a failed cell's diagnostic on stderr, coloured when allowed.
  func reportError(name: String, message: String, diagnostic: [String]) {
    let lines = DiagnosticStyle.lines(name: name, message: message, diagnostic: diagnostic)
    state.withLock { closeLine(&$0) }
    let text = lines.map { colour ? DiagnosticStyle.coloured($0) : $0 }
    errors.write(text.joined(separator: "\n") + "\n")
  }

  /// A one-line note on stderr (interrupted, unreadable file).
  func note(_ text: String) {
    state.withLock { closeLine(&$0) }
    errors.write(text + "\n")
  }

  private func closeLine(_ state: inout State) {
    if !state.atLineStart { output.write("\n") }
    state.atLineStart = true
    state.openDisplay = nil
  }

  private func writeText(_ text: String, _ state: inout State) {
    guard !text.isEmpty else { return }
    if state.openDisplay != nil { closeLine(&state) }
    output.write(text)
    state.atLineStart = text.hasSuffix("\n")
  }

  private func render(_ bundle: MIMEBundle, displayID: String?, _ state: inout State) {
    if let (mime, bytes) = Self.image(in: bundle) {
      closeLine(&state)
      renderImage(bytes, mime: mime, caption: bundle.plainText, &state)
      return
    }
    let text = bundle.plainText ?? Self.fallbackText(bundle)
    let line = text.hasSuffix("\n") ? String(text.dropLast()) : text
    if updatesInPlace, let displayID, !line.contains("\n") {
      // One updatable line: redraw it when it is still the last line, else start a new one.
      if state.openDisplay != displayID { closeLine(&state) }
      output.write("\r\u{1B}[K" + line)
      state.openDisplay = displayID
      state.atLineStart = line.isEmpty
      return
    }
    writeText(text.hasSuffix("\n") || text.isEmpty ? text : text + "\n", &state)
  }

  private func renderImage(_ bytes: [UInt8], mime: String, caption: String?, _ state: inout State) {
    state.imagesInCell += 1
    let ext = mime.split(separator: "/").last.map(String.init) ?? "bin"
    let name = "out-\(state.cell)-\(state.imagesInCell).\(ext == "jpeg" ? "jpg" : ext)"
    let path = outputDirectory.isEmpty ? name : outputDirectory + "/" + name
    do {
      try FileManager.default.createDirectory(
        atPath: outputDirectory.isEmpty ? "." : outputDirectory,
        withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    } catch {
      errors.write("warning: could not save image to \(path): \(error.localizedDescription)\n")
      return
    }
    state.savedImages.append(path)
    if let imageProtocol, mime == "image/png" || imageProtocol == .iTerm2 {
      output.write(imageProtocol.escapeSequence(for: bytes, name: name) + "\n")
    }
    let label = caption.map { $0.isEmpty ? path : "\($0) -> \(path)" } ?? path
    output.write(label + "\n")
    state.atLineStart = true
  }

  /// The first binary `image/*` representation (PNG preferred).
  static func image(in bundle: MIMEBundle) -> (String, [UInt8])? {
    if let png = bundle.png { return ("image/png", png) }
    for (mime, data) in bundle.data.sorted(by: { $0.key < $1.key }) where mime.hasPrefix("image/") {
      if case .binary(let bytes) = data { return (mime, bytes) }
    }
    return nil
  }

  /// Text for a bundle without `text/plain`: markdown, then JSON, else nothing.
  static func fallbackText(_ bundle: MIMEBundle) -> String {
    for mime in ["text/markdown", "application/json", "text/html"] {
      switch bundle.data[mime] {
      case .text(let text), .json(let text): return text
      default: continue
      }
    }
    return ""
  }
}
