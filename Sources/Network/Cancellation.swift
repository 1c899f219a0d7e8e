// A flag a long computation polls so another thread can stop it.
import Synchronization

/// A thread-safe stop request, checked by the executor between nodes.
///
/// The kernel's interrupt handler (or a SIGINT handler through a global flag) calls
/// ``cancel()``; the running forward or backward pass throws ``NetworkError/cancelled`` at the
/// next node boundary, leaving the caller's state untouched.
public final class Cancellation: Sendable {
  private let flag = Atomic<Bool>(false)

  public init() {}

  /// Requests that work using this token stop.
  public func cancel() { flag.store(true, ordering: .relaxed) }

  /// Clears a previous request, for reuse by the next command.
  public func reset() { flag.store(false, ordering: .relaxed) }

  /// Whether a stop was requested.
  public var isCancelled: Bool { flag.load(ordering: .relaxed) }

  /// Throws ``NetworkError/cancelled`` when a stop was requested.
  public func check() throws {
    if isCancelled { throw NetworkError.cancelled }
  }
}
