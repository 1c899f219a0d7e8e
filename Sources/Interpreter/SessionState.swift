// What a session remembers between commands: the model, the images, the results, the settings.
import Attribution
import Engine
import Foundation
import KerasImport
import Imaging
import Network

/// Everything a session knows. A command works on a copy and the session keeps the copy only
/// when the command succeeds, so a failed or interrupted command changes nothing.
struct SessionState {
  /// The current classifier, if one is loaded.
  var model: LoadedModel?
  /// Loaded images in load order; names are unique.
  var images: [LoadedImage] = []
  /// The name of the current image (the last one loaded).
  var currentImage: String?
  /// Results by name (the command that made them: `gradcam`, `occlusion`, ...).
  var results: [String: StoredResult] = [:]
  /// The name of the latest result (`last`).
  var lastResult: String?
  var settings = Settings()

  /// The image called `name`.
  func image(named name: String) -> LoadedImage? { images.first { $0.name == name } }

  /// Adds an image, replacing one of the same name, and makes it current.
  mutating func add(_ image: LoadedImage) {
    images.removeAll { $0.name == image.name }
    images.append(image)
    currentImage = image.name
  }

  /// Stores a result under its name and makes it `last`.
  mutating func store(_ result: StoredResult) {
    results[result.name] = result
    lastResult = result.name
  }
}

/// A loaded classifier with what the session learned about it.
struct LoadedModel {
  var classifier: Classifier
  /// Wall-clock seconds the load took.
  var loadSeconds: Double
  /// The model's tensors with their shapes, computed on first use and shared by copies.
  let layers: LayerTable

  init(classifier: Classifier, loadSeconds: Double) {
    self.classifier = classifier
    self.loadSeconds = loadSeconds
    self.layers = LayerTable(classifier: classifier)
  }

  /// `UNTRAINED: random weights, seed N` when the weights are seeded random values.
  var untrainedNote: String? {
    classifier.randomWeightsSeed.map { "UNTRAINED \(classifier.name): random weights, seed \($0)" }
  }

  /// What explanation methods run on.
  var explainer: Explainer {
    Explainer(
      model: DifferentiableModel(
        network: classifier.network, inputName: classifier.inputName,
        logitsName: classifier.logitsName))
  }
}

/// One named tensor of a model: the node that makes it and its shape for one image.
struct LayerEntry: Sendable, Equatable {
  var name: String
  var op: String
  var shape: [Int]
  /// The Keras layer name this tensor is the output of, when the tensor's own name is a
  /// longer graph name (tf2onnx exports: `.../block14_sepconv2_act/Relu:0`).
  var alias: String? = nil
  /// The names a user may type for it.
  var spellings: [String] { [name] + (alias.map { [$0] } ?? []) }
  /// Whether the tensor is `[N, K, h, w]`, the kind CAMs and activation grids read.
  var isFourD: Bool { shape.count == 4 }
  /// 4-D with more than one position: a layer a CAM can localise on.
  var isSpatial: Bool { isFourD && shape[2] * shape[3] > 1 }
}

/// The tensors of a model in graph order, with shapes from one forward pass on a blank input.
///
/// A class so that the one forward pass is paid once per loaded model, whichever copy of the
/// state asks first.
final class LayerTable {
  private let classifier: Classifier
  private var cached: [LayerEntry]?

  /// Keras layer name of each tensor that is a Keras layer's output under another name.
  private let aliases: [String: String]

  init(classifier: Classifier) {
    self.classifier = classifier
    // A name that is already a tensor's (Glimpse's own Keras builds name every layer output
    // after its layer) keeps meaning that tensor; aliases only fill in names a graph lacks.
    let tensors = Set(classifier.network.intermediateNames + [classifier.inputName])
    var aliases: [String: String] = [:]
    for (keras, tensor) in KerasLayerNames.aliases(in: classifier.network)
    where keras != tensor && !tensors.contains(keras) {
      aliases[tensor] = keras
    }
    self.aliases = aliases
  }

  /// How captions name a tensor: its Keras layer name when it has one, else its own name.
  func displayName(_ tensor: String) -> String { aliases[tensor] ?? tensor }

  /// Tensor names (and Keras names) in graph order without running anything (for completion).
  var names: [String] {
    ([classifier.inputName] + classifier.network.intermediateNames).flatMap { name in
      [name] + (aliases[name].map { [$0] } ?? [])
    }
  }

  /// Every tensor with its op and shape; runs the network once on zeros the first time.
  func entries(cancellation: Cancellation? = nil) throws -> [LayerEntry] {
    if let cached { return cached }
    let network = classifier.network
    let (h, w) = classifier.inputSize
    let input = Tensor(repeating: 0, shape: [1, 3, h, w])
    let run = try network.forward(
      [classifier.inputName: .float(input)], keeping: Set(network.intermediateNames),
      cancellation: cancellation)
    var entries = [LayerEntry(name: classifier.inputName, op: "Input", shape: [1, 3, h, w])]
    for node in network.nodes {
      for output in node.outputs where !output.isEmpty {
        let shape = run.values[output]?.shape ?? []
        entries.append(
          LayerEntry(name: output, op: node.op.opType, shape: shape, alias: aliases[output]))
      }
    }
    cached = entries
    return entries
  }
}

/// A decoded photo: the pixels the model reads, and where it came from.
struct LoadedImage {
  var name: String
  /// The file it was read from.
  var path: String
  /// The decoded 8-bit RGB pixels at full size (the model's input is made from these).
  var image: Image

  /// The picture results are drawn on: the photo, shrunk when its longer side passes
  /// ``LoadedImage/maxDisplaySide`` so notebooks stay small.
  var display: Image {
    let side = max(image.width, image.height)
    guard side > Self.maxDisplaySide else { return image }
    let height = max(1, image.height * Self.maxDisplaySide / side)
    return image.fitted(height: height)
  }

  /// The longest side of a displayed picture.
  static let maxDisplaySide = 1024
}

/// One explanation as the session keeps it: the raw maps, the rendered picture, its caption.
struct StoredResult {
  /// The result's name (`gradcam`, ...), which `show` and `save` accept.
  var name: String
  /// One map per explained target, in order.
  var maps: [AttributionMap]
  /// The rendered picture and its PNG bytes.
  var picture: Image
  var png: [UInt8]
  /// The one-line caption (method, target, layer, seed, cost).
  var caption: String

  /// The raw numbers `save x.npy` writes: the map, or the maps stacked `[T, ...]`.
  var raw: Tensor {
    if maps.count == 1 { return maps[0].values }
    let shape = [maps.count] + maps[0].values.shape
    return Tensor(shape: shape, storage: maps.flatMap(\.values.storage))
  }
}
