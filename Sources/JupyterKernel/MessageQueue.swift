// A blocking FIFO between threads, for transports.
import Foundation

/// A thread-safe FIFO whose `pop` waits, with a timeout, until an item arrives or it closes.
public final class MessageQueue<Item: Sendable>: @unchecked Sendable {
  // @unchecked: `items` and `isClosed` are only touched while holding `condition`.
  private let condition = NSCondition()
  private var items: [Item] = []
  private var head = 0
  private var isClosed = false

  /// An empty, open queue.
  public init() {}

  /// Appends `item` and wakes one waiter; ignored once closed.
  public func push(_ item: Item) {
    condition.lock()
    defer { condition.unlock() }
    guard !isClosed else { return }
    items.append(item)
    condition.signal()
  }

  /// The oldest item; waits up to `timeout` (nil: forever). `.closed` only once drained.
  public func pop(timeout: Duration?) -> QueuePop<Item> {
    condition.lock()
    defer { condition.unlock() }
    let deadline = timeout.map { Date().addingTimeInterval(Self.seconds($0)) }
    while head == items.count && !isClosed {
      if let deadline {
        if !condition.wait(until: deadline) && head == items.count && !isClosed {
          return .timedOut
        }
      } else {
        condition.wait()
      }
    }
    guard head < items.count else { return .closed }
    let item = items[head]
    head += 1
    if head > 64 && head * 2 > items.count {
      items.removeFirst(head)
      head = 0
    }
    return .item(item)
  }

  /// Refuses further pushes and wakes every waiter; items already queued can still be popped.
  public func close() {
    condition.lock()
    isClosed = true
    condition.broadcast()
    condition.unlock()
  }

  /// How many items wait.
  public var count: Int {
    condition.lock()
    defer { condition.unlock() }
    return items.count - head
  }

  static func seconds(_ d: Duration) -> TimeInterval {
    let (s, attos) = d.components
    return TimeInterval(s) + TimeInterval(attos) / 1e18
  }
}

/// The result of `MessageQueue.pop`.
public enum QueuePop<Item: Sendable>: Sendable {
  /// The next item.
  case item(Item)
  /// Nothing arrived in time.
  case timedOut
  /// Closed and drained.
  case closed
}
