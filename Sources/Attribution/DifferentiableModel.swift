// The part of a classifier the explanation methods need: a network, its input, its scores.
public import Engine
public import Network

/// A network seen as `scores = f(input)`: what every explanation method runs forward and backward.
///
/// `logitsName` is the pre-softmax score tensor `[N, classes]`; methods that explain
/// probabilities apply the softmax themselves (see `TargetScore`).
public struct DifferentiableModel: Sendable {
  public var network: Network
  /// The image input `[N, C, H, W]`.
  public var inputName: String
  /// The pre-softmax scores `[N, classes]`.
  public var logitsName: String

  public init(network: Network, inputName: String, logitsName: String) {
    self.network = network
    self.inputName = inputName
    self.logitsName = logitsName
  }

  /// Logits for a batch of inputs.
  public func logits(_ input: Tensor, cancellation: Cancellation? = nil) throws -> Tensor {
    let run = try network.forward([inputName: .float(input)], keeping: [logitsName], cancellation: cancellation)
    guard let logits = run.tensor(logitsName) else {
      throw NetworkError.unknownValue(logitsName)
    }
    return logits
  }
}
