// Back-propagation through the Keras graphs: a Grad-CAM-style backward from a logit to
// block5_conv3 and to the input, and a directional-derivative check through Xception's entry
// flow.
import Engine
import Foundation
import KerasImport
import Network
import XCTest

final class ArchitectureGradientTests: XCTestCase {
  func testGradCAMBackwardReachesBlock5Conv3AndTheInput() throws {
    let model = try KerasApplications.vgg16()
    let network = try model.network(weights: .seeded(for: model, seed: 1))
    let start = Date()
    let run = try network.forward(
      [model.inputName: .float(model.seededInput())], keeping: ["predictions/logits"],
      gradientsFor: ["block5_conv3", model.inputName])
    let logits = try XCTUnwrap(run.tensor("predictions/logits"))
    var seed = Tensor(zeros: [1, 1000])
    seed[0, 7] = 1
    let gradients = try network.backward(run, seeds: ["predictions/logits": seed])
    print("VGG16 224 forward + backward to the input: \(Date().timeIntervalSince(start)) s")
    XCTAssertEqual(logits.shape, [1, 1000])
    let atLayer = try XCTUnwrap(gradients["block5_conv3"])
    XCTAssertEqual(atLayer.shape, [1, 512, 14, 14])
    XCTAssertGreaterThan(atLayer.storage.filter { $0 != 0 }.count, 1000)
    let atInput = try XCTUnwrap(gradients[model.inputName])
    XCTAssertEqual(atInput.shape, [1, 3, 224, 224])
    XCTAssertTrue(atInput.storage.allSatisfy(\.isFinite))
    XCTAssertGreaterThan(atInput.storage.filter { $0 != 0 }.count, 100_000)
  }

  func testInputGradientMatchesFiniteDifferencesThroughXception() throws {
    let model = try KerasApplications.xception(includeTop: false, inputSize: (71, 75))
    let network = try model.network(weights: .seeded(for: model, seed: 2))
    let x = model.seededInput()
    // Entry flow to the third residual add: strided valid conv, batch norms, separable
    // convolutions, "same" pools and 1x1 shortcuts.
    let output = "add_2"
    var random = SplitMix64(seed: 11)
    let shape = try XCTUnwrap(model.networkShape(of: output))
    let r = random.tensor(shape)  // the scalar is sum(r * block14_sepconv2_act)
    let direction = random.tensor(x.shape)

    func scalar(_ input: Tensor) throws -> Double {
      let y = try XCTUnwrap(try network.forward([model.inputName: .float(input)], keeping: [output]).tensor(output))
      return zip(y.storage, r.storage).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    let run = try network.forward([model.inputName: .float(x)], gradientsFor: [model.inputName])
    let g = try XCTUnwrap(try network.backward(run, seeds: [output: r])[model.inputName])
    let analytic = zip(g.storage, direction.storage).reduce(0) { $0 + Double($1.0) * Double($1.1) }

    // NB: the seeded model is far from linear at this scale (steps of 1e-2 cross ReLU kinks:
    // 17% off) and float32 rounding limits small steps; 1e-4 lands within ~0.5%.
    let eps: Float = 1e-4
    func shifted(_ sign: Float) -> Tensor {
      Tensor(shape: x.shape, storage: zip(x.storage, direction.storage).map { $0 + sign * eps * $1 })
    }
    let numeric = (try scalar(shifted(1)) - scalar(shifted(-1))) / (2 * Double(eps))
    XCTAssertEqual(analytic, numeric, accuracy: 0.02 * abs(numeric), "analytic \(analytic)")
  }
}
