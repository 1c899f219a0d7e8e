// Running a network forward, and back-propagating through what the forward pass recorded.
public import Engine

/// What a forward pass leaves behind: the values asked for, and a tape for ``Network/backward(_:seeds:cancellation:)``.
public struct Evaluation: Sendable {
  /// Graph outputs and every value named in `keeping`.
  public var values: [String: Value]
  /// The value names gradients were requested for.
  public let gradientTargets: Set<String>
  /// Nodes downstream of a gradient target, in graph order, with their inputs and outputs.
  let tape: [TapeEntry]
  /// Values downstream of (or equal to) a gradient target: the only ones gradients flow through.
  let activeValues: Set<String>
  /// Shape of each gradient target, for the zero gradient of a target the seeds ignore.
  let targetShapes: [String: [Int]]

  /// The float value `name`, when it was kept.
  public func tensor(_ name: String) -> Tensor? { values[name]?.floatTensor }
}

struct TapeEntry: Sendable {
  let node: Int
  let inputs: [Value?]
  let outputs: [Value]
}

extension Network {
  /// Runs the graph.
  ///
  /// Values are freed after their last reader unless kept, so peak memory stays near the
  /// largest few activations; nodes downstream of `gradientsFor` keep their inputs and outputs
  /// for the backward pass. A convolution applies the Relu or Clip that alone reads its output,
  /// and activations stay channels-last between convolutions and element-wise ops, wherever
  /// no kept value, gradient target or tape entry can tell (see ``ExecutionOptions``).
  /// - Parameters:
  ///   - feeds: a value for every graph input, by name.
  ///   - keeping: intermediate value names to return besides the graph outputs.
  ///   - gradientsFor: value names (graph inputs or intermediates) whose gradients a later
  ///     ``backward(_:seeds:cancellation:)`` will want.
  ///   - cancellation: polled between nodes.
  ///   - options: the optimisations allowed (all by default).
  /// - Throws: ``NetworkError`` for bad feeds or names, a failing node, or cancellation.
  public func forward(
    _ feeds: [String: Value], keeping: Set<String> = [], gradientsFor: Set<String> = [],
    cancellation: Cancellation? = nil, options: ExecutionOptions = .standard
  ) throws -> Evaluation {
    try checkFeeds(feeds)
    for name in keeping.union(gradientsFor) where !isValueName(name) {
      throw NetworkError.unknownValue(name)
    }
    let keep = keeping.union(outputs.map(\.name))
    let plan = plan(keep: keep, gradientsFor: gradientsFor, options: options)
    var run = PassState(network: self, live: feeds, keep: keep, gradientsFor: gradientsFor)
    for (name, value) in feeds { run.store(name, value, layout: .nchw) }

    var index = 0
    while index < nodes.count {
      try cancellation?.check()
      index = try run.step(index, plan: plan)
    }
    return Evaluation(
      values: run.kept, gradientTargets: gradientsFor, tape: run.tape,
      activeValues: plan.activeValues, targetShapes: run.targetShapes)
  }

  /// Back-propagates seed gradients from outputs to the evaluation's gradient targets.
  ///
  /// - Parameters:
  ///   - seeds: for some values (usually the logits), the gradient of the scalar being
  ///     explained with respect to them, e.g. a one-hot row per batch item.
  /// - Returns: the gradient for each of the evaluation's `gradientTargets` (zeros where the
  ///   seeds do not depend on it).
  public func backward(
    _ evaluation: Evaluation, seeds: [String: Tensor], cancellation: Cancellation? = nil
  ) throws -> [String: Tensor] {
    var gradients: [String: Tensor] = [:]
    for (name, seed) in seeds {
      guard isValueName(name) else { throw NetworkError.unknownValue(name) }
      gradients[name] = seed
    }
    for entry in evaluation.tape.reversed() {
      try cancellation?.check()
      let node = nodes[entry.node]
      let outputGradients = node.outputs.map { gradients[$0] }
      if outputGradients.allSatisfy({ $0 == nil }) { continue }
      let wanted = node.inputs.map { evaluation.activeValues.contains($0) }
      let context = BackwardContext(
        inputs: entry.inputs, outputs: entry.outputs, outputGradients: outputGradients,
        wanted: wanted)
      let inputGradients = try runBackward(node, context)
      for (i, name) in node.inputs.enumerated() where wanted[i] && i < inputGradients.count {
        guard let gradient = inputGradients[i] else { continue }
        if gradients[name] == nil { gradients[name] = gradient } else { gradients[name]!.accumulate(gradient) }
      }
      for name in node.outputs where !evaluation.gradientTargets.contains(name) {
        gradients[name] = nil  // complete and consumed: every reader ran before its producer
      }
    }
    var result: [String: Tensor] = [:]
    for target in evaluation.gradientTargets {
      result[target] = gradients[target] ?? Tensor(zeros: evaluation.targetShapes[target] ?? [])
    }
    return result
  }

  // MARK: - Helpers

  /// Runs `body` (one node's forward) with the executor's error and output-count checks.
  func run(_ node: Node, _ body: () throws -> [Value]) throws -> [Value] {
    do {
      let results = try NetworkProfiler.measure(node, pass: "forward", body)
      guard results.count >= node.outputs.filter({ !$0.isEmpty }).count else {
        throw OperatorError.invalidInput(
          op: node.op.opType, message: "produced \(results.count) outputs, graph expects \(node.outputs.count)")
      }
      return results
    } catch let error as NetworkError {
      throw error
    } catch {
      throw NetworkError.nodeFailed(node: node.name, opType: node.op.opType, message: "\(error)")
    }
  }

  private func runBackward(_ node: Node, _ context: BackwardContext) throws -> [Tensor?] {
    do {
      return try NetworkProfiler.measure(node, pass: "backward") { try node.op.backward(context) }
    } catch {
      throw NetworkError.nodeFailed(node: node.name, opType: node.op.opType, message: "\(error)")
    }
  }

  /// Whether `name` is a graph input, a constant or a node's output.
  public func isValueName(_ name: String) -> Bool {
    producer[name] != nil || constants[name] != nil || inputs.contains { $0.name == name }
  }

  private func checkFeeds(_ feeds: [String: Value]) throws {
    for spec in inputs {
      guard let value = feeds[spec.name] else {
        throw NetworkError.badFeed("missing input '\(spec.name)'")
      }
      guard value.typeName == spec.elementType.rawValue else {
        throw NetworkError.badFeed(
          "input '\(spec.name)' must be \(spec.elementType.rawValue), got \(value.typeName)")
      }
      if let expected = spec.shape {
        let fits = expected.count == value.shape.count
          && zip(expected, value.shape).allSatisfy { $0 == nil || $0 == $1 }
        guard fits else {
          let want = expected.map { $0.map(String.init) ?? "N" }.joined(separator: "x")
          let got = value.shape.map(String.init).joined(separator: "x")
          throw NetworkError.badFeed("input '\(spec.name)' must be \(want), got \(got)")
        }
      }
    }
    for name in feeds.keys where !inputs.contains(where: { $0.name == name }) {
      throw NetworkError.badFeed("'\(name)' is not an input of the network")
    }
  }

}
