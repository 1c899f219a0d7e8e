// Broadcasting arithmetic (ONNX Add, Sub, Mul, Div, Max, Min) on float32 data and int64 shape
// arithmetic, with each op's VJP right under it. Gradients are summed back to each operand's
// shape with sumToShape.

/// Element types the arithmetic ops accept: float32 data and int64 shape arithmetic.
///
/// NB: int64 arithmetic wraps on overflow and division truncates toward zero (as C and
/// onnxruntime do) instead of trapping, so a hostile model cannot crash the process.
public protocol ArithmeticElement: Sendable, Equatable, Comparable {
  static func plus(_ a: Self, _ b: Self) -> Self
  static func minus(_ a: Self, _ b: Self) -> Self
  static func times(_ a: Self, _ b: Self) -> Self
  /// `a / b`; integer division by zero is checked by the caller.
  static func over(_ a: Self, _ b: Self) -> Self
  static var zero: Self { get }
}

extension Float: ArithmeticElement {
  @inline(__always) public static func plus(_ a: Float, _ b: Float) -> Float { a + b }
  @inline(__always) public static func minus(_ a: Float, _ b: Float) -> Float { a - b }
  @inline(__always) public static func times(_ a: Float, _ b: Float) -> Float { a * b }
  @inline(__always) public static func over(_ a: Float, _ b: Float) -> Float { a / b }
}

extension Int64: ArithmeticElement {
  @inline(__always) public static func plus(_ a: Int64, _ b: Int64) -> Int64 { a &+ b }
  @inline(__always) public static func minus(_ a: Int64, _ b: Int64) -> Int64 { a &- b }
  @inline(__always) public static func times(_ a: Int64, _ b: Int64) -> Int64 { a &* b }
  @inline(__always) public static func over(_ a: Int64, _ b: Int64) -> Int64 {
    b == -1 ? 0 &- a : a / b
  }
}

/// The arithmetic a binary op applies element by element.
public enum BinaryArithmetic: String, Sendable, CaseIterable {
  case add, subtract, multiply, divide, maximum, minimum
}

/// `a ∘ b` element-wise under broadcasting, for the chosen operation.
@inline(__always)
func broadcastBinary<E>(_ a: TensorOf<E>, _ b: TensorOf<E>, _ f: (E, E) -> E) throws -> TensorOf<E>
{
  let shape = try broadcastShape(a.shape, b.shape)
  let loop = StridedLoop(shape: shape, operands: [shape, a.shape, b.shape])
  let n = loop.rowLength
  let sa = loop.rowStride(1)
  let sb = loop.rowStride(2)
  let storage = [E](unsafeUninitializedCapacity: loop.count) { buffer, initialized in
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        guard let out = buffer.baseAddress, let x = pa.baseAddress, let y = pb.baseAddress else {
          return
        }
        var rows = loop.rows()
        while let (oo, oa, ob) = rows.next() {
          let d = out + oo
          let p = x + oa
          let q = y + ob
          // Fast paths: same shape (one long row), a per-channel or scalar operand (stride 0).
          if sa == 1 && sb == 1 {
            for i in 0..<n { (d + i).initialize(to: f(p[i], q[i])) }
          } else if sa == 1 && sb == 0 {
            let v = q.pointee
            for i in 0..<n { (d + i).initialize(to: f(p[i], v)) }
          } else if sa == 0 && sb == 1 {
            let v = p.pointee
            for i in 0..<n { (d + i).initialize(to: f(v, q[i])) }
          } else {
            for i in 0..<n { (d + i).initialize(to: f(p[i * sa], q[i * sb])) }
          }
        }
      }
    }
    initialized = loop.count
  }
  return TensorOf(shape: shape, storage: storage)
}

@inline(__always)
func arithmeticImpl<E: ArithmeticElement>(
  _ op: BinaryArithmetic, _ a: TensorOf<E>, _ b: TensorOf<E>
) throws -> TensorOf<E> {
  switch op {
  case .add: return try broadcastBinary(a, b, E.plus)
  case .subtract: return try broadcastBinary(a, b, E.minus)
  case .multiply: return try broadcastBinary(a, b, E.times)
  case .divide: return try broadcastBinary(a, b, E.over)
  case .maximum: return try broadcastBinary(a, b) { $0 >= $1 ? $0 : $1 }
  case .minimum: return try broadcastBinary(a, b) { $0 <= $1 ? $0 : $1 }
  }
}

/// `a ∘ b` element-wise with numpy broadcasting: `[N,C,H,W] ∘ [C,1,1] -> [N,C,H,W]`.
///
/// Maximum and minimum propagate NaN only from `a`'s side; ONNX leaves it unspecified.
/// - Throws: ``TensorShapeError`` when the shapes do not broadcast.
public func arithmetic(_ op: BinaryArithmetic, _ a: Tensor, _ b: Tensor) throws -> Tensor {
  try arithmeticImpl(op, a, b)
}

/// Integer `a ∘ b` with broadcasting; division truncates toward zero.
/// - Throws: ``TensorShapeError`` when the shapes do not broadcast or a divisor is zero.
public func arithmetic(_ op: BinaryArithmetic, _ a: IntTensor, _ b: IntTensor) throws -> IntTensor {
  if op == .divide && b.storage.contains(0) { throw TensorShapeError("integer division by zero") }
  return try arithmeticImpl(op, a, b)
}

/// VJP of ``arithmetic(_:_:_:)-(_,Tensor,Tensor)``: gradients for `a` and `b` given the
/// output's `y` and its gradient `g`, each summed back to its operand's shape.
///
/// Add: `(g, g)`; Sub: `(g, -g)`; Mul: `(g·b, g·a)`; Div: `(g/b, -g·y/b)`; Max/Min: `g` goes to
/// the operand that was chosen, to `a` on ties.
/// - Parameter wanted: which of the two gradients to compute.
public func arithmeticBackward(
  _ op: BinaryArithmetic, _ a: Tensor, _ b: Tensor, y: Tensor, g: Tensor, wanted: (Bool, Bool)
) throws -> (Tensor?, Tensor?) {
  var ga: Tensor? = nil
  var gb: Tensor? = nil
  switch op {
  case .add:
    if wanted.0 { ga = sumToShape(g, a.shape) }
    if wanted.1 { gb = sumToShape(g, b.shape) }
  case .subtract:
    if wanted.0 { ga = sumToShape(g, a.shape) }
    if wanted.1 { gb = sumToShape(negated(g), b.shape) }
  case .multiply:
    if wanted.0 { ga = sumToShape(try arithmetic(.multiply, g, b), a.shape) }
    if wanted.1 { gb = sumToShape(try arithmetic(.multiply, g, a), b.shape) }
  case .divide:
    if wanted.0 { ga = sumToShape(try arithmetic(.divide, g, b), a.shape) }
    if wanted.1 {
      let gy = try arithmetic(.multiply, g, y)
      gb = sumToShape(negated(try arithmetic(.divide, gy, b)), b.shape)
    }
  case .maximum, .minimum:
    // y equals a where a was chosen (ties included), so the mask is a == y.
    let ea = expandImpl(a, to: y.shape)
    if wanted.0 { ga = sumToShape(selectGradient(g, ea, y, whereEqual: true), a.shape) }
    if wanted.1 { gb = sumToShape(selectGradient(g, ea, y, whereEqual: false), b.shape) }
  }
  return (ga, gb)
}
