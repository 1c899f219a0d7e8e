// How one forward pass runs the graph: what the tape records, which convolutions absorb the
// activation after them, and which hand channels-last tensors to their readers.
import Engine
import Foundation

/// Optimisations the executor may apply; the results are the same either way (up to float
/// rounding inside oneDNN's kernels), only the speed differs.
public struct ExecutionOptions: Sendable, Equatable {
  /// Let a convolution apply the Relu or Clip that alone reads its output.
  public var fusesActivations: Bool
  /// Keep activations channels-last (NHWC) between convolutions and element-wise ops.
  public var keepsChannelsLast: Bool

  public init(fusesActivations: Bool = true, keepsChannelsLast: Bool = true) {
    self.fusesActivations = fusesActivations
    self.keepsChannelsLast = keepsChannelsLast
  }

  /// Everything on, unless the environment variable `GLIMPSE_UNOPTIMISED` turns some off (for
  /// measuring what each gains): `fusion`, `channels-last`, or anything else for both.
  public static let standard: ExecutionOptions = {
    guard let off = ProcessInfo.processInfo.environment["GLIMPSE_UNOPTIMISED"] else {
      return ExecutionOptions()
    }
    return ExecutionOptions(
      fusesActivations: off == "channels-last", keepsChannelsLast: off == "fusion")
  }()
}

/// The per-pass decisions, one entry per node.
struct ExecutionPlan {
  /// The node reads a value downstream of a gradient target: it goes on the tape, in NCHW.
  var active: [Bool]
  /// Values downstream of (or equal to) a gradient target.
  var activeValues: Set<String>
  /// The node (a convolution) applies the activation node right after it.
  var fusesNext: [Bool]
  /// The node (a convolution) writes its output, or its fused activation's, channels-last.
  var channelsLast: [Bool]
}

extension Network {
  /// Decides fusion and layouts for a pass that keeps `keep` and differentiates `gradientsFor`.
  ///
  /// NB: only a value no one sees may change form: a fused-away pre-activation must be read by
  /// its activation alone and be neither kept nor a gradient target; a channels-last value
  /// must only be read by ops that take it (convolutions as their image, element-wise ops) and
  /// never recorded on the tape. The executor converts back to NCHW wherever a value still
  /// meets a reader that needs it, so these are speed decisions, not correctness ones.
  func plan(keep: Set<String>, gradientsFor: Set<String>, options: ExecutionOptions) -> ExecutionPlan {
    let count = nodes.count
    var plan = ExecutionPlan(
      active: Array(repeating: false, count: count), activeValues: gradientsFor,
      fusesNext: Array(repeating: false, count: count),
      channelsLast: Array(repeating: false, count: count))
    for (index, node) in nodes.enumerated() where node.inputs.contains(where: plan.activeValues.contains) {
      plan.active[index] = true
      plan.activeValues.formUnion(node.outputs.filter { !$0.isEmpty })
    }
    let visible = keep.union(gradientsFor)
    for (index, node) in nodes.enumerated() {
      guard let op = node.op as? ChannelsLastOperator else { continue }
      if options.fusesActivations && op.appliesActivations
        && fusible(index, visible: visible, active: plan.activeValues)
      {
        plan.fusesNext[index] = true
      }
      let last = plan.fusesNext[index] ? index + 1 : index
      if options.keepsChannelsLast && !plan.active[index],
        let output = nodes[last].outputs.first, !output.isEmpty, !visible.contains(output)
      {
        plan.channelsLast[index] = takesChannelsLast(output, active: plan.active)
      }
    }
    return plan
  }

  /// Whether node `index`'s only output is read by the next node alone, as the input of an
  /// activation it can apply itself, and nobody needs to see it.
  private func fusible(_ index: Int, visible: Set<String>, active: Set<String>) -> Bool {
    guard index + 1 < nodes.count, nodes[index + 1].op is FusableActivation else { return false }
    let outputs = nodes[index].outputs.filter { !$0.isEmpty }
    guard outputs.count == 1, let output = outputs.first, !visible.contains(output),
      readers[output] == [index + 1], nodes[index + 1].inputs.first == output
    else { return false }
    // The activation's other inputs (bounds) must not need gradients: they stay out of the tape.
    return !nodes[index + 1].inputs.dropFirst().contains(where: active.contains)
  }

  /// Whether every reader of `name` can take it channels-last.
  private func takesChannelsLast(_ name: String, active: [Bool]) -> Bool {
    guard let readers = readers[name], !readers.isEmpty else { return false }
    return readers.allSatisfy { reader in
      let node = nodes[reader]
      if active[reader] { return false }
      if node.op is ElementwiseOperator { return true }
      return node.op is ChannelsLastOperator && node.inputs.first == name
        && node.inputs.dropFirst().allSatisfy { $0 != name }
    }
  }
}
