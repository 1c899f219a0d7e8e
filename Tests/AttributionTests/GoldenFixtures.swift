import Engine
import Foundation
import ModelImport
import Network
import ModelZoo

/// The golden reference numbers for the embedded model (copied from shared/models/golden,
/// made by Fixtures/golden/make_goldens.py).
enum GoldenFixtures {
  static var directory: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures/golden") }

  /// The parsed JSON of one input (`chelsea` or `synthetic`).
  static func json(_ input: String) throws -> [String: Any] {
    let data = try Data(contentsOf: directory.appendingPathComponent("efficientnet-lite0-\(input).json"))
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
  }

  /// A raw little-endian float32 [1,3,224,224] tensor file.
  static func tensor(_ file: String) throws -> Tensor {
    let data = try Data(contentsOf: directory.appendingPathComponent(file))
    let floats = data.withUnsafeBytes { raw in
      (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
    }
    return Tensor(shape: [1, 3, 224, 224], storage: floats)
  }

  /// The synthetic input: x[0,c,h,w] = (((w*7 + h*13 + c*17) mod 255) - 127) / 128.
  static func syntheticInput() -> Tensor {
    var t = Tensor(zeros: [1, 3, 224, 224])
    for c in 0..<3 {
      for h in 0..<224 {
        for w in 0..<224 {
          t.storage[(c * 224 + h) * 224 + w] = Float(((w * 7 + h * 13 + c * 17) % 255) - 127) / 128
        }
      }
    }
    return t
  }

  /// The model input of one golden case.
  static func input(_ name: String) throws -> Tensor {
    name == "synthetic" ? syntheticInput() : try tensor("efficientnet-lite0-\(name).input.f32")
  }

  /// The embedded model, loaded once for all tests.
  static let network: Network = {
    do {
      return try ONNXLoader.load(path: try BundledAssets.locate().defaultModel.path)
    } catch {
      fatalError("cannot load the embedded model: \(error)")
    }
  }()
}
