// `predict` and `layers`: what the model says, and what it is made of.
import Attribution
import Engine
import Imaging

extension Session {
  /// `predict image= top=`: the best classes of an image, as a table.
  func predict(_ run: inout CommandRun) throws {
    let model = try run.requireModel()
    let image = try run.requireImage()
    let top = min(run.integer("top") ?? 5, model.classifier.labels.count)
    let ranked = try Self.ranking(model, image, settings: run.state.settings, run: run, top: top)
    let table = Table(
      columns: [
        .init(header: "rank", key: "rank", rightAligned: true),
        .init(header: "index", key: "index", rightAligned: true),
        .init(header: "wnid", key: "wnid"), .init(header: "name", key: "name"),
        .init(header: "probability", key: "probability", rightAligned: true),
      ],
      rows: ranked.map { row in
        [
          "\(row.rank)", "\(row.label.index)", row.label.wnid.isEmpty ? "-" : row.label.wnid,
          row.label.name, probabilityText(row.probability),
        ]
      },
      values: ranked.map { row in
        [
          .integer(row.rank), .integer(row.label.index), .text(row.label.wnid),
          .text(row.label.name), .number(Double(row.probability)),
        ]
      },
      plainText: PredictionTable(ranked).text,
      note: model.untrainedNote)
    run.emit(.result(table.bundle))
  }

  /// The model input for an image under the session's resize settings.
  static func inputTensor(_ model: LoadedModel, _ image: LoadedImage, settings: Settings) -> Tensor
  {
    let (h, w) = model.classifier.inputSize
    let geometry = InputGeometry(
      width: w, height: h, mode: settings.resize, interpolation: settings.interpolation)
    return model.classifier.inputTensor(for: image.image, geometry: geometry)
  }

  /// The `top` best classes of an image, interruptible.
  static func ranking(
    _ model: LoadedModel, _ image: LoadedImage, settings: Settings, run: CommandRun, top: Int
  ) throws -> [RankedClass] {
    let input = inputTensor(model, image, settings: settings)
    let logits = try model.classifier.logits(input, cancellation: run.cancellation)
    return topClasses(logits: logits, labels: model.classifier.labels, k: top)[0]
  }

  /// `layers filter=`: the model's tensors with op and shape; 4-D ones marked.
  func layers(_ run: inout CommandRun) throws {
    let model = try run.requireModel()
    var entries = try model.layers.entries(cancellation: run.cancellation)
    if let filter = run.text("filter") {
      entries = entries.filter { entry in
        entry.spellings.contains { $0.lowercased().contains(filter.lowercased()) }
      }
    }
    // Graphs exported from Keras (tf2onnx) name tensors by scope; their Keras names get a column.
    let hasAliases = entries.contains { $0.alias != nil }
    var columns: [Table.Column] = [
      .init(header: "name", key: "name"), .init(header: "op", key: "op"),
      .init(header: "output shape", key: "shape"), .init(header: "4-D", key: "four_d"),
    ]
    if hasAliases { columns.insert(.init(header: "keras name", key: "keras_name"), at: 0) }
    let table = Table(
      columns: columns,
      rows: entries.map { entry in
        (hasAliases ? [entry.alias ?? ""] : [])
          + [entry.name, entry.op, shapeText(entry.shape), entry.isFourD ? "*" : ""]
      },
      values: entries.map { entry in
        (hasAliases ? [.text(entry.alias ?? "")] : [])
          + [.text(entry.name), .text(entry.op), .integers(entry.shape), .flag(entry.isFourD)]
      })
    run.emit(.result(table.bundle))
  }
}

/// A probability with four decimals (`0.7890`).
func probabilityText(_ p: Float) -> String {
  let scaled = Int((Double(p) * 10_000).rounded())
  let fraction = String(scaled % 10_000)
  return "\(scaled / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
}
