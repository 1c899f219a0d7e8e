// A built-in Keras model described layer by layer, with the shapes Keras gives each layer.
import Network

/// A Keras application model (VGG16, Xception) as Keras builds it: every layer of
/// `model.layers` in Keras' order with Keras' names, for one input size and top choice.
///
/// Build one with ``KerasApplications``; turn it into a runnable graph with
/// ``network(weights:)``. The network takes `input_1` NCHW `[N, 3, H, W]` and names each
/// layer's output tensor as Keras names the layer.
public struct KerasArchitecture: Sendable {
  /// `vgg16` or `xception` (Keras' `model.name`).
  public let name: String
  /// The image size the network takes.
  public let inputSize: (height: Int, width: Int)
  /// Whether the classifier layers (Keras' `include_top`) are part of the model.
  public let includeTop: Bool
  /// The input layer's name.
  public let inputName = "input_1"
  /// Every layer after the input, in `model.layers` order (topological).
  public let layers: [KerasLayer]
  /// Layers only the model with its top has (for messages about notop files).
  public let topLayerNames: [String]
  /// Keras output shape of each layer (no batch axis; `[H, W, C]` or `[units]`).
  public let outputShapes: [String: [Int]]
  /// The layers with weights, in `model.layers` order (the order seeded weights number).
  public let weightedLayers: [KerasWeightedLayer]

  /// Describes a model from its layers, computing every shape.
  /// - Throws: ``KerasModelError/inputTooSmall(model:height:width:minimum:)`` when a window
  ///   does not fit.
  init(
    name: String, inputSize: (height: Int, width: Int), includeTop: Bool, layers: [KerasLayer],
    topLayerNames: [String], minimumSize: Int
  ) throws {
    (self.name, self.inputSize, self.includeTop) = (name, inputSize, includeTop)
    (self.layers, self.topLayerNames) = (layers, topLayerNames)
    let tooSmall = KerasModelError.inputTooSmall(
      model: name, height: inputSize.height, width: inputSize.width, minimum: minimumSize)
    guard min(inputSize.height, inputSize.width) >= minimumSize else { throw tooSmall }
    var shapes = ["input_1": [inputSize.height, inputSize.width, 3]]
    var weighted: [KerasWeightedLayer] = []
    for layer in layers {
      let inputs = layer.inputs.map { name -> [Int] in
        guard let shape = shapes[name] else {
          preconditionFailure("layer \(layer.name) reads \(name) before it exists")
        }
        return shape
      }
      guard let output = layer.outputShape(inputs: inputs) else { throw tooSmall }
      shapes[layer.name] = output
      if !layer.weightNames.isEmpty {
        weighted.append(
          KerasWeightedLayer(
            name: layer.name, weightNames: layer.weightNames,
            weightShapes: layer.weightShapes(input: inputs[0]),
            autoNamedKind: autoName(layer.name)?.kind))
      }
    }
    self.outputShapes = shapes
    self.weightedLayers = weighted
  }

  /// The model's output layer (`predictions` with the top, else the last feature layer).
  public var outputName: String { layers.last?.name ?? inputName }

  /// The shape of `layer`'s output tensor in the Glimpse network, NCHW with batch `batch`
  /// (`[batch, C, H, W]` for images, `[batch, units]` for vectors), or nil for no such layer.
  public func networkShape(of layer: String, batch: Int = 1) -> [Int]? {
    guard let shape = outputShapes[layer] else { return nil }
    return shape.count == 3 ? [batch, shape[2], shape[0], shape[1]] : [batch] + shape
  }

  /// Number of float parameters the weights hold.
  public var parameterCount: Int {
    weightedLayers.reduce(0) { total, layer in
      total + layer.weightShapes.reduce(0) { $0 + $1.reduce(1, *) }
    }
  }
}

extension KerasArchitecture: CustomStringConvertible {
  public var description: String {
    "\(name) (\(includeTop ? "with" : "without") top, \(inputSize.height)x\(inputSize.width) input)"
  }
}
