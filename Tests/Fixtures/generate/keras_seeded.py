"""Seeded Keras weights, v1, in numpy (the Swift side is `KerasWeights.seeded(for:seed:)`).

The spec (shared by the Swift and numpy implementations, which must agree bit for bit):

* Weighted layers are numbered L = 0, 1, ... in `model.layers` order, counting only layers with
  weights; a layer's weights are numbered j = 0, 1, ... in `layer.weights` order.
* Stream key: the first output of SplitMix64 seeded with `(seed << 32) | (L << 4) | j`.
* Element i (C order over the Keras shape) uses r_i, the (i+1)-th output of SplitMix64 seeded
  with the key: the finaliser applied to `key + (i+1) * golden (mod 2^64)`.
  u_i = float32(r_i >> 40) * 2^-24 and v_i = 2 u_i - 1, both exact in float32.
* Values, float32 arithmetic with every product rounded (no FMA): kernels v * float32(sqrt(6 /
  fan_in)); bias v * 0.05; gamma 1 + 0.1 v; beta and moving_mean 0.1 v; moving_variance
  1.25 + 0.25 v.
* Reference input, NHWC C order: v_i from SplitMix64(seed 20261128), times `scale`.

Numpy's uint64 arithmetic wraps modulo 2^64, which is what SplitMix64 needs, so the generator runs
over whole arrays (in chunks, to bound memory for VGG16's 102M-element fc1 kernel).
"""
import numpy as np

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)
INPUT_SEED = 20261128
SPEC = "Seeded Keras weights, v1"
CHUNK = 1 << 23


def finalise(z: np.ndarray) -> np.ndarray:
    """SplitMix64's output function on a uint64 array (a new array)."""
    z = (z ^ (z >> np.uint64(30))) * MIX1
    z = (z ^ (z >> np.uint64(27))) * MIX2
    return z ^ (z >> np.uint64(31))


def stream(seed: int, count: int) -> np.ndarray:
    """Outputs 1...count of SplitMix64(seed), as uint64."""
    return np.concatenate([stream_slice(seed, start, min(count, start + CHUNK))
                           for start in range(0, max(count, 1), CHUNK)])[:count]


def unit_signed(seed: int, count: int) -> np.ndarray:
    """v_i = 2 u_i - 1 in float32 for outputs 1...count of SplitMix64(seed)."""
    v = np.empty(count, dtype=np.float32)
    for start in range(0, count, CHUNK):
        stop = min(count, start + CHUNK)
        r = stream_slice(seed, start, stop)
        u = (r >> np.uint64(40)).astype(np.float32) * np.float32(2.0**-24)
        v[start:stop] = np.float32(2) * u - np.float32(1)
    return v


def stream_slice(seed: int, start: int, stop: int) -> np.ndarray:
    """Outputs start+1...stop of SplitMix64(seed)."""
    steps = np.arange(start + 1, stop + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return finalise(np.uint64(seed & ((1 << 64) - 1)) + steps * GOLDEN)


def stream_key(seed: int, layer: int, weight: int) -> int:
    """The first output of SplitMix64((seed << 32) | (layer << 4) | weight)."""
    mixed = ((seed << 32) | (layer << 4) | weight) & ((1 << 64) - 1)
    return int(stream(mixed, 1)[0])


def fan_in(name: str, shape: tuple) -> int:
    """Fan-in of a kernel by Keras' weight name and shape."""
    if name == "depthwise_kernel":
        return shape[0] * shape[1]
    if name == "pointwise_kernel":
        return shape[2]
    if len(shape) == 4:
        return shape[0] * shape[1] * shape[2]
    if len(shape) == 2:
        return shape[0]
    raise ValueError(f"no fan-in rule for a kernel of shape {shape}")


def seeded_weight(seed: int, layer: int, weight: int, name: str, shape: tuple) -> np.ndarray:
    """One weight tensor of the spec, float32 in Keras' shape."""
    count = int(np.prod(shape))
    v = unit_signed(stream_key(seed, layer, weight), count).reshape(shape)
    f = np.float32
    if name in ("kernel", "depthwise_kernel", "pointwise_kernel"):
        return v * f(np.sqrt(6.0 / fan_in(name, shape)))
    if name == "bias":
        return v * f(0.05)
    if name == "gamma":
        return f(1) + f(0.1) * v
    if name in ("beta", "moving_mean"):
        return f(0.1) * v
    if name == "moving_variance":
        return f(1.25) + f(0.25) * v
    raise ValueError(f"no seeded rule for weight `{name}`")


def short_name(variable) -> str:
    """`block1_conv1/kernel:0` -> `kernel`."""
    return variable.name.split("/")[-1].split(":")[0]


def weighted_layers(model) -> list:
    """The layers that hold weights, in `model.layers` order."""
    return [layer for layer in model.layers if layer.weights]


def seeded_weights(model, seed: int) -> dict:
    """{layer name: [(weight name, array), ...]} for every weighted layer of `model`."""
    out = {}
    for index, layer in enumerate(weighted_layers(model)):
        out[layer.name] = [
            (short_name(w), seeded_weight(seed, index, j, short_name(w), tuple(w.shape)))
            for j, w in enumerate(layer.weights)
        ]
    return out


def apply_seeded(model, seed: int) -> dict:
    """Sets the seeded weights on `model` and returns them."""
    weights = seeded_weights(model, seed)
    for layer in weighted_layers(model):
        layer.set_weights([array for _, array in weights[layer.name]])
    return weights


def seeded_input(height: int, width: int, scale: float) -> np.ndarray:
    """The reference input, NHWC [1, H, W, 3] float32."""
    v = unit_signed(INPUT_SEED, height * width * 3)
    return (v * np.float32(scale)).reshape(1, height, width, 3)
