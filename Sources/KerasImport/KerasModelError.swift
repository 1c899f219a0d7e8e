// What can go wrong building a Keras model or binding weights to it: one clear line each.

/// A Keras architecture cannot be built as asked, or weights do not fit it.
public enum KerasModelError: Error, Equatable, Sendable {
  /// The input is smaller than the model's windows allow (Keras: 32 for VGG16, 71 for Xception).
  case inputTooSmall(model: String, height: Int, width: Int, minimum: Int)
  /// A model with its classifier takes only its default size.
  case topNeedsDefaultSize(model: String, height: Int, width: Int, required: Int)
  /// The model has its top but the weights have none of the top's layers (a `_notop` file).
  case weightsHaveNoTop(model: String, source: String, missing: [String])
  /// A layer the model needs is not in the weights.
  case missingLayer(model: String, layer: String, source: String)
  /// A layer is there but lacks one of its weights.
  case missingWeight(layer: String, weight: String, found: [String], source: String)
  /// A weight has another shape than the model needs (Keras layouts).
  case shapeMismatch(layer: String, weight: String, expected: [Int], found: [Int], source: String)
  /// The weights belong to another model.
  case wrongModel(model: String, source: String, looksLike: String?, firstLayers: [String])
  /// The weights have another number of auto-named layers of a kind (`conv2d_N`) than the
  /// model: one is missing or extra, and binding by order would shift the rest.
  case autoNamedCount(model: String, kind: String, expected: Int, found: [String], source: String)
}

extension KerasModelError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .inputTooSmall(let model, let h, let w, let minimum):
      return "\(model) needs an input of at least \(minimum)x\(minimum), got \(h)x\(w)"
    case .topNeedsDefaultSize(let model, let h, let w, let side):
      return "\(model) with its top takes \(side)x\(side) input, got \(h)x\(w); "
        + "use include_top=no for other sizes"
    case .weightsHaveNoTop(let model, let source, let missing):
      return "the weights in \(source) have no top (no \(missing.joined(separator: ", "))): "
        + "they are \(model)'s notop weights; use include_top=no"
    case .missingLayer(let model, let layer, let source):
      return "the weights in \(source) have no layer '\(layer)', which \(model) needs"
    case .missingWeight(let layer, let weight, let found, let source):
      let have = found.isEmpty ? "none" : found.joined(separator: ", ")
      return "layer '\(layer)' in \(source) has no weight '\(weight)' (it has: \(have))"
    case .shapeMismatch(let layer, let weight, let expected, let found, let source):
      return "layer '\(layer)' weight '\(weight)' in \(source) has shape \(found), "
        + "the model needs \(expected)"
    case .wrongModel(let model, let source, let looksLike, let firstLayers):
      let guess = looksLike.map { "they look like \($0)'s weights" } ?? "they are another model's"
      let names =
        firstLayers.isEmpty ? "no layers" : "first layers: " + firstLayers.joined(separator: ", ")
      return "the weights in \(source) are not \(model)'s: \(guess) (\(names))"
    case .autoNamedCount(let model, let kind, let expected, let found, let source):
      let have = found.isEmpty ? "none" : found.joined(separator: ", ")
      return "\(model) has \(expected) auto-named \(kind) layers but the weights in \(source) "
        + "have \(found.count) (\(have)): a layer is \(found.count < expected ? "missing" : "extra")"
    }
  }
}
