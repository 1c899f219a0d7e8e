// Which OpenBLAS kernels run, and how to get fast ones without the user doing anything.
import CBLAS
import Foundation

/// Facts about the loaded OpenBLAS and the choice of its CPU kernels.
///
/// NB: Debian's OpenBLAS 0.3.21 does not recognise some recent CPUs and falls back to its SSE3
/// `Prescott` kernels (5-7x slower). `OPENBLAS_CORETYPE` fixes that, but OpenBLAS reads it while
/// loading, before `main`, so a process must be started with it: ``recommendedCoreType(current:cpuFlags:)``
/// says which value to re-exec with, and the executable does the re-exec once.
public enum BLASRuntime {
  /// The name of the kernel set OpenBLAS is using, e.g. `Cooperlake`, `Haswell`, `Prescott`.
  public static var coreName: String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
  }

  /// The number of threads OpenBLAS uses.
  public static var threads: Int {
    get { Int(openblas_get_num_threads()) }
    set { openblas_set_num_threads(Int32(max(1, newValue))) }
  }

  /// Kernel sets slower than what a CPU with AVX2 or AVX-512 can run.
  static let genericCores: Set<String> = [
    "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "katmai", "coppermine",
    "northwood", "banias", "opteron", "barcelona", "bobcat", "unknown",
  ]

  /// The `OPENBLAS_CORETYPE` value that would give faster kernels, or nil when the current ones
  /// are already right for this CPU (or the CPU's features are unknown).
  /// - Parameters:
  ///   - current: the active core name (``coreName``).
  ///   - cpuFlags: the CPU feature flags as `/proc/cpuinfo` spells them.
  public static func recommendedCoreType(current: String, cpuFlags: Set<String>) -> String? {
    guard genericCores.contains(current.lowercased()) else { return nil }
    if cpuFlags.contains("avx512_bf16") && cpuFlags.contains("avx512f") { return "Cooperlake" }
    if cpuFlags.contains("avx512f") && cpuFlags.contains("avx512vl") { return "SkylakeX" }
    if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
    return nil
  }

  /// The CPU feature flags of the first processor in `/proc/cpuinfo` (empty elsewhere).
  public static func cpuFlags(cpuinfo path: String = "/proc/cpuinfo") -> Set<String> {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
    for line in text.split(separator: "\n") where line.hasPrefix("flags") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
    return []
  }
}
