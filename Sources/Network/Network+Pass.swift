// One forward pass in progress: live values and their layouts, what is kept, the tape.
import Engine

/// The mutable state of one forward pass, advanced node by node by ``step(_:plan:)``.
struct PassState {
  let network: Network
  /// Values computed and not yet freed (feeds included).
  var live: [String: Value]
  /// Names of live values currently held channels-last (physical shape `[N, H, W, C]`).
  var channelsLast: Set<String> = []
  let keep: Set<String>
  let gradientsFor: Set<String>
  var kept: [String: Value] = [:]
  var tape: [TapeEntry] = []
  var targetShapes: [String: [Int]] = [:]

  init(network: Network, live: [String: Value], keep: Set<String>, gradientsFor: Set<String>) {
    self.network = network
    self.live = live
    self.keep = keep
    self.gradientsFor = gradientsFor
  }

  /// Runs node `index` (and the activation after it when the plan fuses them); returns the
  /// index of the next node to run.
  mutating func step(_ index: Int, plan: ExecutionPlan) throws -> Int {
    let node = network.nodes[index]
    let active = plan.active[index]
    if let op = node.op as? ChannelsLastOperator,
      plan.fusesNext[index] || plan.channelsLast[index]
        || (!active && channelsLast.contains(node.inputs[0]))
    {
      let args = arguments(node, leavingChannelsLast: active ? [] : [0])
      if op.supportsChannelsLast(args) {
        return try runChannelsLast(index, op, args, plan: plan)
      }
    }
    var args = arguments(node, leavingChannelsLast: active || !(node.op is ElementwiseOperator) ? [] : nil)
    var layout = ImageLayout.nchw
    if node.inputs.contains(where: channelsLast.contains) {
      if elementwiseCompatible(node, args) {
        layout = .nhwc
      } else {
        args = arguments(node, leavingChannelsLast: [])
      }
    }
    let results = try network.run(node) { try node.op.forward(args) }
    if active { tape.append(TapeEntry(node: index, inputs: args, outputs: results)) }
    for (name, value) in zip(node.outputs, results) { store(name, value, layout: layout) }
    free(after: index)
    return index + 1
  }

  /// A channels-last capable op (a convolution), fused with the next node when planned.
  private mutating func runChannelsLast(
    _ index: Int, _ op: any ChannelsLastOperator, _ args: [Value?], plan: ExecutionPlan
  ) throws -> Int {
    let node = network.nodes[index]
    let layout: ImageLayout = channelsLast.contains(node.inputs[0]) ? .nhwc : .nchw
    let outputLayout: ImageLayout = plan.channelsLast[index] ? .nhwc : .nchw
    var activation = ConvolutionActivation.none
    var activationArgs: [Value?] = []
    let next = index + 1
    if plan.fusesNext[index], let fusable = network.nodes[next].op as? FusableActivation {
      // Input 0 (this node's output) is not computed yet: the activation reads only its bounds.
      activationArgs = arguments(network.nodes[next], leavingChannelsLast: [])
      activationArgs[0] = nil
      activation = fusable.fusedActivation(activationArgs) ?? .none
    }
    let results = try network.run(node) {
      try op.forward(args, layout: layout, outputLayout: outputLayout, activation: activation)
    }
    if plan.active[index] { tape.append(TapeEntry(node: index, inputs: args, outputs: results)) }
    guard activation != .none else {
      for (name, value) in zip(node.outputs, results) { store(name, value, layout: outputLayout) }
      free(after: index)
      return next
    }
    // The pre-activation tensor never exists: the activation's backward reads its output in
    // place of its input (the FusableActivation contract), and the convolution's backward
    // only needs the shape of its output, which is the same.
    activationArgs[0] = results[0]
    if plan.active[next] {
      tape.append(TapeEntry(node: next, inputs: activationArgs, outputs: results))
    }
    store(network.nodes[next].outputs[0], results[0], layout: outputLayout)
    free(after: index)
    free(after: next)
    return next + 1
  }

  /// The node's arguments; channels-last values are converted to NCHW except at the
  /// positions in `leavingChannelsLast` (nil: leave all).
  private mutating func arguments(_ node: Node, leavingChannelsLast: Set<Int>?) -> [Value?] {
    node.inputs.enumerated().map { position, name in
      if name.isEmpty { return nil }
      if channelsLast.contains(name), leavingChannelsLast?.contains(position) == false {
        channelsFirst(name)
      }
      return live[name] ?? network.constants[name]
    }
  }

  /// Whether an element-wise op can run on `args` as they are: every channels-last image of
  /// one shape, and any other input a single element that broadcasts the same in any layout.
  private func elementwiseCompatible(_ node: Node, _ args: [Value?]) -> Bool {
    var imageShape: [Int]?
    for (name, arg) in zip(node.inputs, args) {
      guard let value = arg else { continue }
      if channelsLast.contains(name) && value.shape.reduce(1, *) > 1 {
        if imageShape == nil { imageShape = value.shape }
        if value.shape != imageShape { return false }
      } else if value.shape.reduce(1, *) != 1 || value.shape.count > 4 {
        return false
      }
    }
    return imageShape != nil
  }

  /// Converts the live value `name` to NCHW in place.
  private mutating func channelsFirst(_ name: String) {
    guard channelsLast.remove(name) != nil, case .float(let t)? = live[name] else { return }
    live[name] = .float(toChannelsFirst(t))
  }

  /// Records a node's output; values anyone outside the pass sees are stored NCHW.
  mutating func store(_ name: String, _ value: Value, layout: ImageLayout) {
    guard !name.isEmpty else { return }
    var value = value
    if layout == .nhwc, keep.contains(name) || gradientsFor.contains(name),
      case .float(let t) = value
    {
      value = .float(toChannelsFirst(t))
    }
    live[name] = value
    if layout == .nhwc && value.shape.count == 4 && !keep.contains(name) && !gradientsFor.contains(name) {
      channelsLast.insert(name)
    } else {
      channelsLast.remove(name)
    }
    if keep.contains(name) { kept[name] = value }
    if gradientsFor.contains(name) { targetShapes[name] = value.shape }
  }

  /// Frees what no node after `index` reads (the tape holds its own references where needed).
  private mutating func free(after index: Int) {
    for name in network.nodes[index].inputs where network.readers[name]?.last == index {
      live[name] = nil
      channelsLast.remove(name)
    }
  }
}
