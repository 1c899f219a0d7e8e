// Starting OpenBLAS with fast kernels on CPUs its Debian build does not recognise.
import Engine
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Re-executes the process once with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to
/// generic kernels on a CPU that runs better ones (see `BLASRuntime`), and with the OpenMP
/// wait policy the engine wants (see `EngineThreads.startupEnvironment`). A value the user or
/// environment already set always wins.
enum FastKernels {
  static let marker = "GLIMPSE_BLAS_REEXEC"

  static func reexecIfNeeded() {
    let environment = ProcessInfo.processInfo.environment
    guard environment[marker] == nil else { return }
    var settings = EngineThreads.startupEnvironment(current: environment)
    if environment["OPENBLAS_CORETYPE"] == nil,
      let core = BLASRuntime.recommendedCoreType(
        current: BLASRuntime.coreName, cpuFlags: BLASRuntime.cpuFlags())
    {
      settings["OPENBLAS_CORETYPE"] = core
    }
    guard !settings.isEmpty else { return }
    for (name, value) in settings { setenv(name, value, 1) }
    setenv(marker, "1", 1)
    let arguments = CommandLine.arguments
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    argv.append(nil)
    execv("/proc/self/exe", &argv)
    // execv returns only on failure: carry on with the slow kernels rather than stop.
  }
}
