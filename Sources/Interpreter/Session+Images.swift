// `image`, `images`, `show` and `save`: photos in, pictures and numbers out.
import Attribution
import CommandLanguage
import Foundation
import Imaging

extension Session {
  /// `image PATH ... as= transparency= exif=`: decodes photos (files or bundled names); the
  /// last one becomes current. All load or none does.
  func image(_ run: inout CommandRun) throws {
    let positionals = run.command.positionals
    if run.value("as") != nil && positionals.count > 1 {
      throw run.error(
        "as= names one image, but \(positionals.count) are given", at: run.range(of: "as"))
    }
    let options = DecodeOptions(
      appliesOrientation: run.text("exif") != "ignore",
      transparency: run.text("transparency") == "white" ? .white : .drop)
    var lines: [String] = []
    for positional in positionals {
      let typed = positional.value.text ?? ""
      let (path, shown) = try imagePath(typed, run: run, at: positional.range)
      let picture: Image
      do {
        picture = try Image(contentsOfFile: path, options: options)
      } catch {
        throw run.error(Self.describe(error), at: positional.range)
      }
      let name = run.text("as") ?? Self.imageName(typed)
      run.state.add(LoadedImage(name: name, path: shown, image: picture))
      lines.append("image \(name): \(picture.width)x\(picture.height) from \(shown)")
    }
    run.say(lines.joined(separator: "\n"))
  }

  /// The file a typed image name means (an existing path, else a bundled photo's name), and how
  /// to show it: as typed, or `bundled photo NAME` (never the install folder, which differs
  /// between machines and would make saved notebooks differ too).
  private func imagePath(_ typed: String, run: CommandRun, at range: SourceRange)
    throws(Diagnostic) -> (path: String, shown: String)
  {
    let path = run.resolvedPath(typed, directory: directory)
    if FileManager.default.fileExists(atPath: path) { return (path, typed) }
    if let bundled = assets?.photo(named: typed) {
      return (bundled.path, "bundled photo \(bundled.lastPathComponent)")
    }
    let photos = (assets?.photoNames() ?? []).map { ($0 as NSString).deletingPathExtension }
    throw Diagnostic(
      .invalidCommand, "no such image file '\(typed)'", at: range,
      label: photos.isEmpty ? nil : "bundled photos: \(photos.joined(separator: ", "))",
      suggestions: Suggestions.closest(to: typed, among: photos))
  }

  /// An image's default name: its file name without extension.
  static func imageName(_ typed: String) -> String {
    ((typed as NSString).lastPathComponent as NSString).deletingPathExtension
  }

  /// `images`: a table of the loaded images; the current one is marked.
  func images(_ run: inout CommandRun) throws {
    let state = run.state
    let table = Table(
      columns: [
        .init(header: "", key: "current"), .init(header: "name", key: "name"),
        .init(header: "size", key: "size"), .init(header: "path", key: "path"),
      ],
      rows: state.images.map { image in
        [
          image.name == state.currentImage ? "*" : "", image.name,
          "\(image.image.width)x\(image.image.height)", image.path,
        ]
      },
      values: state.images.map { image in
        [
          .flag(image.name == state.currentImage), .text(image.name),
          .integers([image.image.width, image.image.height]), .text(image.path),
        ]
      })
    run.emit(.result(table.bundle))
  }

  /// `show [NAME|last]`: an image, or a result's picture again.
  func show(_ run: inout CommandRun) throws {
    let positional = run.positional(0)
    let typed = positional?.value.text ?? "last"
    switch try Self.picture(typed, in: run.state, run: run, at: positional?.range) {
    case .image(let image):
      let display = image.display
      let caption = "\(image.name): \(image.image.width)x\(image.image.height), \(image.path)"
      run.emit(
        .display(
          Rendering.bundle(display, png: try display.pngData(fast: false), caption: caption), displayID: nil))
    case .result(let result):
      run.emit(
        .display(
          Rendering.bundle(result.picture, png: result.png, caption: result.caption), displayID: nil
        ))
    }
  }

  /// `save PATH [NAME|last]`: `.png` writes the picture, `.npy` a result's raw float32 map.
  func save(_ run: inout CommandRun) throws {
    guard let target = run.positional(0), let typed = target.value.text else { return }
    let which = run.positional(1)
    let thing = try Self.picture(
      which?.value.text ?? "last", in: run.state, run: run, at: which?.range)
    let path = run.resolvedPath(typed, directory: directory)
    let ext = (typed as NSString).pathExtension.lowercased()
    let bytes: Data
    let what: String
    switch (ext, thing) {
    case ("png", .image(let image)):
      bytes = Data(try image.display.pngData(fast: false))
      what = "image \(image.name)"
    case ("png", .result(let result)):
      bytes = Data(result.png)
      what = "\(result.name) picture \(result.picture.width)x\(result.picture.height)"
    case ("npy", .result(let result)):
      let raw = result.raw
      bytes = raw.npyData()
      what = "\(result.name) map \(shapeText(raw.shape)) float32"
    case ("npy", .image(let image)):
      throw run.error(
        "image \(image.name) has no raw map", at: which?.range ?? target.range,
        label: "save an explanation's result as .npy, or the image as .png")
    default:
      throw run.error(
        "cannot tell what to write from '\(typed)'", at: target.range,
        label: "end the path in .png (the picture) or .npy (the raw map)")
    }
    do {
      try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw run.error("cannot write '\(typed)': \(error.localizedDescription)", at: target.range)
    }
    run.say("saved \(what) to \(path)")
  }

  /// What `show` and `save` can name: an image or a result.
  enum Showable {
    case image(LoadedImage)
    case result(StoredResult)
  }

  /// An image or result by name; `last` is the latest result. Images win a name clash.
  static func picture(
    _ typed: String, in state: SessionState, run: CommandRun, at range: SourceRange?
  )
    throws(Diagnostic) -> Showable
  {
    let place = range ?? run.command.verbRange
    if typed == "last" {
      guard let name = state.lastResult, let result = state.results[name] else {
        throw run.error(
          "there is no result yet", at: place, label: "run an explanation first, e.g. gradcam")
      }
      return .result(result)
    }
    if let image = state.image(named: typed) { return .image(image) }
    if let result = state.results[typed] { return .result(result) }
    let names = state.images.map(\.name) + state.results.keys.sorted()
    throw Diagnostic(
      .unknownName, "no image or result named '\(typed)'", at: place,
      suggestions: Suggestions.closest(to: typed, among: names))
  }
}
