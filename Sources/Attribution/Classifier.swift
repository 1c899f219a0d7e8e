// A network together with what it takes to feed it and read it: an image classifier.
public import Engine
public import Imaging
public import Network

/// An image classifier: a network, its input geometry and preprocessing, and its class names.
///
/// The network's first input is the image tensor `[N, 3, H, W]`; `logitsName` names the
/// pre-softmax scores `[N, classes]` (when a graph ends in Softmax, the Softmax's input).
public struct Classifier: Sendable {
  public var name: String
  public var network: Network
  public var inputName: String
  public var logitsName: String
  public var preprocessing: Preprocessing
  /// Input height and width the network expects.
  public var inputSize: (height: Int, width: Int)
  public var labels: ClassLabels
  /// Set when the weights are seeded random values, not trained ones: an untrained model,
  /// for trying the pipeline; every output should say so.
  public var randomWeightsSeed: UInt64?
  /// Where the weights were read from when that is not the model file itself (a Keras
  /// weights file in a cache or given by path), for the load report.
  public var weightsFile: String?
  /// Whether the network ends in class scores `[N, classes]` (a Keras model loaded with
  /// `include_top=no` ends in feature maps instead).
  public var hasClassifierHead: Bool

  /// Wraps a network, reading its input size and output from the graph.
  /// - Throws: ``ClassifierError`` when the network is not an NCHW 3-channel image classifier.
  public init(name: String, network: Network, preprocessing: Preprocessing, labels: ClassLabels?) throws {
    guard let input = network.inputs.first, let shape = input.shape, shape.count == 4 else {
      throw ClassifierError.notAnImageModel(name, "its first input is not a 4-D [N, 3, H, W] tensor")
    }
    guard shape[1] == 3 || shape[1] == nil else {
      throw ClassifierError.notAnImageModel(name, "its input has \(shape[1]!) channels, not 3 (NCHW expected)")
    }
    guard let height = shape[2], let width = shape[3] else {
      throw ClassifierError.notAnImageModel(name, "its input height and width are not fixed")
    }
    guard let output = network.outputs.first else {
      throw ClassifierError.notAnImageModel(name, "it has no output")
    }
    self.name = name
    self.network = network
    self.inputName = input.name
    self.logitsName = Self.logitsName(of: network, output: output.name)
    self.preprocessing = preprocessing
    self.inputSize = (height, width)
    // Only a [N, classes] output has classes; a headless model's last axis is a width.
    self.hasClassifierHead = output.shape?.count == 2
    let classes = hasClassifierHead ? output.shape?.last.flatMap { $0 } : nil
    if let labels, let classes, labels.count != classes {
      throw ClassifierError.labelCount(labels: labels.count, outputs: classes)
    }
    self.labels = labels ?? ClassLabels.numbered(classes ?? 0)
  }

  /// The pre-softmax tensor: the input of a final Softmax, else the output itself.
  static func logitsName(of network: Network, output: String) -> String {
    if let index = network.producer[output], network.nodes[index].op.opType == "Softmax",
      let input = network.nodes[index].inputs.first
    {
      return input
    }
    return output
  }

  /// The model input for one image: resized and normalised as the model declares.
  public func inputTensor(for image: Image, geometry: InputGeometry? = nil) -> Tensor {
    let geometry = geometry ?? InputGeometry(width: inputSize.width, height: inputSize.height)
    return preprocessing.tensor(from: image, geometry: geometry)
  }

  /// Logits `[N, classes]` for a batch of model inputs.
  public func logits(_ input: Tensor, cancellation: Cancellation? = nil) throws -> Tensor {
    guard hasClassifierHead else { throw ClassifierError.noClassifierHead(name) }
    let run = try network.forward([inputName: .float(input)], keeping: [logitsName], cancellation: cancellation)
    guard let logits = run.tensor(logitsName), logits.rank == 2 else {
      throw ClassifierError.notAnImageModel(name, "its output is not a [N, classes] float tensor")
    }
    if labels.count != logits.shape[1] {
      throw ClassifierError.labelCount(labels: labels.count, outputs: logits.shape[1])
    }
    return logits
  }

  /// The `top` most probable classes of one image, best first.
  public func predict(_ image: Image, top: Int = 5) throws -> [RankedClass] {
    let logits = try logits(inputTensor(for: image))
    return topClasses(logits: logits, labels: labels, k: top)[0]
  }
}

/// A network that cannot serve as an image classifier.
public enum ClassifierError: Error, CustomStringConvertible, Equatable {
  case notAnImageModel(String, String)
  case labelCount(labels: Int, outputs: Int)
  /// A model loaded without its classifier head was asked for class scores.
  case noClassifierHead(String)

  public var description: String {
    switch self {
    case .noClassifierHead(let name):
      return "\(name) was loaded without its classifier head (include_top=no): it has no class "
        + "scores to predict or explain; activations and layers still work"
    case .notAnImageModel(let name, let why): return "model '\(name)' is not an image classifier: \(why)"
    case .labelCount(let labels, let outputs):
      return "the class list has \(labels) names but the model has \(outputs) outputs"
    }
  }
}
