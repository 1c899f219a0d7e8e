// Local response normalisation across channels (ONNX LRN; Krizhevsky et al. 2012, sec. 3.3).
import Foundation

/// LRN: `y[c] = x[c] / (bias + alpha/size * sum_{c' in window(c)} x[c']^2)^beta`, the window
/// spanning channels `c - floor((size-1)/2) ... c + ceil((size-1)/2)` clipped to `[0, C)`.
public enum LocalResponseNorm {
  /// The normaliser parameters.
  public struct Parameters: Sendable, Hashable {
    public var size: Int, alpha: Float, beta: Float, bias: Float
    public init(size: Int, alpha: Float = 1e-4, beta: Float = 0.75, bias: Float = 1) {
      (self.size, self.alpha, self.beta, self.bias) = (size, alpha, beta, bias)
    }
  }

  /// `[N, C, ...]` → same shape.
  public static func forward(_ x: Tensor, _ p: Parameters) -> Tensor {
    let s = scales(x, p)  // [N, C, pixels]
    var y = x.storage
    for i in 0..<x.count { y[i] *= Float(pow(Double(s[i]), Double(-p.beta))) }
    return Tensor(shape: x.shape, storage: y)
  }

  /// `dx[j] = dy[j] s[j]^-beta - 2 alpha beta / size * x[j] * sum_{c: j in window(c)}
  /// dy[c] x[c] s[c]^(-beta-1)`.
  public static func backward(_ dy: Tensor, input x: Tensor, _ p: Parameters) -> Tensor {
    let (n, c, pixels) = dims(x)
    let s = scales(x, p)
    let (before, after) = ((p.size - 1) / 2, p.size / 2)  // the window around each channel
    var t = [Float](repeating: 0, count: x.count)
    var dx = [Float](repeating: 0, count: x.count)
    for i in 0..<x.count {
      t[i] = dy.storage[i] * x.storage[i] * Float(pow(Double(s[i]), Double(-p.beta - 1)))
      dx[i] = dy.storage[i] * Float(pow(Double(s[i]), Double(-p.beta)))
    }
    let factor = 2 * p.alpha * p.beta / Float(p.size)
    for b in 0..<n {
      for j in 0..<c {
        // Channels whose window contains j: j - after ... j + before.
        let lo = max(0, j - after), hi = min(c - 1, j + before)
        for q in 0..<pixels {
          var sum: Float = 0
          for k in lo...hi { sum += t[(b * c + k) * pixels + q] }
          let at = (b * c + j) * pixels + q
          dx[at] -= factor * x.storage[at] * sum
        }
      }
    }
    return Tensor(shape: x.shape, storage: dx)
  }

  private static func dims(_ x: Tensor) -> (Int, Int, Int) {
    precondition(x.rank >= 2, "LRN input \(x.shape)")
    return (x.shape[0], x.shape[1], x.shape.dropFirst(2).reduce(1, *))
  }

  /// `bias + alpha/size * sum of squares over each channel window`, `[N, C, pixels]`.
  private static func scales(_ x: Tensor, _ p: Parameters) -> [Float] {
    let (n, c, pixels) = dims(x)
    let (before, after) = ((p.size - 1) / 2, p.size / 2)
    var s = [Float](repeating: 0, count: x.count)
    for b in 0..<n {
      for j in 0..<c {
        let lo = max(0, j - before), hi = min(c - 1, j + after)
        for q in 0..<pixels {
          var sum: Float = 0
          for k in lo...hi {
            let v = x.storage[(b * c + k) * pixels + q]
            sum += v * v
          }
          s[(b * c + j) * pixels + q] = p.bias + p.alpha / Float(p.size) * sum
        }
      }
    }
    return s
  }
}
