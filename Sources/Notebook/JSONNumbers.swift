// JSON outputs compared by structure, with a tolerance on numbers.
import Foundation

/// Compares two JSON texts member by member, numbers within a relative tolerance.
///
/// NB: a float32 engine's last bits move with thread counts and kernel choices, so a probability
/// saved as 0.7889695763587952 may replay as 0.7889699339866638; text outputs round such numbers
/// for display, JSON keeps them whole, so JSON needs a tolerance where text needs none.
enum JSONNumbers {
  /// Relative tolerance on numbers (with an absolute floor for values near zero).
  static let relative = 1e-5
  static let absolute = 1e-7

  /// Whether the texts parse to the same structure with numbers within tolerance.
  static func equal(_ a: String, _ b: String) -> Bool {
    guard
      let x = try? JSONSerialization.jsonObject(with: Data(a.utf8), options: [.fragmentsAllowed]),
      let y = try? JSONSerialization.jsonObject(with: Data(b.utf8), options: [.fragmentsAllowed])
    else { return false }
    return equal(x, y)
  }

  static func equal(_ x: Any, _ y: Any) -> Bool {
    switch (x, y) {
    case (let p as [String: Any], let q as [String: Any]):
      return p.keys.sorted() == q.keys.sorted() && p.allSatisfy { key, value in equal(value, q[key]!) }
    case (let p as [Any], let q as [Any]):
      return p.count == q.count && zip(p, q).allSatisfy { equal($0, $1) }
    case (let p as String, let q as String):
      return p == q
    case (let p as NSNumber, let q as NSNumber):
      // Booleans are NSNumbers too (of their own class): true never equals 1.
      if isBoolean(p) != isBoolean(q) { return false }
      let u = p.doubleValue, v = q.doubleValue
      return u == v || abs(u - v) <= max(absolute, relative * max(abs(u), abs(v)))
    case (is NSNull, is NSNull):
      return true
    default:
      return false
    }
  }

  private static func isBoolean(_ number: NSNumber) -> Bool {
    String(describing: type(of: number)).contains("Boolean")
  }
}
