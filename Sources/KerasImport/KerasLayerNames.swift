// Keras layer names in tf2onnx exports: `xception/block14_sepconv2_act/Relu:0` is the output of
// the Keras layer `block14_sepconv2_act`.
public import Network

/// Finds, in a network converted from TensorFlow (tf2onnx), the tensor each Keras layer outputs.
///
/// tf2onnx names tensors after the TensorFlow ops that made them: `<scope>/<layer>/<op>:<k>`,
/// where the scope is the Keras model's name (`xception`, or `StatefulPartitionedCall/model`
/// through a saved model) and `<layer>` the Keras layer. A layer makes several tensors (a
/// separable convolution's depthwise and pointwise results); its output is the last one, in
/// graph order, that leaves the layer (read by another layer, or a graph output). Tensors read
/// only inside their own layer, or not at all, are internal:
/// that also skips the input Transpose tf2onnx files under the first convolution
/// (`xception/block1_conv1/Conv2D__6:0`). tf2onnx folds a BatchNormalization into the Conv
/// before it and names the result after the BatchNormalization, so such a Conv layer has no
/// tensor of its own and no alias.
public enum KerasLayerNames {
  /// Keras layer name -> the tensor holding that layer's output, for every layer found.
  ///
  /// A tensor without a `/` in its name (tf2onnx names the graph output after the Keras output
  /// layer, `predictions`) is placed by its node's name (`xception/predictions/Softmax`).
  public static func aliases(in network: Network) -> [String: String] {
    let nodes = network.nodes
    let outputPaths = nodes.map { node in node.outputs.map { path(of: $0, node: node) } }
    let scope = scopePrefix(outputPaths.flatMap { $0.compactMap { $0 } })
    func layer(_ path: [Substring]?) -> Substring? {
      guard let path, path.count >= scope.count + 2, path.starts(with: scope) else { return nil }
      return path[scope.count]
    }
    // The layer a node works for: by its name, else by its first output's.
    let nodeLayers = nodes.indices.map { index in
      layer(components(nodes[index].name)) ?? outputPaths[index].first.flatMap { layer($0) }
    }
    var readerLayers: [String: [Substring?]] = [:]
    for (index, node) in nodes.enumerated() {
      for input in node.inputs where !input.isEmpty {
        readerLayers[input, default: []].append(nodeLayers[index])
      }
    }
    let graphOutputs = Set(network.outputs.map(\.name))

    var aliases: [String: String] = [:]
    for (index, node) in nodes.enumerated() {
      for (tensor, path) in zip(node.outputs, outputPaths[index]) where !tensor.isEmpty {
        guard let owner = layer(path) else { continue }
        let readers = readerLayers[tensor] ?? []
        let leaves = graphOutputs.contains(tensor) || readers.contains { $0 != owner }
        if leaves { aliases[String(owner)] = tensor }  // later tensors replace earlier ones
      }
    }
    return aliases
  }

  /// The `/`-separated components of a value's op path (without the `:k` output index), from
  /// its own name when it has a `/`, else from its node's name; nil when neither has one.
  static func path(of tensor: String, node: Node) -> [Substring]? {
    components(opName(tensor)) ?? components(node.name)
  }

  /// `a/b/c:0` -> `a/b/c`: TensorFlow's output index suffix dropped.
  static func opName(_ tensor: String) -> Substring {
    guard let colon = tensor.lastIndex(of: ":"),
      !tensor[tensor.index(after: colon)...].isEmpty,
      tensor[tensor.index(after: colon)...].allSatisfy(\.isNumber)
    else { return tensor[...] }
    return tensor[..<colon]
  }

  /// The components of a `/` path; nil for a name without `/` or with empty components.
  static func components(_ name: some StringProtocol) -> [Substring]? {
    let parts = name.split(separator: "/", omittingEmptySubsequences: false).map {
      Substring($0)
    }
    guard parts.count >= 2, !parts.contains(where: \.isEmpty) else { return nil }
    return parts
  }

  /// The scope shared by the paths: component by component, the one more than half of all
  /// paths carry, as long as every path carrying it keeps a layer and an op after it.
  static func scopePrefix(_ paths: [[Substring]]) -> [Substring] {
    var prefix: [Substring] = []
    var matching = paths
    while true {
      let depth = prefix.count
      var counts: [Substring: Int] = [:]
      for path in matching where path.count > depth { counts[path[depth], default: 0] += 1 }
      guard let (component, count) = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }),
        2 * count > paths.count
      else { return prefix }
      let next = matching.filter { $0.count > depth && $0[depth] == component }
      guard next.allSatisfy({ $0.count >= depth + 3 }) else { return prefix }
      prefix.append(component)
      matching = next
    }
  }
}
