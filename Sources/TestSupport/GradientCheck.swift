// Central finite differences against an operator's analytic backward pass.
import Engine
public import Network

/// The outcome of comparing an operator's backward pass with finite differences.
public struct GradientCheckResult: CustomStringConvertible, Sendable {
  /// Worst `|analytic - numeric| / max(1, |numeric|)` over every checked element.
  public var worstError: Double
  /// Where the worst error occurred: input index and flat element index.
  public var worstAt: (input: Int, element: Int)
  public var analytic: Double
  public var numeric: Double
  /// Number of elements compared.
  public var checked: Int

  public var description: String {
    "worst error \(worstError) at input \(worstAt.input) element \(worstAt.element): analytic \(analytic) vs numeric \(numeric) (\(checked) elements)"
  }
}

/// Checks `op.backward` against central finite differences of a random projection of its output.
///
/// The scalar is `L = sum_k w_k * y_k` over every float output with fixed random weights `w`
/// (accumulated in Double), so every output element contributes. Each element of each
/// checked input is perturbed by `±step`; inputs should keep away from kinks (ReLU at 0,
/// max-pool ties) by more than `step`.
/// - Parameters:
///   - op: the operator under test.
///   - inputs: its inputs; float ones at `checkInputs` are perturbed.
///   - checkInputs: indices of the float inputs whose gradient is checked (default: all float).
///   - step: the finite-difference step.
///   - maxElements: at most this many elements per input are checked (spread evenly).
public func checkGradient(
  of op: any Operator, inputs: [Value?], checkInputs: [Int]? = nil, step: Float = 1e-2,
  maxElements: Int = 400, seed: UInt64 = 7
) throws -> GradientCheckResult {
  let outputs = try op.forward(inputs)
  var rng = SplitMix64(seed: seed)
  let weights: [Tensor?] = outputs.map { value in
    guard case .float(let t) = value else { return nil }
    return Tensor(shape: t.shape, storage: (0..<t.count).map { _ in Float(rng.nextUniform(in: -1...1)) })
  }
  func loss(_ args: [Value?]) throws -> Double {
    let results = try op.forward(args)
    var total = 0.0
    for (value, weight) in zip(results, weights) {
      guard case .float(let t) = value, let weight else { continue }
      for i in 0..<t.count { total += Double(t.storage[i]) * Double(weight.storage[i]) }
    }
    return total
  }
  let indices = checkInputs ?? inputs.indices.filter { inputs[$0]?.floatTensor != nil }
  let wanted = inputs.indices.map { indices.contains($0) }
  let context = BackwardContext(
    inputs: inputs, outputs: outputs, outputGradients: weights, wanted: wanted)
  let analytic = try op.backward(context)

  var result = GradientCheckResult(
    worstError: 0, worstAt: (0, 0), analytic: 0, numeric: 0, checked: 0)
  for index in indices {
    guard let base = inputs[index]?.floatTensor else { continue }
    guard index < analytic.count, let gradient = analytic[index] else {
      throw OperatorError.notDifferentiable("input \(index) of \(op.opType): backward returned nil")
    }
    precondition(gradient.shape == base.shape, "gradient shape \(gradient.shape) != input shape \(base.shape)")
    let stride = max(1, base.count / maxElements)
    for element in Swift.stride(from: 0, to: base.count, by: stride) {
      var args = inputs
      var plus = base
      plus.storage[element] += step
      args[index] = .float(plus)
      let up = try loss(args)
      var minus = base
      minus.storage[element] -= step
      args[index] = .float(minus)
      let down = try loss(args)
      // The step actually taken in float32 may differ slightly from `step`.
      let taken = Double(plus.storage[element]) - Double(minus.storage[element])
      let numeric = (up - down) / taken
      let value = Double(gradient.storage[element])
      let error = abs(value - numeric) / max(1, abs(numeric))
      result.checked += 1
      if error > result.worstError {
        result.worstError = error
        result.worstAt = (index, element)
        result.analytic = value
        result.numeric = numeric
      }
    }
  }
  return result
}
