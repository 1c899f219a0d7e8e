// `glimpse bench`: engine timings side by side with onnxruntime, run in one go on this machine.
import ArgumentParser
import Attribution
import Engine
import Foundation
import Imaging
import ModelImport
import ModelZoo
import Network

/// Times the engine (forward at batch 1 and 8, forward+backward, model load) and, when a peer
/// Python with onnxruntime is given, the same models in onnxruntime with the same thread count.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time the engine against onnxruntime (see scripts/bench/run.sh, which sets up the peer).")

  @Option(help: "Threads for both the engine and the peer.")
  var threads: Int = 2

  @Option(help: "Timed repetitions per case (the median is reported).")
  var repetitions: Int = 10

  @Option(help: "A Python interpreter with onnxruntime installed (the peer); omitted: engine only.")
  var peerPython: String?

  @Option(help: "The peer script (scripts/bench/peer_onnxruntime.py).")
  var peerScript: String = "scripts/bench/peer_onnxruntime.py"

  @Option(help: "Extra ONNX models to time, e.g. a random-weight VGG16 made by scripts/bench/make_vgg16_random.py.")
  var model: [String] = []

  @Option(help: "A large JPEG (e.g. 12 megapixels) to time decode + resize + preprocess on.")
  var jpeg: String?

  @Option(help: "Batch sizes to time (repeat the option); default 1 and 8.")
  var batch: [Int] = [1, 8]

  @Flag(help: "Skip the bundled EfficientNet-Lite0 (time only --model files).")
  var skipDefault = false

  @Flag(help: "Skip the forward+backward case.")
  var skipBackward = false

  @Flag(help: "Time the explanation methods on the embedded model (Grad-CAM, occlusion, SmoothGrad, IG, expected gradients).")
  var methods = false

  @Option(help: "A Python with torch, onnx2torch, captum and grad-cam, for the methods' peers (scripts/bench/methods_peer.py).")
  var methodsPeerPython: String?

  @Flag(help: "Time Keras' VGG16 (224x224) and Xception (299x299), seeded weights: forward and Grad-CAM.")
  var keras = false

  @Option(help: "A Python with tensorflow-cpu, tf_keras, tf2onnx and onnxruntime (scripts/keras/setup-venv.sh), for --keras' peers.")
  var kerasPeerPython: String?

  @Option(help: "Internal: load this model, print its load time and peak memory as JSON, and exit.")
  var loadOnly: String?

  func run() throws {
    try reportingErrors {
      if let loadOnly { return try measureLoad(loadOnly) }
      BLASRuntime.threads = threads
      EngineThreads.count = threads
      print("glimpse bench: OpenBLAS kernels \(BLASRuntime.coreName), \(threads) threads for engine and peer, median of \(repetitions)")
      if peerPython != nil { print("forward-pass peer: onnxruntime (scripts/bench/peer_onnxruntime.py)") }
      let table = BenchTable()
      let assets = try BundledAssets.locate()
      if !skipDefault {
        try benchModel(
          path: assets.defaultModel.path, label: "efficientnet-lite0", table: table, backward: !skipBackward)
      }
      if let jpeg { try benchPhoto(path: jpeg, table: table) }
      if methods { try benchMethods(assets: assets, table: table) }
      if keras { try benchKeras(assets: assets, table: table) }
      for path in model {
        try benchLoad(path: path, label: URL(fileURLWithPath: path).lastPathComponent, table: table)
        try benchModel(path: path, label: URL(fileURLWithPath: path).lastPathComponent, table: table, backward: !skipBackward)
      }
      table.print()
    }
  }

  private func benchModel(path: String, label: String, table: BenchTable, backward: Bool) throws {
    let network = try ONNXLoader.load(path: path)
    guard let input = network.inputs.first, let shape = input.shape, shape.count == 4,
      let c = shape[1], let h = shape[2], let w = shape[3]
    else { throw ValidationError("\(label): input is not [N, C, H, W] with fixed C, H, W") }
    for batch in self.batch {
      var rng = SystemRandomNumberGenerator()
      let x = Tensor(shape: [batch, c, h, w], storage: (0..<(batch * c * h * w)).map { _ in Float.random(in: -1...1, using: &rng) })
      let ours = try median(repetitions) { _ = try network.forward([input.name: .float(x)]) }
      let peer = try peerTime(path: path, batch: batch)
      table.add(label, "forward batch \(batch)", ours, peer)
      if backward && batch == 1 {
        let output = network.outputs[0].name
        let both = try median(repetitions) {
          let run = try network.forward([input.name: .float(x)], gradientsFor: [input.name])
          let logits = run.tensor(output)!
          var seed = Tensor(zeros: logits.shape)
          seed.storage[0] = 1
          _ = try network.backward(run, seeds: [output: seed])
        }
        table.add(label, "forward+backward to input, batch 1", both, nil)
      }
    }
  }

  /// The explanation methods on the cat, class 285, beside Captum / pytorch-grad-cam when a peer is given.
  private func benchMethods(assets: BundledAssets, table: BenchTable) throws {
    let network = try ONNXLoader.load(path: assets.defaultModel.path)
    let explainer = Explainer(model: DifferentiableModel(network: network, inputName: "input", logitsName: "logits"))
    let tensor = { (name: String) throws -> Tensor in
      Preprocessing.lite.tensor(from: try Image(contentsOfFile: assets.photo(named: name)!.path), geometry: .squash224)
    }
    let x = try tensor("chelsea")
    let photos = try ["coffee", "astronaut", "rocket", "grace_hopper"].map(tensor)
    let background = Tensor(shape: [4, 3, 224, 224], storage: photos.flatMap(\.storage))
    let target = TargetSelection.index(285)
    let runs = max(1, repetitions / 3)
    let cases: [(String, () throws -> Void)] = [
      ("gradcam", { _ = try explainer.gradCAM(x, targets: target, layer: "top_activation") }),
      ("occlusion 32/16", { _ = try explainer.occlusion(x, targets: target, patch: (32, 32), stride: (16, 16)) }),
      ("smoothgrad 20", { _ = try explainer.smoothGrad(x, targets: target, samples: 20) }),
      ("ig 50", { _ = try explainer.integratedGradients(x, targets: target, steps: 50) }),
      ("expected gradients 200", { _ = try explainer.expectedGradients(x, targets: target, background: background, samples: 200) }),
    ]
    let peer = try methodsPeer(runs: runs)
    if peer != nil {
      table.note("explanation peers: pytorch-grad-cam (Grad-CAM) and Captum (the others) on the onnx2torch model, same threads")
    }
    for (name, body) in cases {
      table.add("explain (class 285)", name, try median(runs, body), peer?[name])
    }
  }

  /// Captum / pytorch-grad-cam medians by method name, or nil without a peer.
  private func methodsPeer(runs: Int) throws -> [String: Double]? {
    guard let methodsPeerPython else { return nil }
    let data = try runPeer(
      methodsPeerPython,
      ["scripts/bench/methods_peer.py", "--threads", "\(threads)", "--repetitions", "\(runs)"],
      what: "the methods' peer script")
    guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Double] else {
      throw ValidationError("the methods' peer script failed")
    }
    return json
  }

  /// Runs a peer script with `python` and returns what it printed.
  /// - Throws: `ValidationError` naming `what` when it exits with an error.
  func runPeer(_ python: String, _ arguments: [String], what: String) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw ValidationError("\(what) failed") }
    return data
  }

  /// Decoding a photo, then resizing and normalising it to the embedded model's input.
  private func benchPhoto(path: String, table: BenchTable) throws {
    let probe = try Image(contentsOfFile: path)
    let label = "\(probe.width)x\(probe.height) JPEG"
    let decode = try median(repetitions) { _ = try Image(contentsOfFile: path) }
    let whole = try median(repetitions) {
      let image = try Image(contentsOfFile: path)
      _ = Preprocessing.lite.tensor(from: image, geometry: .squash224)
    }
    table.add(label, "decode", decode, nil)
    table.add(label, "decode + resize 224 + preprocess", whole, nil)
  }

  /// Load time and peak memory, measured in a fresh process so earlier work does not count.
  private func benchLoad(path: String, label: String, table: BenchTable) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
    process.arguments = ["bench", "--load-only", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    process.waitUntilExit()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Double] else { return }
    let fileMB = json["file_mb"] ?? 0, peakMB = json["peak_mb"] ?? 0
    table.note("\(label): load \(String(format: "%.3f", json["seconds"] ?? 0)) s, peak RSS \(Int(peakMB)) MB for a \(Int(fileMB)) MB file (\(String(format: "%.2f", peakMB / max(fileMB, 1)))x)")
  }

  private func measureLoad(_ path: String) throws {
    let start = Date()
    let network = try ONNXLoader.load(path: path)
    let seconds = Date().timeIntervalSince(start)
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    let json: [String: Double] = [
      "seconds": seconds, "peak_mb": Double(usage.ru_maxrss) / 1024, "file_mb": Double(size) / 1_048_576,
      "parameters": Double(network.parameterCount),
    ]
    print(String(data: try JSONSerialization.data(withJSONObject: json), encoding: .utf8)!)
  }

  /// onnxruntime's median forward time in ms, or nil without a peer.
  private func peerTime(path: String, batch: Int) throws -> Double? {
    guard let peerPython else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: peerPython)
    process.arguments = [peerScript, path, "--batch", "\(batch)", "--threads", "\(threads)", "--repetitions", "\(repetitions)"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
      let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      let ms = json["forward_ms_median"] as? Double
    else { throw ValidationError("the peer script failed for \(path)") }
    return ms
  }

  /// Median wall time in ms; with `GLIMPSE_BENCH_CPU` set, also prints the median CPU time of
  /// the process (all threads) per repetition, which other load on the machine disturbs less.
  func median(_ count: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()  // warm-up: caches, lazily created primitives
    var times: [Double] = []
    var cpu: [Double] = []
    for _ in 0..<max(1, count) {
      let cpuStart = Self.cpuMilliseconds()
      let start = DispatchTime.now().uptimeNanoseconds
      try body()
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
      cpu.append(Self.cpuMilliseconds() - cpuStart)
    }
    if ProcessInfo.processInfo.environment["GLIMPSE_BENCH_CPU"] != nil {
      FileHandle.standardError.write(
        String(format: "cpu %.2f ms (wall min %.2f)\n", cpu.sorted()[cpu.count / 2], times.min()!)
          .data(using: .utf8)!)
    }
    return times.sorted()[times.count / 2]
  }

  private static func cpuMilliseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func ms(_ t: timeval) -> Double { Double(t.tv_sec) * 1000 + Double(t.tv_usec) / 1000 }
    return ms(usage.ru_utime) + ms(usage.ru_stime)
  }
}

/// Rows of benchmark results, printed as an aligned table with the ratio to the peer.
final class BenchTable {
  private var rows: [[String]] = []
  private var notes: [String] = []

  func add(_ model: String, _ what: String, _ ours: Double, _ peer: Double?) {
    let ratio = peer.map { String(format: "%.2fx", ours / $0) } ?? "-"
    rows.append([model, what, String(format: "%.2f", ours), peer.map { String(format: "%.2f", $0) } ?? "-", ratio])
  }

  func note(_ text: String) { notes.append(text) }

  func print() {
    let header = ["model", "case", "glimpse ms", "peer ms", "glimpse/peer"]
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0[c].count }.max()! }
    for row in all {
      Swift.print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
    }
    for note in notes { Swift.print(note) }
  }
}
