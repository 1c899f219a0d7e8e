"""Write the Keras weight-file fixtures of Tests/KerasImportTests/Fixtures/h5/.

One tiny Keras model (8x8x3 input; Conv2D, BatchNormalization, a bias-free SeparableConv2D, a
bias-free 1x1 Conv2D branch, Add, GlobalAveragePooling2D, Dense) with deterministic weights,
saved in the three layouts Glimpse reads:
- tiny_legacy.h5      tf_keras `model.save_weights(...)`: legacy HDF5 weights (`layer_names`).
- tiny_model.h5       tf_keras `model.save(...)`: a full legacy model, weights in `model_weights`.
- tiny.weights.h5     Keras 3 `model.save_weights(...)`: `layers/<class>/vars/<index>`.
and h5py-written files:
- tiny_keras1.h5      the layout of Keras' ImageNet files such as
                      vgg16_weights_tf_dim_ordering_tf_kernels.h5: fixed-length byte-string
                      attributes, datasets named `<layer>_W_1:0` right in the layer group (Keras 1
                      names: W, b, gamma, beta, running_mean, running_std).
- tiny_split.h5       `layer_names` and one `weight_names` split into `layer_names0`,
                      `layer_names1`, ... as Keras does for attributes over 64 KB.
- plain.h5            a random dataset and no Keras attributes (the wrong-kind case), plus
                      float16/float64/int32 datasets and fixed/variable-length string attributes
                      with known values for the HDF5 wrapper tests.
- tiny_lzf.h5         the legacy layout written by h5py with one kernel compressed by h5py's own
                      LZF filter, which libhdf5 alone cannot decode (an unreadable dataset).

Weight values (the Swift tests recompute them): weighted layer L (index in WEIGHTED), weight j
(in `layer.weights` order), element i (C order over the Keras shape) holds
    ((i * 7 + j * 31 + L * 101) % 257 - 128) / 64
which is exact in float16, float32 and float64.

Usage (in a venv with `pip install tensorflow-cpu==2.18.* tf_keras==2.18.* keras==3.15.* h5py
numpy`, outside the repository), from the package root:
    python Tests/Fixtures/generate/make_keras_h5_fixtures.py
Reruns write the same weights and structure (HDF5 files carry no timestamps here; the full-model
file's JSON config may differ between tf_keras versions).
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import h5py  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join("Tests", "KerasImportTests", "Fixtures", "h5")

# Weighted layers in model order, with their weight names and Keras shapes.
WEIGHTED = [
    ("block1_conv1", [("kernel", (3, 3, 3, 4)), ("bias", (4,))]),
    ("block1_conv1_bn", [("gamma", (4,)), ("beta", (4,)), ("moving_mean", (4,)),
                         ("moving_variance", (4,))]),
    ("block2_sepconv1", [("depthwise_kernel", (3, 3, 4, 1)), ("pointwise_kernel", (1, 1, 4, 5))]),
    ("block2_residual", [("kernel", (1, 1, 4, 5))]),
    ("predictions", [("kernel", (5, 3)), ("bias", (3,))]),
]


def value(layer, weight, shape):
    """The deterministic values of weight `weight` of weighted layer `layer`, as float32."""
    i = np.arange(int(np.prod(shape)), dtype=np.int64)
    ints = (i * 7 + weight * 31 + layer * 101) % 257 - 128
    return (ints.astype(np.float32) / np.float32(64)).reshape(shape)


def build(keras):
    """The tiny model in `keras` (tf_keras or Keras 3); both give it the same layer names."""
    layers = keras.layers
    inputs = keras.Input((8, 8, 3), name="input_1")
    x = layers.Conv2D(4, 3, padding="same", activation="relu", name="block1_conv1")(inputs)
    x = layers.BatchNormalization(name="block1_conv1_bn")(x)
    y = layers.SeparableConv2D(5, 3, padding="same", use_bias=False, name="block2_sepconv1")(x)
    y = layers.Activation("relu", name="block2_sepconv1_act")(y)
    residual = layers.Conv2D(5, 1, use_bias=False, name="block2_residual")(x)
    x = layers.Add(name="add")([y, residual])
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    outputs = layers.Dense(3, activation="softmax", name="predictions")(x)
    model = keras.Model(inputs, outputs, name="tiny")
    for index, (name, weights) in enumerate(WEIGHTED):
        layer = model.get_layer(name)
        names = [w.name.split("/")[-1].split(":")[0] for w in layer.weights]
        if names != [w for w, _ in weights]:
            sys.exit(f"{name}: weights {names}, expected {[w for w, _ in weights]}")
        layer.set_weights([value(index, j, shape) for j, (_, shape) in enumerate(weights)])
    weighted = [layer.name for layer in model.layers if layer.weights]
    if weighted != [name for name, _ in WEIGHTED]:
        sys.exit(f"weighted layer order {weighted} differs from WEIGHTED")
    return model


def write_plain(path):
    """An HDF5 file with no Keras structure, and typed members with known values."""
    rng = np.random.default_rng(8)
    with h5py.File(path, "w") as f:
        f.create_dataset("random", data=rng.standard_normal((4, 5)))
        grid = np.arange(12).reshape(3, 4)
        f.create_dataset("half", data=((grid - 6) / 4).astype(np.float16))
        f.create_dataset("double", data=((grid - 6) / 3).astype(np.float64))
        f.create_dataset("ints", data=(grid - 6).astype(np.int32))
        f.create_dataset("scalar", data=np.float32(2.5))
        f.create_dataset("text", data=np.array([b"ab", b"cd"]))
        group = f.create_group("group")
        group.attrs["vlen"] = "variable-length é"
        group.attrs["fixed"] = np.bytes_(b"fixed")
        group.attrs["fixed_array"] = np.array([b"a/kernel:0", b"bias:0", b""])
        group.attrs["vlen_array"] = np.array(["x", "yz"], dtype=h5py.string_dtype())
        group.attrs["number"] = np.int32(3)


def write_lzf(path):
    """The legacy weights layout by hand, one kernel compressed with h5py's LZF filter."""
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.array([b"block1_conv1"])
        group = f.create_group("block1_conv1")
        group.attrs["weight_names"] = np.array([b"block1_conv1/kernel:0", b"block1_conv1/bias:0"])
        (_, kernel_shape), (_, bias_shape) = WEIGHTED[0][1]
        group.create_dataset("block1_conv1/kernel:0", data=value(0, 0, kernel_shape),
                             compression="lzf")
        group.create_dataset("block1_conv1/bias:0", data=value(0, 1, bias_shape))


def write_keras1(path):
    """Three weighted layers of the tiny model in Keras 1's layout and names."""
    keras1 = {"kernel": "W", "bias": "b", "moving_mean": "running_mean",
              "moving_variance": "running_std"}
    layers = ["input_1", "block1_conv1", "block1_conv1_bn", "block1_pool", "flatten",
              "predictions"]
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.array([name.encode() for name in layers])
        for name in layers:
            group = f.create_group(name)
            found = [(i, w) for i, w in enumerate(WEIGHTED) if w[0] == name]
            if not found:
                group.attrs["weight_names"] = np.array([], dtype=np.float64)
                continue
            index, (_, weights) = found[0]
            names = [f"{name}_{keras1.get(w, w)}_1:0" for w, _ in weights]
            group.attrs["weight_names"] = np.array([n.encode() for n in names])
            for j, (weight_name, (_, shape)) in enumerate(zip(names, weights)):
                group.create_dataset(weight_name, data=value(index, j, shape))


def write_split(path):
    """The legacy layout with `layer_names` and `weight_names` split into numbered chunks."""
    strings = h5py.string_dtype()
    with h5py.File(path, "w") as f:
        f.attrs["layer_names0"] = np.array(["input_1", "block1_conv1"], dtype=strings)
        f.attrs["layer_names1"] = np.array(["avg_pool", "predictions"], dtype=strings)
        for index, name in [(None, "input_1"), (0, "block1_conv1"), (None, "avg_pool"),
                            (4, "predictions")]:
            group = f.create_group(name)
            if index is None:
                group.attrs["weight_names"] = np.array([], dtype=np.float64)
                continue
            names = [f"{name}/{w}:0" for w, _ in WEIGHTED[index][1]]
            for j, chunk in enumerate(names):
                group.attrs[f"weight_names{j}"] = np.array([chunk], dtype=strings)
            for j, (weight_name, (_, shape)) in enumerate(zip(names, WEIGHTED[index][1])):
                group.create_dataset(weight_name, data=value(index, j, shape))


def main():
    os.makedirs(OUT, exist_ok=True)
    import tf_keras

    legacy = build(tf_keras)
    legacy.save_weights(os.path.join(OUT, "tiny_legacy.h5"))
    legacy.save(os.path.join(OUT, "tiny_model.h5"))

    import keras

    if not keras.__version__.startswith("3."):
        sys.exit(f"need Keras 3 for the .weights.h5 layout, found {keras.__version__}")
    build(keras).save_weights(os.path.join(OUT, "tiny.weights.h5"))

    write_plain(os.path.join(OUT, "plain.h5"))
    write_lzf(os.path.join(OUT, "tiny_lzf.h5"))
    write_keras1(os.path.join(OUT, "tiny_keras1.h5"))
    write_split(os.path.join(OUT, "tiny_split.h5"))
    for name in sorted(os.listdir(OUT)):
        print(f"{name}: {os.path.getsize(os.path.join(OUT, name))} bytes")


if __name__ == "__main__":
    main()
