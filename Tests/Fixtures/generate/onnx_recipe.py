"""Finds how each float initializer of a tf2onnx export was made from the Keras weights.

Used by tf2onnx_export.py. For every float initializer, the node reading it names the Keras layer
(`xception/block2_sepconv1/separable_conv2d/depthwise` -> `block2_sepconv1`); the candidates are
that layer's weights under the identity, a transpose (plus a reshape to the ONNX shape), or, when
the Conv reading it writes a BatchNormalization layer's tensor (`.../block1_conv1_bn/...`), the
folding tf2onnx's optimizer applies (back_to_back_optimizer, Conv + BatchNormalization):

    s = gamma / sqrt(moving_variance + epsilon)
    weights[o, i, h, w] = kernel[h, w, i, o] * s[o]
    bias[o] = (conv_bias[o] or 0 - moving_mean[o]) * s[o] + beta[o]

all in float32. The candidate that reproduces the initializer is kept; if none does to within one
float32 ulp per element, the export is not understood and the script stops.
"""
import numpy as np
from onnx import numpy_helper

PERMS = {4: [(3, 2, 0, 1), (2, 3, 0, 1)], 2: [(1, 0)]}
KERNELS = ("kernel", "depthwise_kernel", "pointwise_kernel")


def ulps(a: np.ndarray, b: np.ndarray) -> int:
    """The largest distance in float32 ulps between same-shaped arrays."""
    def ordered(x):
        i = np.ascontiguousarray(x, dtype=np.float32).view(np.int32).astype(np.int64)
        return np.where(i < 0, -(i & 0x7FFFFFFF), i)
    return int(np.abs(ordered(a) - ordered(b)).max()) if a.size else 0


def layer_of(path: str, layers) -> str | None:
    """The first component of a `/` path that is a Keras layer name."""
    for part in path.split(":")[0].split("/"):
        if part in layers:
            return part
    return None


def fold_scale(bn: dict, epsilon: float) -> np.ndarray:
    f = np.float32
    return bn["gamma"] / np.sqrt(bn["moving_variance"] + f(epsilon))


def candidates(layer: str, weights: dict, shape: tuple, fold: tuple | None):
    """(description, array) pairs that could have produced an initializer of `shape`."""
    own = dict(weights[layer])
    if fold:
        bn_layer, epsilon = fold
        bn = dict(weights[bn_layer])
        s = fold_scale(bn, epsilon)
        for name in KERNELS:
            if name in own and own[name].ndim == 4:
                folded = (own[name] * s).transpose(3, 2, 0, 1)  # [out, in, kh, kw]
                yield {"transform": "bn_fold_weights", "weight": name}, folded
        bias = own.get("bias", np.array(0, dtype=np.float32))
        yield ({"transform": "bn_fold_bias", "weight": "bias" if "bias" in own else None},
               (bias - bn["moving_mean"]) * s + bn["beta"])
        return
    for name, array in own.items():
        if array.shape == shape:
            yield {"transform": "identity", "weight": name}, array
        perms = PERMS.get(array.ndim, [])
        if name == "depthwise_kernel":  # [kh, kw, in, mult] -> [in, mult, kh, kw] first
            perms = perms[::-1]
        for perm in perms:
            moved = array.transpose(perm)
            if moved.size == int(np.prod(shape)):
                yield ({"transform": "transpose", "weight": name, "perm": list(perm)},
                       moved.reshape(shape))


def find_recipe(graph, weights: dict, index: dict, epsilons: dict) -> list:
    """One entry per float initializer; raises SystemExit when one cannot be reproduced."""
    readers = {}
    for node in graph.node:
        for position, name in enumerate(node.input):
            readers.setdefault(name, []).append((node, position))
    recipe = []
    for tensor in graph.initializer:
        if tensor.data_type != 1:
            continue  # int64 shape arguments stay in the stripped file
        actual = np.asarray(numpy_helper.to_array(tensor))
        users = readers.get(tensor.name, [])
        if len(users) != 1:
            raise SystemExit(f"{tensor.name}: expected one reader, found {len(users)}")
        node, position = users[0]
        layer = layer_of(node.name, weights)
        if layer is None:
            raise SystemExit(f"{tensor.name}: reader {node.name} names no Keras layer")
        fold = None
        written = layer_of(node.output[0], weights)
        if node.op_type == "Conv" and written != layer and written in epsilons:
            fold = (written, epsilons[written])
        best = None
        for description, array in candidates(layer, weights, tuple(tensor.dims), fold):
            if array.shape != actual.shape:
                continue
            distance = ulps(array.astype(np.float32), actual)
            if best is None or distance < best[0]:
                best = (distance, description, array)
        if best is None or best[0] > 1:
            found = "nothing of its shape" if best is None else f"{best[0]} ulps off at best"
            raise SystemExit(f"{tensor.name} ({node.name} input {position}): no transform of "
                             f"{layer}'s weights reproduces it ({found})")
        distance, description, _ = best
        names = [n for n, _ in weights[layer]]
        entry = {"initializer": tensor.name, "onnx_shape": list(tensor.dims),
                 "reader": node.name, "reader_op": node.op_type, "reader_input": position,
                 "layer": layer, "layer_index": index[layer]}
        entry.update(description)
        if description["weight"] is not None:
            entry["weight_index"] = names.index(description["weight"])
            entry["keras_shape"] = list(dict(weights[layer])[description["weight"]].shape)
        if fold:
            entry.update({"bn_layer": fold[0], "bn_layer_index": index[fold[0]],
                          "epsilon": fold[1]})
        wide = actual.astype(np.float64)
        entry.update({"max_ulps": distance, "sum": float(wide.sum()),
                      "sum_abs": float(np.abs(wide).sum()),
                      "first": [float(repr(np.float32(v)).removeprefix("np.float32(")
                                      .removesuffix(")")) for v in actual.ravel()[:4]]})
        recipe.append(entry)
    return recipe
