// Seeded random weights for an ONNX model: the "is this explanation just an edge detector?" check.
import Engine
import Network

/// Replaces an ONNX model's weight tensors with seeded random values.
///
/// The model-randomisation sanity check (Adebayo et al. 2018, arXiv:1810.03292): an explanation
/// method that draws the same picture for trained and random weights explains the image, not
/// the model. Every float tensor of rank 2 or more (convolution and dense weights) is replaced
/// by values uniform in `[-a, a)` with `a = std * sqrt(3)`, `std` the tensor's own standard
/// deviation, so activations keep their scale through the network; rank-0 and rank-1 tensors
/// (biases, normalisation parameters, shapes) are kept. Each tensor's stream is keyed by the
/// seed and its name, so the result does not depend on the order tensors are read in.
enum RandomizedWeights {
  /// The value to use for initializer `name`: randomised when it is a weight tensor.
  static func value(_ name: String, _ value: Value, seed: UInt64) -> Value {
    guard case .float(let tensor) = value, tensor.rank >= 2, tensor.count > 1 else { return value }
    let std = standardDeviation(tensor.storage)
    let scale = Float(std * 3.0.squareRoot())
    var keyGenerator = SplitMix64(seed: seed ^ fnv1a(name))
    var generator = SplitMix64(seed: keyGenerator.next())
    var storage = [Float](repeating: 0, count: tensor.count)
    for i in storage.indices {
      // 24 random bits: u in [0, 1) exactly as a Float; 2u - 1 in [-1, 1) is exact too.
      let u = Float(generator.next() >> 40) * 0x1p-24
      storage[i] = (2 * u - 1) * scale
    }
    return .float(Tensor(shape: tensor.shape, storage: storage))
  }

  /// Population standard deviation, accumulated in Double.
  static func standardDeviation(_ values: [Float]) -> Double {
    var sum = 0.0
    var squares = 0.0
    for v in values {
      sum += Double(v)
      squares += Double(v) * Double(v)
    }
    let n = Double(values.count)
    return max(0, squares / n - (sum / n) * (sum / n)).squareRoot()
  }

  /// FNV-1a, 64 bits, of the name's UTF-8 bytes.
  static func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01b3
    }
    return hash
  }
}
