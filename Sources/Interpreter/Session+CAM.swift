// `gradcam` (and its family) and `activations`: maps on a layer's grid.
import Attribution
import CommandLanguage
import Imaging

extension Session {
  /// `gradcam layer= method= preset=`: class activation maps, one panel per target; a comma
  /// list of layers fuses their maps.
  func gradcam(_ run: inout CommandRun) throws {
    let model = try run.requireModel()
    let entries = try model.layers.entries(cancellation: run.cancellation)
    let layers = try resolvedLayers(run, entries: entries)
    let method = run.text("method") ?? "gradcam"
    if layers.count > 1 && ["eigencam", "scorecam"].contains(method) {
      throw run.error(
        "\(method) takes one layer", at: run.range(of: "layer"),
        label: "fusing several layers works for the gradient CAMs")
    }
    let preset = run.text("preset") ?? run.state.settings.preset
    // tf-explain explains the softmax probability (its Keras models end in softmax) unless
    // score= says otherwise, and weights channels by guided gradients without a final ReLU.
    let tfExplain = preset == "tfexplain" && method == "gradcam"
    let setup = try explanationSetup(run, defaultScore: tfExplain ? .probability : .logit)
    let explainer = model.explainer
    let long = method == "scorecam"
    let progress = long ? self.progress(method, unit: "channels", run: run) : nil
    let control = progress?.control ?? RunControl(cancellation: run.cancellation)
    let maps: [AttributionMap] = try withProgress(progress) {
      switch method {
      case "eigencam":
        return [try explainer.eigenCAM(setup.input, layer: layers[0], control: control)]
      case "scorecam":
        return try explainer.scoreCAM(
          setup.input, targets: setup.targets, layer: layers[0], control: control)
      default:
        let variant = tfExplain ? .tfExplain : CAMVariant(rawValue: method) ?? .gradCAM
        if layers.count == 1 {
          return try explainer.gradCAM(
            setup.input, targets: setup.targets, layer: layers[0], variant: variant,
            control: control)
        }
        return try explainer.fusedCAM(
          setup.input, targets: setup.targets, layers: layers, variant: variant, control: control)
      }
    }
    // tf-explain draws its maps with viridis added onto 0.7 x the photo (see Layout).
    let style =
      preset == "tfexplain"
      ? MapStyle(normalization: .minMax, colormap: .viridis, blend: .weighted(image: 0.7, map: 1))
      : MapStyle(normalization: .minMax, colormap: setup.colormap, blend: .alpha(setup.alpha))
    try present(
      &run, name: "gradcam", method: method, setup: setup, maps: maps,
      pictures: maps.map { Rendering.scalarMap($0.values) }, style: style,
      details: ["layer " + layers.map(model.layers.displayName).joined(separator: ",")],
      progress: progress)
  }

  /// The layers `layer=` names (default `last`), each 4-D.
  private func resolvedLayers(_ run: CommandRun, entries: [LayerEntry]) throws(Diagnostic)
    -> [String]
  {
    guard let argument = run.command.argument("layer") else {
      return [try NameResolver.layer("last", in: entries, fourD: true, at: run.command.verbRange)]
    }
    var names: [String] = []
    for (item, range) in zip(argument.value.items, argument.itemRanges) {
      names.append(try NameResolver.layer(item.text ?? "", in: entries, fourD: true, at: range))
    }
    return names
  }

  /// `activations layer= channels= sort=`: a layer's feature maps as a captioned grid.
  func activations(_ run: inout CommandRun) throws {
    let model = try run.requireModel()
    let image = try run.requireImage()
    let entries = try model.layers.entries(cancellation: run.cancellation)
    let layer = try NameResolver.layer(
      run.text("layer") ?? "last", in: entries, fourD: true, at: run.range(of: "layer"))
    let count: Int? = run.text("channels") == "all" ? nil : (run.integer("channels") ?? 16)
    let order: ChannelOrder = run.text("sort") == "index" ? .index : .meanDescending
    let colormap = try Palette.colormap(
      run.text("colormap") ?? run.state.settings.colormap, at: run.range(of: "colormap"))
    let input = Self.inputTensor(model, image, settings: run.state.settings)
    let map = try model.explainer.activationGrid(
      input, layer: layer, count: count, order: order,
      control: RunControl(cancellation: run.cancellation))
    let (k, h, w) = (map.values.shape[0], map.values.shape[1], map.values.shape[2])
    let tiles = (0..<k).map { c in
      ScalarMap(
        width: w, height: h, values: Array(map.values.storage[(c * h * w)..<((c + 1) * h * w)]))
    }
    let picture = Layout.activationGrid(
      tiles, channels: map.channels ?? Array(0..<k), colormap: colormap)
    let total = entries.first { $0.name == layer }?.shape[1] ?? k
    let caption = [
      "activations", "layer \(model.layers.displayName(layer))", "\(k) of \(total) channels by \(order.rawValue)",
      "image \(image.name)", costText(map.cost),
    ].joined(separator: " | ")
    try deliver(
      &run, name: "activations", maps: [map], picture: picture, caption: caption, progress: nil)
  }
}
