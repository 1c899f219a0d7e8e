// What every explanation command shares: targets, image, style, and the finished picture.
import Attribution
import CommandLanguage
import Engine
import Imaging
import Network

/// An explanation command's resolved arguments: model, image, input, targets and style.
struct ExplanationSetup {
  var model: LoadedModel
  var image: LoadedImage
  /// The model input `[1, 3, H, W]`.
  var input: Tensor
  var targets: TargetSelection
  /// Softmax probabilities of the image, per class (for captions).
  var probabilities: [Float]
  var colormap: Colormap
  var alpha: Float
  /// Where the model input lies on the display picture.
  var region: PixelRect
  var display: Image

  var labels: ClassLabels { model.classifier.labels }

  /// `Egyptian_cat (285) p=0.789`, or `tabby (281) vs Egyptian_cat (285)`; the scale when
  /// it is not the logit.
  func describe(_ target: Target?) -> String {
    guard let target else { return "class-agnostic" }
    func one(_ index: Int) -> String { "\(labels[index].name) (\(index))" }
    var text = one(target.classIndex)
    if let versus = target.versus {
      text += " vs " + one(versus)
    } else {
      text += " p=" + String(format3(Double(probabilities[target.classIndex])))
    }
    switch target.score {
    case .logit: break
    case .probability: text += " [prob]"
    case .logProbability: text += " [logprob]"
    }
    return text
  }
}

extension Session {
  /// Resolves the arguments every explanation takes; runs the model once for the ranking.
  /// - Parameters:
  ///   - defaultTop: how many classes when neither `class=` nor `top=` is given.
  ///   - defaultScore: the score explained when `score=` is not given.
  func explanationSetup(
    _ run: CommandRun, defaultTop: Int? = nil, defaultScore: ScoreKind = .logit
  ) throws -> ExplanationSetup {
    let model = try run.requireModel()
    let image = try run.requireImage()
    let settings = run.state.settings
    let input = Self.inputTensor(model, image, settings: settings)
    let logits = try model.classifier.logits(input, cancellation: run.cancellation)
    let probabilities = softmax(logits.storage[0..<logits.shape[1]])
    let labels = model.classifier.labels
    var classes: [Int] = []
    if let argument = run.command.argument("class") {
      for (item, range) in zip(argument.value.items, argument.itemRanges) {
        classes.append(try NameResolver.classIndex(item, labels: labels, at: range))
      }
    }
    let selection: TargetSelection.Classes
    if let versus = run.command.argument("vs") {
      let other = try NameResolver.classIndex(versus.value, labels: labels, at: versus.valueRange)
      guard classes.count <= 1 else {
        throw run.error(
          "vs= compares one class", at: run.range(of: "class"), label: "give one class=")
      }
      let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
      selection = .contrast(classes.first ?? best, versus: other)
    } else if !classes.isEmpty {
      selection = .indices(classes)
    } else {
      selection = .top(run.integer("top") ?? defaultTop ?? settings.top)
    }
    let score: ScoreKind =
      switch run.text("score") {
      case "prob": .probability
      case "logprob": .logProbability
      case "logit": .logit
      default: defaultScore
      }
    let colormapName = run.text("colormap") ?? settings.colormap
    let display = image.display
    return ExplanationSetup(
      model: model, image: image, input: input,
      targets: TargetSelection(selection, score: score), probabilities: probabilities,
      colormap: try Palette.colormap(colormapName, at: run.range(of: "colormap")),
      alpha: Float(run.number("alpha") ?? settings.alpha),
      region: Rendering.inputRegion(
        of: display, input: model.classifier.inputSize, mode: settings.resize),
      display: display)
  }

  /// A progress display for a long command, if the command is long.
  func progress(_ what: String, unit: String, run: CommandRun) -> ProgressDisplay {
    ProgressDisplay(what, unit: unit, run: run, interval: progressInterval)
  }

  /// Runs `body`, marking `progress` as stopped if it throws.
  func withProgress<T>(_ progress: ProgressDisplay?, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch {
      progress?.abandon((error as? NetworkError) == .cancelled ? "interrupted" : "failed")
      throw error
    }
  }

  /// Draws the maps over the photo (one captioned panel per map), stores the result as
  /// `last` and under `name`, and shows it (replacing the progress display when there is one).
  /// - Parameters:
  ///   - pictures: the map to draw for each raw map, at any resolution (upsampled to the
  ///     input's footprint on the photo).
  ///   - details: caption parts after the target (layer, seed, completeness).
  func present(
    _ run: inout CommandRun, name: String, method: String, setup: ExplanationSetup,
    maps: [AttributionMap], pictures: [ScalarMap], style: MapStyle, details: [String],
    progress: ProgressDisplay?
  ) throws {
    let panels = zip(maps, pictures).map { map, picture in
      let scale = MapScale.fitting([picture], style.normalization)
      let drawn = Rendering.overlay(
        setup.display, map: picture, scale: scale, style: style, region: setup.region)
      let caption = ([method, setup.describe(map.target)] + details).joined(separator: " | ")
      return Rendering.captioned(drawn, caption)
    }
    let picture = Rendering.sideBySide(panels)
    let targets = maps.map { setup.describe($0.target) }.joined(separator: "; ")
    let cost = maps.first.map { costText($0.cost) } ?? ""
    let caption = ([method, targets] + details + [cost]).joined(separator: " | ")
    try deliver(
      &run, name: name, maps: maps, picture: picture, caption: caption, progress: progress)
  }

  /// Encodes, stores and shows a finished picture.
  func deliver(
    _ run: inout CommandRun, name: String, maps: [AttributionMap], picture: Image,
    caption: String, progress: ProgressDisplay?
  ) throws {
    var picture = picture
    var caption = caption
    // An untrained model's pictures say so, in the text and across the picture itself: its
    // maps are easily mistaken for a trained model's.
    if let model = run.state.model, let note = model.untrainedNote,
      let seed = model.classifier.randomWeightsSeed
    {
      caption += " | " + note
      // Short enough to fit across a 224-pixel picture at the small font.
      picture = Rendering.footed(picture, "UNTRAINED: random weights, seed \(seed)")
    }
    let png = try picture.pngData(fast: false)
    run.state.store(
      StoredResult(name: name, maps: maps, picture: picture, png: png, caption: caption))
    let bundle = Rendering.bundle(picture, png: png, caption: caption)
    if let progress {
      progress.finish(with: bundle)
    } else {
      run.emit(.display(bundle, displayID: nil))
    }
  }

  /// The baseline an argument names (zero, black, mean, blur, or a number in input space).
  static func baseline(_ value: CommandLanguage.Value?, model: LoadedModel) -> Baseline {
    guard let value else { return .value(0) }
    if let number = value.number { return .value(Float(number)) }
    let (h, w) = model.classifier.inputSize
    switch value.text {
    case "black":
      let black = FloatImage(
        width: w, height: h, channels: 3, planes: [Float](repeating: 0, count: 3 * h * w))
      return .tensor(model.classifier.preprocessing.tensor(from: black))
    case "mean": return .channelMean
    // NB: sigma 1/16 of the side removes object detail but keeps the colour layout.
    case "blur": return .blurred(sigma: Double(max(h, w)) / 16)
    default: return .value(0)
    }
  }
}

/// `12 forward (40 images), 1 backward, 830 ms`.
func costText(_ cost: Cost) -> String {
  let images = cost.imagesEvaluated == cost.forwardPasses ? "" : " (\(cost.imagesEvaluated) images)"
  return "\(cost.forwardPasses) forward\(images), \(cost.backwardPasses) backward, "
    + "\(Int(cost.milliseconds.rounded())) ms"
}

/// A number with three significant decimals: `0.789`, `12.3`.
func format3(_ x: Double) -> String {
  let rounded = (x * 1000).rounded() / 1000
  return formatNumber(rounded)
}
