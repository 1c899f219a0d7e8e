// What an operator may declare so the executor can fuse it or keep tensors channels-last.
public import Engine

/// An operator that computes each output element from the elements at the same index of its
/// same-shaped inputs (Add, Mul, Relu, Clip, ...).
///
/// The executor runs such an op unchanged on channels-last tensors when every image input has
/// the same physical shape and any other input holds a single element: the element order
/// does not matter to it.
public protocol ElementwiseOperator: Operator {}

/// An activation a convolution can apply to its output as it writes it (a oneDNN post-op).
///
/// Contract: `backward` gives the same result when handed its output in place of its input 0
/// (true when the derivative's mask can be read from the output, e.g. Relu `y > 0`, Clip
/// `low < y < high`): once fused, the executor never sees the pre-activation tensor.
public protocol FusableActivation: Operator {
  /// The activation these inputs describe (input 0 is ignored), or nil when it cannot fuse.
  func fusedActivation(_ inputs: [Value?]) -> ConvolutionActivation?
}

/// An operator that reads its input 0 and writes its output 0 as channels-last image tensors
/// (physical shape `[N, H, W, C]`) as well as NCHW, optionally applying a fused activation.
public protocol ChannelsLastOperator: Operator {
  /// Whether `forward` can apply an activation after it (and its backward never reads its
  /// output 0, which fusion replaces by the activation's).
  var appliesActivations: Bool { get }

  /// Whether ``forward(_:layout:outputLayout:activation:)`` can run on these inputs.
  func supportsChannelsLast(_ inputs: [Value?]) -> Bool

  /// `forward` with input 0 in `layout`, output 0 written in `outputLayout`, and `activation`
  /// applied to it.
  func forward(
    _ inputs: [Value?], layout: ImageLayout, outputLayout: ImageLayout,
    activation: ConvolutionActivation
  ) throws -> [Value]
}
