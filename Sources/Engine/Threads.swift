// How many threads the engine's own loops (and OpenBLAS, oneDNN) may use.
import CBLAS
import CDNNL
import Dispatch
import Foundation
import Synchronization

/// The engine-wide thread budget.
///
/// Defaults to the active processor count. Setting it also tells OpenBLAS and oneDNN's
/// OpenMP runtime, so every library agrees; loops of the engine split work with
/// ``parallelFor(_:minimumWorkPerTask:_:)``.
public enum EngineThreads {
  private static let storage = Atomic<Int>(ProcessInfo.processInfo.activeProcessorCount)

  /// The number of threads engine work may use (at least 1).
  public static var count: Int {
    get { storage.load(ordering: .relaxed) }
    set {
      let value = max(1, newValue)
      storage.store(value, ordering: .relaxed)
      openblas_set_num_threads(Int32(value))
      glimpse_set_omp_threads(Int32(value))
    }
  }
}

extension EngineThreads {
  /// Environment variables the OpenMP runtime must find at process start, given the current
  /// environment: `OMP_WAIT_POLICY=passive` unless the user chose a policy or spin count.
  ///
  /// NB: by default libgomp spins ~3 ms after each parallel region (300 000 iterations) and its
  /// barriers wait for both threads; with other processes on the cores, a preempted partner
  /// costs a scheduler round per barrier. Measured at load 4-6 on 2 cores, EfficientNet-Lite0
  /// batch 1 took 568-616 ms spinning against 11-18 ms passive (short spins, GOMP_SPINCOUNT
  /// 3000-30000: 20-34 ms). libgomp reads these once while loading, before `main`, so the
  /// executable re-executes itself with them (as for `OPENBLAS_CORETYPE`).
  public static func startupEnvironment(current: [String: String]) -> [String: String] {
    if current["OMP_WAIT_POLICY"] != nil || current["GOMP_SPINCOUNT"] != nil { return [:] }
    return ["OMP_WAIT_POLICY": "passive"]
  }
}

/// Runs `body(task)` for `task` in `0..<tasks`, on up to ``EngineThreads/count`` threads.
///
/// Runs inline when one thread is allowed or `tasks * workPerTask` is below
/// `minimumWorkPerTask * 2`: dispatch costs microseconds, so small loops stay serial.
/// - Parameters:
///   - workPerTask: a rough cost of one task (e.g. elements touched).
///   - minimumWorkPerTask: work below which splitting does not pay (default ~64 K elements).
@inlinable
public func parallelFor(
  _ tasks: Int, workPerTask: Int = 1 << 20, minimumWorkPerTask: Int = 1 << 16,
  _ body: (Int) -> Void
) {
  let threads = EngineThreads.count
  if tasks <= 1 || threads <= 1 || tasks * workPerTask < 2 * minimumWorkPerTask {
    for task in 0..<tasks { body(task) }
    return
  }
  withoutActuallyEscaping(body) { body in
    let box = UnsafeSendable(body)
    let chunks = min(tasks, threads)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      // Contiguous ranges per thread keep each thread's memory streams apart.
      let lo = tasks * chunk / chunks, hi = tasks * (chunk + 1) / chunks
      for task in lo..<hi { box.value(task) }
    }
  }
}

/// A value handed across threads whose safety the caller guarantees (disjoint writes).
@usableFromInline
struct UnsafeSendable<T>: @unchecked Sendable {
  @usableFromInline let value: T
  @usableFromInline init(_ value: T) { self.value = value }
}

/// Process-wide memory settings that matter for speed.
public enum EngineMemory {
  /// Keeps freed large blocks in the heap instead of returning them to the kernel.
  ///
  /// NB: glibc serves blocks over 32 MB (a batch-8 activation) with a fresh `mmap` every
  /// time, and on this machine kind first-touch page faults cost ~2.5 µs per 4 KB page: a
  /// 38 MB output took 29 ms to allocate and fill versus 7 ms for the convolution itself.
  /// Raising the mmap and trim thresholds lets the next op reuse those pages. The price is
  /// that the process keeps its peak heap. Idempotent; called by ``Convolution/init``.
  public static func retainLargeBlocks() { _ = configured }

  private static let configured: Bool = {
    glimpse_retain_large_blocks()
    return true
  }()
}
