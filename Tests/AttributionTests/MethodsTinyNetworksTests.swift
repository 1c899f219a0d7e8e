// Tiny operators and networks for the explanation-method tests, independent of the engine's
// real ops, and a test that their backward passes agree with finite differences.
import Attribution
import Engine
import Network
import TestSupport
import XCTest

/// 3x3 convolution, stride 1, zero padding 1; weights `[K, C, 3, 3]` and bias are attributes.
struct TinyConv: Operator {
  var weights: Tensor
  var bias: [Float]
  var opType: String { "TinyConv" }

  func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    let (n, c, h, w, k) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], weights.shape[0])
    var y = [Float](repeating: 0, count: n * k * h * w)
    // Flat pointer loops: the test target is unoptimised and RISE runs hundreds of passes.
    x.storage.withUnsafeBufferPointer { xp in
      weights.storage.withUnsafeBufferPointer { wp in
        y.withUnsafeMutableBufferPointer { yp in
          for b in 0..<n {
            for o in 0..<k {
              for i in 0..<h {
                for j in 0..<w {
                  var acc = bias[o]
                  for ci in 0..<c {
                    for di in -1...1 where i + di >= 0 && i + di < h {
                      for dj in -1...1 where j + dj >= 0 && j + dj < w {
                        acc +=
                          wp[((o * c + ci) * 3 + di + 1) * 3 + dj + 1]
                          * xp[((b * c + ci) * h + i + di) * w + j + dj]
                      }
                    }
                  }
                  yp[((b * k + o) * h + i) * w + j] = acc
                }
              }
            }
          }
        }
      }
    }
    return [.float(Tensor(shape: [n, k, h, w], storage: y))]
  }

  func backward(_ context: BackwardContext) throws -> [Tensor?] {
    guard context.wanted[0] else { return [nil] }
    let x = try context.floatInput(0, of: opType)
    let g = context.outputGradient()
    let (n, c, h, w, k) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], weights.shape[0])
    var dx = [Float](repeating: 0, count: x.count)
    g.storage.withUnsafeBufferPointer { gp in
      weights.storage.withUnsafeBufferPointer { wp in
        dx.withUnsafeMutableBufferPointer { dp in
          for b in 0..<n {
            for o in 0..<k {
              for i in 0..<h {
                for j in 0..<w {
                  let go = gp[((b * k + o) * h + i) * w + j]
                  for ci in 0..<c {
                    for di in -1...1 where i + di >= 0 && i + di < h {
                      for dj in -1...1 where j + dj >= 0 && j + dj < w {
                        dp[((b * c + ci) * h + i + di) * w + j + dj] +=
                          wp[((o * c + ci) * 3 + di + 1) * 3 + dj + 1] * go
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return [Tensor(shape: x.shape, storage: dx)]
  }
}

/// max(0, x).
struct TinyReLU: Operator {
  var opType: String { "TinyReLU" }
  func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    return [.float(Tensor(shape: x.shape, storage: x.storage.map { max(0, $0) }))]
  }
  func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let x = try context.floatInput(0, of: opType)
    let g = context.outputGradient()
    return [Tensor(shape: x.shape, storage: zip(x.storage, g.storage).map { $0 > 0 ? $1 : 0 })]
  }
}

/// 2x2 average pooling, stride 2 (even sizes).
struct TinyAveragePool: Operator {
  var opType: String { "TinyAveragePool" }
  func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2] / 2, x.shape[3] / 2)
    var y = Tensor(zeros: [n, c, h, w])
    for b in 0..<n {
      for k in 0..<c {
        for i in 0..<h {
          for j in 0..<w {
            y[b, k, i, j] =
              (x[b, k, 2 * i, 2 * j] + x[b, k, 2 * i + 1, 2 * j] + x[b, k, 2 * i, 2 * j + 1]
                + x[b, k, 2 * i + 1, 2 * j + 1]) / 4
          }
        }
      }
    }
    return [.float(y)]
  }
  func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let x = try context.floatInput(0, of: opType)
    let g = context.outputGradient()
    var dx = Tensor(zeros: x.shape)
    for b in 0..<x.shape[0] {
      for k in 0..<x.shape[1] {
        for i in 0..<x.shape[2] {
          for j in 0..<x.shape[3] {
            dx[b, k, i, j] = g[b, k, i / 2, j / 2] / 4
          }
        }
      }
    }
    return [dx]
  }
}

/// Global average pool `[N, K, h, w]` -> `[N, K]`.
struct TinyGlobalAveragePool: Operator {
  var opType: String { "TinyGlobalAveragePool" }
  func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    let plane = x.shape[2] * x.shape[3]
    let rows = x.shape[0] * x.shape[1]
    let means = (0..<rows).map { r in
      x.storage[(r * plane)..<((r + 1) * plane)].reduce(0, +) / Float(plane)
    }
    return [.float(Tensor(shape: [x.shape[0], x.shape[1]], storage: means))]
  }
  func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let x = try context.floatInput(0, of: opType)
    let g = context.outputGradient()
    let plane = x.shape[2] * x.shape[3]
    return [
      Tensor(shape: x.shape, storage: (0..<x.count).map { g.storage[$0 / plane] / Float(plane) })
    ]
  }
}

/// Dense layer over all features of each row: `y[n, o] = sum_f W[o, f] x[n, f] + b[o]`.
struct TinyDense: Operator {
  var weights: Tensor  // [outputs, features]
  var bias: [Float]
  var opType: String { "TinyDense" }
  func forward(_ inputs: [Value?]) throws -> [Value] {
    let x = try OperatorInputs.float(inputs, 0, op: opType)
    let (n, f, o) = (x.shape[0], x.count / x.shape[0], weights.shape[0])
    var y = Tensor(zeros: [n, o])
    for b in 0..<n {
      for out in 0..<o {
        var acc = bias[out]
        for i in 0..<f { acc += weights.storage[out * f + i] * x.storage[b * f + i] }
        y.storage[b * o + out] = acc
      }
    }
    return [.float(y)]
  }
  func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let x = try context.floatInput(0, of: opType)
    let g = context.outputGradient()
    let (n, f, o) = (x.shape[0], x.count / x.shape[0], weights.shape[0])
    var dx = Tensor(zeros: x.shape)
    for b in 0..<n {
      for out in 0..<o {
        for i in 0..<f {
          dx.storage[b * f + i] += weights.storage[out * f + i] * g.storage[b * o + out]
        }
      }
    }
    return [dx]
  }
}

/// `a + b`, same shapes.
struct TinyAdd: Operator {
  var opType: String { "TinyAdd" }
  func forward(_ inputs: [Value?]) throws -> [Value] {
    var a = try OperatorInputs.float(inputs, 0, op: opType)
    a.accumulate(try OperatorInputs.float(inputs, 1, op: opType))
    return [.float(a)]
  }
  func backward(_ context: BackwardContext) throws -> [Tensor?] {
    let g = context.outputGradient()
    return [context.wanted[0] ? g : nil, context.wanted[1] ? g : nil]
  }
}

/// Builders of the test networks.
enum TinyNetworks {
  /// x [N, c, h, w] -> conv -> "pre" -> relu -> "features" [N, k, h, w] -> GAP -> "pooled"
  /// -> dense -> "logits".
  static func gapClassifier(channels c: Int, features k: Int, classes: Int, seed: UInt64) throws
    -> (DifferentiableModel, Tensor)
  {
    var rng = SplitMix64(seed: seed)
    let conv = TinyConv(
      weights: rng.tensor([k, c, 3, 3], in: -0.5...0.5), bias: rng.tensor([k], in: 0...0.2).storage)
    let head = rng.tensor([classes, k], in: -1...1)
    let network = try Network(
      name: "gap", inputs: [TensorSpec(name: "x", shape: [nil, c, nil, nil])],
      outputs: [TensorSpec(name: "logits", shape: nil)],
      nodes: [
        Node(name: "conv", op: conv, inputs: ["x"], outputs: ["pre"]),
        Node(name: "relu", op: TinyReLU(), inputs: ["pre"], outputs: ["features"]),
        Node(name: "gap", op: TinyGlobalAveragePool(), inputs: ["features"], outputs: ["pooled"]),
        Node(
          name: "fc", op: TinyDense(weights: head, bias: rng.tensor([classes]).storage),
          inputs: ["pooled"], outputs: ["logits"]),
      ], constants: [:])
    return (DifferentiableModel(network: network, inputName: "x", logitsName: "logits"), head)
  }

  /// The input rectangle class 0 depends on: rows 6..<14, columns 22..<34 of a 24 x 40 image.
  static let rectangle = (rows: 6..<14, columns: 22..<34)

  /// A non-square model whose class 0 reads channel 0 only inside `rectangle` (and subtracts a
  /// little of channel 1 everywhere); class 1 is the mean of channel 1.
  ///
  /// x [N, 2, 24, 40] -> 3x3 mean per channel - 0.05 -> relu -> "act" -> 2x2 mean -> "features"
  /// [N, 2, 12, 20] -> dense -> "logits" [N, 2].
  static func rectangleModel() throws -> DifferentiableModel {
    var weights = Tensor(zeros: [2, 2, 3, 3])
    for k in 0..<2 { for i in 0..<3 { for j in 0..<3 { weights[k, k, i, j] = 1.0 / 9 } } }
    var head = Tensor(zeros: [2, 2, 12, 20])
    for i in 0..<12 {
      for j in 0..<20 {
        if (3..<7).contains(i) && (11..<17).contains(j) { head[0, 0, i, j] = 1 }
        head[0, 1, i, j] = -0.25 / 240
        head[1, 1, i, j] = 1.0 / 240
      }
    }
    let network = try Network(
      name: "rectangle", inputs: [TensorSpec(name: "x", shape: [nil, 2, 24, 40])],
      outputs: [TensorSpec(name: "logits", shape: nil)],
      nodes: [
        Node(
          name: "conv", op: TinyConv(weights: weights, bias: [-0.05, -0.05]), inputs: ["x"],
          outputs: ["pre"]),
        Node(name: "relu", op: TinyReLU(), inputs: ["pre"], outputs: ["act"]),
        Node(name: "pool", op: TinyAveragePool(), inputs: ["act"], outputs: ["features"]),
        Node(
          name: "fc", op: TinyDense(weights: head.reshaped([2, 480]), bias: [0, 0]),
          inputs: ["features"], outputs: ["logits"]),
      ], constants: [:])
    return DifferentiableModel(network: network, inputName: "x", logitsName: "logits")
  }

  /// An input for `rectangleModel`: a bump in channel 0 inside the rectangle, a brighter bump
  /// in channel 1 outside it, and weak texture everywhere.
  static func rectangleInput(seed: UInt64 = 3) -> Tensor {
    var rng = SplitMix64(seed: seed)
    var x = rng.tensor([1, 2, 24, 40], in: 0...0.05)
    for i in 0..<24 {
      for j in 0..<40 {
        let inside = Double((i - 9) * (i - 9) + (j - 27) * (j - 27))
        let outside = Double((i - 16) * (i - 16) + (j - 8) * (j - 8))
        x[0, 0, i, j] += Float(exp(-inside / 8))
        x[0, 1, i, j] += Float(1.5 * exp(-outside / 8))
      }
    }
    return x
  }

  /// x -> conv -> "a" -> relu -> "b" -> a + b -> "c" -> GAP -> dense: "b" does not cut the graph.
  static func residualModel(seed: UInt64) throws -> DifferentiableModel {
    var rng = SplitMix64(seed: seed)
    let network = try Network(
      name: "residual", inputs: [TensorSpec(name: "x", shape: [nil, 1, nil, nil])],
      outputs: [TensorSpec(name: "logits", shape: nil)],
      nodes: [
        Node(
          name: "conv", op: TinyConv(weights: rng.tensor([2, 1, 3, 3]), bias: [0, 0]),
          inputs: ["x"], outputs: ["a"]),
        Node(name: "relu", op: TinyReLU(), inputs: ["a"], outputs: ["b"]),
        Node(name: "add", op: TinyAdd(), inputs: ["a", "b"], outputs: ["c"]),
        Node(name: "gap", op: TinyGlobalAveragePool(), inputs: ["c"], outputs: ["pooled"]),
        Node(
          name: "fc", op: TinyDense(weights: rng.tensor([3, 2]), bias: [0, 0, 0]),
          inputs: ["pooled"], outputs: ["logits"]),
      ], constants: [:])
    return DifferentiableModel(network: network, inputName: "x", logitsName: "logits")
  }

  /// Whether input pixel (row, column) lies in `rectangle`.
  static func insideRectangle(_ row: Int, _ column: Int) -> Bool {
    rectangle.rows.contains(row) && rectangle.columns.contains(column)
  }
}

final class MethodsTinyNetworksTests: XCTestCase {
  func testTestOperatorsBackwardMatchesFiniteDifferences() throws {
    var rng = SplitMix64(seed: 11)
    let x = rng.tensor([2, 2, 4, 6], in: -1...1)
    let ops: [any Operator] = [
      TinyConv(weights: rng.tensor([3, 2, 3, 3]), bias: [0.1, -0.2, 0.3]), TinyAveragePool(),
      TinyGlobalAveragePool(),
      TinyDense(weights: rng.tensor([3, 48]), bias: [0, 1, 2]),
    ]
    for op in ops {
      let result = try checkGradient(of: op, inputs: [.float(x)], step: 1e-2)
      XCTAssertLessThan(result.worstError, 1e-3, "\(op.opType): \(result)")
    }
    let away = Tensor(shape: [1, 1, 1, 4], storage: [-1, -0.5, 0.5, 1])
    XCTAssertLessThan(try checkGradient(of: TinyReLU(), inputs: [.float(away)]).worstError, 1e-3)
    XCTAssertLessThan(
      try checkGradient(of: TinyAdd(), inputs: [.float(x), .float(x)]).worstError, 1e-3)
  }

  func testRectangleModelReadsTheRectangleOnly() throws {
    let model = try TinyNetworks.rectangleModel()
    var x = TinyNetworks.rectangleInput()
    let before = try model.logits(x).storage[0]
    x[0, 0, 20, 5] += 5  // channel 0 outside the rectangle: class 0 ignores it
    XCTAssertEqual(try model.logits(x).storage[0], before, accuracy: 1e-6)
    x[0, 0, 9, 27] += 5
    XCTAssertGreaterThan(try model.logits(x).storage[0], before + 0.1)
  }
}
