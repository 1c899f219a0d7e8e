// Per-node timings of forward and backward passes, for finding where the time goes.
import Foundation
import Synchronization

/// Accumulates wall time per node and per op type while `GLIMPSE_PROFILE` is set.
///
/// A developer's tool: with the variable set (to anything), every pass records its nodes and
/// the process prints a table to standard error when it exits. Off, it costs one branch per
/// node.
public enum NetworkProfiler {
  /// Whether the environment asked for profiling.
  public static let isEnabled = ProcessInfo.processInfo.environment["GLIMPSE_PROFILE"] != nil

  private struct Entry {
    var opType: String
    var calls = 0
    var nanoseconds: UInt64 = 0
  }

  private static let table = Mutex<[String: Entry]>([:])
  private static let registered: Bool = {
    atexit { NetworkProfiler.printReport() }
    return true
  }()

  /// Runs `body`, charging its wall time to `node` (`pass` tells forward from backward).
  @inline(__always)
  static func measure<R>(
    _ node: Node, pass: String, _ body: () throws -> R
  ) rethrows -> R {
    guard isEnabled else { return try body() }
    _ = registered
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    let elapsed = DispatchTime.now().uptimeNanoseconds - start
    table.withLock { table in
      let key = "\(pass) \(node.name)"
      var entry = table[key] ?? Entry(opType: "\(pass) \(node.op.opType)")
      entry.calls += 1
      entry.nanoseconds += elapsed
      table[key] = entry
    }
    return result
  }

  /// Prints total time per op type, then the 25 costliest nodes, to standard error.
  public static func printReport() {
    let entries = table.withLock { $0 }
    guard !entries.isEmpty else { return }
    var byType: [String: (calls: Int, ns: UInt64)] = [:]
    for entry in entries.values {
      byType[entry.opType, default: (0, 0)].calls += entry.calls
      byType[entry.opType, default: (0, 0)].ns += entry.nanoseconds
    }
    let total = byType.values.reduce(0) { $0 + $1.ns }
    var lines = ["GLIMPSE_PROFILE: total \(ms(total)) ms over all passes"]
    for (type, value) in byType.sorted(by: { $0.value.ns > $1.value.ns }) {
      let share = Double(value.ns) / Double(max(total, 1)) * 100
      lines.append("  \(type): \(ms(value.ns)) ms, \(value.calls) calls, \(String(format: "%.1f", share)) %")
    }
    lines.append("costliest nodes:")
    for (name, entry) in entries.sorted(by: { $0.value.nanoseconds > $1.value.nanoseconds }).prefix(25) {
      let perCall = entry.nanoseconds / UInt64(max(entry.calls, 1))
      lines.append("  \(name) (\(entry.opType)): \(ms(perCall)) ms per call, \(entry.calls) calls")
    }
    FileHandle.standardError.write((lines.joined(separator: "\n") + "\n").data(using: .utf8)!)
  }

  private static func ms(_ ns: UInt64) -> String { String(format: "%.2f", Double(ns) / 1e6) }
}
