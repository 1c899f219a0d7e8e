import Foundation
import KernelBridge
import XCTest

final class KernelspecInstallerTests: XCTestCase {
  func testLocationsFollowJupyter() throws {
    let env = ["HOME": "/home/ada", "VIRTUAL_ENV": "/venvs/x"]
    XCTAssertEqual(try KernelspecInstaller.kernelsDirectory(.user, environment: env).path, "/home/ada/.local/share/jupyter/kernels")
    XCTAssertEqual(try KernelspecInstaller.kernelsDirectory(.user, environment: ["JUPYTER_DATA_DIR": "/data"]).path, "/data/kernels")
    XCTAssertEqual(try KernelspecInstaller.kernelsDirectory(.sysPrefix, environment: env).path, "/venvs/x/share/jupyter/kernels")
    XCTAssertEqual(try KernelspecInstaller.kernelsDirectory(.prefix("/opt/p"), environment: env).path, "/opt/p/share/jupyter/kernels")
    XCTAssertThrowsError(try KernelspecInstaller.kernelsDirectory(.sysPrefix, environment: [:])) {
      XCTAssertEqual($0 as? KernelspecError, .noEnvironment)
    }
  }

  func testWritesKernelJSONWithTheBinaryPathAndLogos() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kspec-\(UUID().uuidString)")
    let logos = root.appendingPathComponent("logos")
    try FileManager.default.createDirectory(at: logos, withIntermediateDirectories: true)
    for file in ["logo-32x32.png", "logo-64x64.png"] { try Data([1, 2, 3]).write(to: logos.appendingPathComponent(file)) }
    let folder = try KernelspecInstaller(binary: "/opt/glimpse/bin/glimpse", logos: logos).install(into: root.appendingPathComponent("kernels"))
    XCTAssertEqual(folder.lastPathComponent, "glimpse")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("kernel.json"))) as! [String: Any]
    XCTAssertEqual(json["argv"] as? [String], ["/opt/glimpse/bin/glimpse", "kernel", "-f", "{connection_file}"])
    XCTAssertEqual(json["language"] as? String, "glimpse")
    XCTAssertEqual(json["interrupt_mode"] as? String, "message")
    XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("logo-64x64.png").path))
    // Installing again overwrites.
    XCTAssertNoThrow(try KernelspecInstaller(binary: "/x", logos: logos).install(into: root.appendingPathComponent("kernels")))
  }
}
