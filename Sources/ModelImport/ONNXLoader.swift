// From a path to a runnable network: map, parse, convert the tensors, build.
public import Network

/// Loads `.onnx` files into ``Network``s.
public enum ONNXLoader {
  /// Maps the file, parses it and builds the network through ``ONNXImporter``.
  ///
  /// Each initializer is copied out of the mapped file as the importer asks for it, and its pages
  /// are released, so peak memory stays near the file's size.
  /// - Parameters:
  ///   - path: the model file; external data is looked up beside it.
  ///   - name: the network's name; default: the file name without `.onnx`.
  /// - Throws: ``ModelImportError`` naming the byte offset, tensor, node or op at fault.
  /// - Parameter initializers: rewrites each initializer's value as it is read (seeded random
  ///   weights, say); the name is the initializer's.
  public static func load(
    path: String, name: String? = nil,
    initializers rewrite: (@Sendable (String, Value) throws -> Value)? = nil
  ) throws -> Network {
    let file = try ONNXFile.open(path)
    let model = try file.parseModel()
    let importer = ONNXImporter(tensorValue: { tensor in
      let value = try file.value(of: tensor)
      return try rewrite?(tensor.name, value) ?? value
    })
    return try importer.makeNetwork(model, name: name ?? defaultName(path))
  }

  /// The file name without its folder and `.onnx` extension.
  static func defaultName(_ path: String) -> String {
    var name = path.split(separator: "/").last.map(String.init) ?? path
    if name.hasSuffix(".onnx"), name.count > 5 { name.removeLast(5) }
    return name
  }
}
