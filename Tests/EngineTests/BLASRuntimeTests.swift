import Engine
import XCTest

final class BLASRuntimeTests: XCTestCase {
  func testRecommendsFastKernelsOnlyWhenOpenBLASFellBack() {
    let avx512bf16: Set<String> = ["avx2", "fma", "avx512f", "avx512vl", "avx512_bf16"]
    XCTAssertEqual(BLASRuntime.recommendedCoreType(current: "Prescott", cpuFlags: avx512bf16), "Cooperlake")
    XCTAssertEqual(BLASRuntime.recommendedCoreType(current: "Prescott", cpuFlags: ["avx2", "fma", "avx512f", "avx512vl"]), "SkylakeX")
    XCTAssertEqual(BLASRuntime.recommendedCoreType(current: "Nehalem", cpuFlags: ["avx2", "fma"]), "Haswell")
    XCTAssertNil(BLASRuntime.recommendedCoreType(current: "Prescott", cpuFlags: ["sse3"]))
    XCTAssertNil(BLASRuntime.recommendedCoreType(current: "Cooperlake", cpuFlags: avx512bf16))
    XCTAssertNil(BLASRuntime.recommendedCoreType(current: "Zen", cpuFlags: avx512bf16))
  }

  func testReadsCPUFlagsAndCoreName() {
    XCTAssertFalse(BLASRuntime.coreName.isEmpty)
    #if os(Linux)
      XCTAssertTrue(BLASRuntime.cpuFlags().contains("sse2"))
    #endif
  }

  func testOpenMPWaitsPassivelyUnlessTheUserChose() {
    XCTAssertEqual(EngineThreads.startupEnvironment(current: [:]), ["OMP_WAIT_POLICY": "passive"])
    XCTAssertEqual(EngineThreads.startupEnvironment(current: ["PATH": "/bin"])["OMP_WAIT_POLICY"], "passive")
    XCTAssertEqual(EngineThreads.startupEnvironment(current: ["OMP_WAIT_POLICY": "active"]), [:])
    XCTAssertEqual(EngineThreads.startupEnvironment(current: ["GOMP_SPINCOUNT": "1000"]), [:])
  }
}
