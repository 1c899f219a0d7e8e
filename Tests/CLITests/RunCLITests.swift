import Foundation
import XCTest

/// `glimpse run` on a script that uses every command of the catalog, as a user would run it.
final class RunCLITests: XCTestCase {
  private var binary: URL { Bundle.main.bundleURL.appendingPathComponent("glimpse") }

  /// Every command, with small sample counts; every `save` must write a valid file.
  static let script = """
    # Every command of docs/COMMANDS.md once (small sample counts keep it quick).
    help
    help gradcam
    echo "starting"
    load
    image chelsea rocket
    image chelsea as=cat transparency=white exif=ignore
    images
    predict top=3
    layers filter=block15
    activations layer=block2_add channels=4
    save activations.png
    gradcam layer=block14 class=tabby
    save gradcam.png
    save gradcam.npy
    gradcam method=gradcam++ top=2
    gradcam method=eigencam
    occlusion patch=112 stride=112 baseline=mean
    save occlusion.npy
    saliency times_input=yes
    smoothgrad samples=2 noise=0.1 kind=vargrad seed=1
    ig steps=4 baseline=black
    save ig.npy
    shap layer=top_activation samples=4 top=1 seed=2
    save shap.png
    rise masks=8 seed=3
    show cat
    show last
    set colormap=viridis alpha=0.3
    get
    get colormap
    reset
    images
    quit
    """

  func testAScriptWithEveryCommandRunsAndSavesValidFiles() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("glimpse-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let scriptURL = directory.appendingPathComponent("every.glimpse")
    try Self.script.write(to: scriptURL, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = binary
    process.arguments = ["run", scriptURL.path, "--output", "pictures"]
    process.currentDirectoryURL = directory
    let err = Pipe(), out = Pipe()
    process.standardError = err
    process.standardOutput = out
    try process.run()
    let outText = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, errText)
    XCTAssertTrue(outText.contains("Egyptian_cat"), outText)

    for png in ["activations.png", "gradcam.png", "shap.png"] {
      let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(png)))
      XCTAssertEqual(Array(bytes.prefix(8)), [137, 80, 78, 71, 13, 10, 26, 10], png)
      XCTAssertGreaterThan(bytes.count, 1000, png)
    }
    for npy in ["gradcam.npy", "occlusion.npy", "ig.npy"] {
      let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(npy)))
      XCTAssertEqual(Array(bytes.prefix(6)), [0x93] + Array("NUMPY".utf8), npy)
      let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
      XCTAssertTrue(header.contains("'descr': '<f4'"), header)
      let shape = header.split(separator: "(")[1].split(separator: ")")[0]
      let count = shape.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.reduce(1, *)
      XCTAssertEqual(bytes.count - 10 - headerLength, 4 * count, "\(npy): \(header)")
    }
    // Pictures shown along the way were written as files too.
    let pictures = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("pictures").path)
    XCTAssertGreaterThanOrEqual(pictures.filter { $0.hasSuffix(".png") }.count, 10, "\(pictures)")
  }
}
