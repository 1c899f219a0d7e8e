// Channels-last image inputs (TensorFlow and tf2onnx exports) behind a channels-first input.
public import Network

/// Gives a network that takes `[N, H, W, C]` images the `[N, C, H, W]` input the rest of
/// Glimpse (classifier, preprocessing, attribution) feeds.
public enum NHWCInput {
  /// Channel counts an image input can have (grey, RGB).
  static let channelCounts: Set<Int> = [1, 3]

  /// `network` with its `[N, H, W, C]` input replaced by an `[N, C, H, W]` input of the same
  /// name that feeds a Transpose into the original graph (gradients flow back through it);
  /// a network whose input is already `[N, C, H, W]` is returned as is.
  ///
  /// The layout is read from the declared input shape: channels (1 or 3) on axis 3 alone
  /// mean channels-last, on axis 1 alone channels-first.
  /// - Throws: ``InputLayoutError`` when the network does not have exactly one float image
  ///   input whose layout its shape tells.
  public static func channelsFirst(_ network: Network) throws -> Network {
    guard network.inputs.count == 1, let input = network.inputs.first else {
      throw InputLayoutError.inputCount(network.inputs.map(\.name))
    }
    guard input.elementType == .float else { throw InputLayoutError.notFloat(input.name) }
    guard let shape = input.shape, shape.count == 4 else {
      throw InputLayoutError.notImage(input.name, input.shape)
    }
    let first = shape[1].map(channelCounts.contains) ?? false
    let last = shape[3].map(channelCounts.contains) ?? false
    switch (first, last) {
    case (true, false): return network
    case (false, true): break
    case (true, true): throw InputLayoutError.ambiguous(input.name, shape)
    case (false, false): throw InputLayoutError.notImage(input.name, shape)
    }

    // Every existing reader of the input now reads the transposed value instead.
    var taken = Set(network.nodes.flatMap { $0.outputs + [$0.name] })
    taken.formUnion(network.constants.keys)
    taken.insert(input.name)
    let channelsLast = unique("\(input.name)/nhwc", taken: &taken)
    let transpose = Node(
      name: unique("\(input.name)/to_nhwc", taken: &taken),
      op: TransposeOperator(perm: [0, 2, 3, 1]), inputs: [input.name], outputs: [channelsLast])
    let nodes = network.nodes.map { node in
      var node = node
      node.inputs = node.inputs.map { $0 == input.name ? channelsLast : $0 }
      return node
    }
    let nchw = TensorSpec(name: input.name, shape: [shape[0], shape[3], shape[1], shape[2]])
    return try Network(
      name: network.name, inputs: [nchw], outputs: network.outputs, nodes: [transpose] + nodes,
      constants: network.constants)
  }

  /// `base`, or `base` with the first free `_2`, `_3`, ... suffix; the name is then taken.
  static func unique(_ base: String, taken: inout Set<String>) -> String {
    var name = base
    var suffix = 2
    while taken.contains(name) {
      name = "\(base)_\(suffix)"
      suffix += 1
    }
    taken.insert(name)
    return name
  }
}

/// A network input that ``NHWCInput/channelsFirst(_:)`` cannot turn into an NCHW image input.
public enum InputLayoutError: Error, Equatable, Sendable {
  /// The network has no input, or several (their names).
  case inputCount([String])
  /// The input carries int64 values.
  case notFloat(String)
  /// The input is not rank 4 with 1 or 3 channels on axis 1 or 3 (or has no declared shape).
  case notImage(String, [Int?]?)
  /// Both axis 1 and axis 3 could be the channels.
  case ambiguous(String, [Int?])
}

extension InputLayoutError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .inputCount(let names):
      return names.isEmpty
        ? "the network has no input"
        : "the network has \(names.count) inputs (\(names.joined(separator: ", "))); "
          + "an image classifier has one"
    case .notFloat(let name):
      return "input '\(name)' holds int64 values, not a float image"
    case .notImage(let name, let shape):
      return "input '\(name)' of shape \(format(shape)) is not an image batch: expected "
        + "[N, C, H, W] or [N, H, W, C] with 1 or 3 channels"
    case .ambiguous(let name, let shape):
      return "input '\(name)' of shape \(format(shape)) could be [N, C, H, W] or "
        + "[N, H, W, C]: both axis 1 and axis 3 could hold the channels"
    }
  }

  private func format(_ shape: [Int?]?) -> String {
    guard let shape else { return "(undeclared)" }
    return "[" + shape.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]"
  }
}
