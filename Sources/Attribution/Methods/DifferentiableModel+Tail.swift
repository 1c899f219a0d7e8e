// The part of a network after one layer, as a model of its own (for layer-space methods).
import Network

extension DifferentiableModel {
  /// The scores as a function of `layer`: a network whose input is `layer` and whose nodes
  /// are those after it that the scores need.
  /// - Throws: ``AttributionError/layerDoesNotSeparate(layer:bypass:)`` when a value computed
  ///   before `layer` (a skip connection around it, or the image itself) also feeds the
  ///   scores; ``AttributionError/badLayer(_:_:)`` for an unknown layer or one the scores do
  ///   not depend on.
  func tail(from layer: String) throws -> DifferentiableModel {
    if layer == inputName { return self }
    guard let cut = network.producer[layer] else {
      throw AttributionError.badLayer(layer, "no node of the network defines it")
    }
    guard let last = network.producer[logitsName], last > cut else {
      throw AttributionError.badLayer(layer, "the scores '\(logitsName)' do not depend on it")
    }
    var needed: Set<String> = [logitsName]
    var kept: [Node] = []
    for index in stride(from: network.nodes.count - 1, to: cut, by: -1) {
      let node = network.nodes[index]
      guard node.outputs.contains(where: needed.contains) else { continue }
      kept.append(node)
      for input in node.inputs
      where !input.isEmpty && input != layer && network.constants[input] == nil {
        if let producer = network.producer[input], producer > cut {
          needed.insert(input)
        } else {
          throw AttributionError.layerDoesNotSeparate(layer: layer, bypass: input)
        }
      }
    }
    let sub = try Network(
      name: "\(network.name)[\(layer)...]", inputs: [TensorSpec(name: layer, shape: nil)],
      outputs: [TensorSpec(name: logitsName, shape: nil)], nodes: kept.reversed(),
      constants: network.constants)
    return DifferentiableModel(network: sub, inputName: layer, logitsName: logitsName)
  }
}
