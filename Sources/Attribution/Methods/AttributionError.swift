// What a user can get wrong when asking for an explanation.

/// A request an explanation method cannot carry out, naming the cause.
public enum AttributionError: Error, Equatable, Sendable {
  /// The input is not one image `[1, C, H, W]`.
  case badInput(String)
  /// A class index outside `0..<classes`.
  case classOutOfRange(Int, classes: Int)
  /// A layer that is missing, or not a 4-D `[N, K, h, w]` tensor.
  case badLayer(String, String)
  /// A method parameter out of its range (name, reason).
  case badParameter(String, String)
  /// A layer that does not separate the input from the scores: `bypass` reaches the scores
  /// without passing through it, so a function of the layer alone is not defined.
  case layerDoesNotSeparate(layer: String, bypass: String)
}

extension AttributionError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .badInput(let message): return message
    case .classOutOfRange(let index, let classes):
      return "class \(index) is out of range: the model has \(classes) classes (0...\(classes - 1))"
    case .badLayer(let name, let reason): return "layer '\(name)': \(reason)"
    case .badParameter(let name, let reason): return "\(name): \(reason)"
    case .layerDoesNotSeparate(let layer, let bypass):
      return "layer '\(layer)' does not cut the network: '\(bypass)' reaches the scores around it"
    }
  }
}
