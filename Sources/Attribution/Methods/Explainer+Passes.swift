// Forward and backward passes with cost accounting, and the batched loops that perturbation
// and sampling methods share: build rows, run a batch, hand each row's result back.
import Engine
import Network

extension DifferentiableModel {
  /// Forward pass, counted; keeps the logits and `keeping`.
  func run(
    _ batch: Tensor, keeping: Set<String> = [], gradientsFor: Set<String> = [], meter: CostMeter,
    control: RunControl
  ) throws -> (Evaluation, Tensor) {
    let evaluation = try network.forward(
      [inputName: .float(batch)], keeping: keeping.union([logitsName]), gradientsFor: gradientsFor,
      cancellation: control.cancellation)
    meter.forwardPasses += 1
    meter.imagesEvaluated += batch.shape[0]
    guard let logits = evaluation.tensor(logitsName), logits.rank == 2,
      logits.shape[0] == batch.shape[0]
    else {
      throw AttributionError.badLayer(logitsName, "the scores must be [N, classes]")
    }
    return (evaluation, logits)
  }

  /// Backward pass from `target` applied to every row of `logits`, counted.
  func gradients(
    _ evaluation: Evaluation, logits: Tensor, target: Target, meter: CostMeter, control: RunControl
  ) throws -> [String: Tensor] {
    let classes = logits.shape[1]
    var seed = Tensor(zeros: logits.shape)
    for n in 0..<logits.shape[0] {
      let row = target.seed(logits: logits.storage[(n * classes)..<((n + 1) * classes)])
      seed.storage.replaceSubrange((n * classes)..<((n + 1) * classes), with: row)
    }
    let result = try network.backward(
      evaluation, seeds: [logitsName: seed], cancellation: control.cancellation)
    meter.backwardPasses += 1
    return result
  }

  /// The value `name` of an evaluation as a 4-D `[N, K, h, w]` tensor.
  func layerTensor(_ evaluation: Evaluation, _ name: String) throws -> Tensor {
    guard let value = evaluation.tensor(name) else {
      throw AttributionError.badLayer(name, "not a float value of the network")
    }
    guard value.rank == 4 else {
      throw AttributionError.badLayer(name, "must be 4-D [N, K, h, w], has shape \(value.shape)")
    }
    return value
  }
}

/// One row of a 2-D tensor.
func row(_ tensor: Tensor, _ n: Int) -> ArraySlice<Float> {
  let width = tensor.shape[1]
  return tensor.storage[(n * width)..<((n + 1) * width)]
}

extension Explainer {
  /// Evaluates `count` variants of an item of shape `itemShape` in forward-only batches.
  ///
  /// `build(i, row)` writes variant `i` into a zeroed row; `consume(i, logits)` receives its
  /// logits. Progress is reported and cancellation checked after every batch.
  func forEachScore(
    count: Int, itemShape: [Int], meter: CostMeter, control: RunControl,
    build: (Int, UnsafeMutablePointer<Float>) throws -> Void,
    consume: (Int, ArraySlice<Float>) throws -> Void
  ) throws {
    let elements = itemShape.reduce(1, *)
    let size = batching.size(itemElements: elements, backward: false)
    var start = 0
    while start < count {
      try control.check()
      let rows = min(size, count - start)
      let batch = try makeBatch(rows: rows, itemShape: itemShape, first: start, build: build)
      let (_, logits) = try model.run(batch, meter: meter, control: control)
      for r in 0..<rows { try consume(start + r, row(logits, r)) }
      start += rows
      control.progress?(start, count)
    }
  }

  /// Evaluates `count` points in forward-and-backward batches of `model` (whose input may be
  /// a layer, for layer-space methods), one backward pass per target.
  ///
  /// `consume(i, t, gradient, logits)` receives d target_t / d point_i (`elements` floats)
  /// and the point's logits.
  func forEachGradient(
    of model: DifferentiableModel, count: Int, itemShape: [Int], targets: [Target],
    meter: CostMeter,
    control: RunControl,
    build: (Int, UnsafeMutablePointer<Float>) throws -> Void,
    consume: (Int, Int, UnsafePointer<Float>, ArraySlice<Float>) throws -> Void
  ) throws {
    let elements = itemShape.reduce(1, *)
    let size = batching.size(itemElements: elements, backward: true)
    var start = 0
    while start < count {
      try control.check()
      let rows = min(size, count - start)
      let batch = try makeBatch(rows: rows, itemShape: itemShape, first: start, build: build)
      let (evaluation, logits) = try model.run(
        batch, gradientsFor: [model.inputName], meter: meter, control: control)
      for (t, target) in targets.enumerated() {
        let gradient = try model.gradients(
          evaluation, logits: logits, target: target, meter: meter, control: control)
        guard let g = gradient[model.inputName] else {
          throw NetworkError.unknownValue(model.inputName)
        }
        try g.storage.withUnsafeBufferPointer { buffer in
          for r in 0..<rows {
            try consume(start + r, t, buffer.baseAddress! + r * elements, row(logits, r))
          }
        }
      }
      start += rows
      control.progress?(start, count)
    }
  }

  private func makeBatch(
    rows: Int, itemShape: [Int], first: Int,
    build: (Int, UnsafeMutablePointer<Float>) throws -> Void
  ) throws -> Tensor {
    let elements = itemShape.reduce(1, *)
    var batch = Tensor(zeros: [rows] + itemShape)
    try batch.storage.withUnsafeMutableBufferPointer { buffer in
      for r in 0..<rows { try build(first + r, buffer.baseAddress! + r * elements) }
    }
    return batch
  }

  /// One forward pass of the image, its logits row and the resolved targets.
  func firstPass(
    _ input: Tensor, _ selection: TargetSelection, keeping: Set<String> = [],
    gradientsFor: Set<String> = [],
    meter: CostMeter, control: RunControl
  ) throws -> (evaluation: Evaluation, logits: ArraySlice<Float>, targets: [Target]) {
    _ = try imageShape(input)
    let (evaluation, logits) = try model.run(
      input, keeping: keeping, gradientsFor: gradientsFor, meter: meter, control: control)
    let first = row(logits, 0)
    return (evaluation, first, try selection.resolve(logits: first))
  }
}
