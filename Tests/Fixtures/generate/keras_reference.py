#!/usr/bin/env python3
r"""Keras reference fixtures for #8: seeded VGG16 and Xception logits and Grad-CAM maps.

Builds tf_keras.applications VGG16 and Xception (weights=None, classifier_activation=None, so the
output is the pre-softmax logits), fills them with "Seeded Keras weights, v1" (keras_seeded.py),
feeds the seeded input and writes Tests/KerasImportTests/Fixtures/reference/:

* {vgg16,xception}_seed1.json: spec, seed, input shape and scale, input spot checks, the 1000
  logits, the top-5 classes, the weighted layers in `model.layers` order with their weight names
  and shapes (the numbering L; tf_keras orders Xception's residual `conv2d` after
  `block2_sepconv2_bn`, not in construction order), spot checks of the seeded weights (first
  values and sums per layer and weight name, so the Swift generator can be checked on its own),
  and Grad-CAM maps for the top-1 class: alpha_k = mean over positions of d logit / d A_k,
  cam = relu(sum_k alpha_k A_k) on the layer's grid, unnormalised, row-major [H, W].
  Activations and gradients come from TensorFlow in float32; the weighted sum is taken in
  float64 and written as float32.
* vgg16_notop_seed1.json: the no-top VGG16 (same layer numbering) with weight spot checks and a
  summary of its `block5_pool` output on the same input.

Float32 numbers are written with the shortest decimal that round-trips to the same float32.

Usage (from the repository root; pip packages: tensorflow-cpu==2.18.*, tf_keras==2.18.*,
numpy==2.0.*; scripts/keras/setup-venv.sh makes such a venv in .venv-keras):

    .venv-keras/bin/python Tests/Fixtures/generate/keras_reference.py [--seed 1]

Runs on the CPU (CUDA is hidden); about a minute on two cores.
"""
import argparse
import json
import os
import platform
import re
import sys
import textwrap
from pathlib import Path

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import keras_seeded as ks  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "Tests/KerasImportTests/Fixtures/reference"

MODELS = {
    "vgg16": {
        "build": lambda top: tf_keras.applications.VGG16(
            weights=None, include_top=top, classifier_activation=None),
        "size": 224, "scale": 120.0,
        "cam": ["block5_conv3", "block4_conv3"],
        "spots": ["block1_conv1", "block3_conv2", "block5_conv3", "fc1", "predictions"],
    },
    "xception": {
        "build": lambda top: tf_keras.applications.Xception(
            weights=None, include_top=top, classifier_activation=None),
        "size": 299, "scale": 1.0,
        "cam": ["block14_sepconv2_act", "block6_sepconv3_act", "block1_conv1_act"],
        "spots": ["block1_conv1", "block1_conv1_bn", "block2_sepconv1", "conv2d",
                  "block14_sepconv2_bn", "predictions"],
    },
}


def f32(x) -> float:
    """A float32 as the Python float of its shortest round-trip decimal."""
    return float(repr(np.float32(x)).removeprefix("np.float32(").removesuffix(")"))


def f32_list(array) -> list:
    return [f32(x) for x in np.asarray(array, dtype=np.float32).ravel()]


def weight_spots(model, weights: dict, names: list) -> list:
    """First 4 values, float64 sum and sum of squares of every weight of the named layers."""
    index = {layer.name: i for i, layer in enumerate(ks.weighted_layers(model))}
    spots = []
    for name in names:
        for j, (weight, array) in enumerate(weights[name]):
            wide = array.astype(np.float64)
            spots.append({
                "layer": name, "layer_index": index[name], "weight": weight, "weight_index": j,
                "shape": list(array.shape), "first": f32_list(array.ravel()[:4]),
                "last": f32(array.ravel()[-1]), "sum": float(wide.sum()),
                "sum_squares": float((wide * wide).sum()),
            })
    return spots


def input_spots(x: np.ndarray) -> dict:
    wide = x.astype(np.float64)
    return {"first": f32_list(x.ravel()[:6]), "last": f32(x.ravel()[-1]),
            "sum": float(wide.sum()), "sum_squares": float((wide * wide).sum())}


def grad_cams(model, x: np.ndarray, layers: list, cls: int) -> dict:
    """Grad-CAM of logit `cls` at each layer, unnormalised, on the layer's grid."""
    probe = tf_keras.Model(model.inputs, [model.get_layer(n).output for n in layers]
                           + [model.output])
    with tf.GradientTape() as tape:
        *acts, logits = probe(x, training=False)
        target = logits[0, cls]
    grads = tape.gradient(target, acts)
    maps = {}
    for name, a, g in zip(layers, acts, grads):
        a = a.numpy()[0].astype(np.float64)  # [H, W, K]
        alpha = g.numpy()[0].astype(np.float64).mean(axis=(0, 1))  # [K]
        cam = np.maximum(a @ alpha, 0)  # [H, W]
        maps[name] = {"shape": list(cam.shape), "channels": int(a.shape[2]),
                      "max": f32(cam.max()), "map": f32_list(cam)}
    return maps


def header(name: str, seed: int, size: int, scale: float, top: bool) -> dict:
    return {
        "spec": ks.SPEC, "model": name, "include_top": top, "seed": seed,
        "framework": f"tf_keras {tf_keras.__version__} on tensorflow {tf.__version__}",
        "numpy": np.__version__, "python": platform.python_version(),
        "device": "CPU", "dtype": "float32",
        "input": {"layout": "NHWC", "shape": [1, size, size, 3], "seed": ks.INPUT_SEED,
                  "scale": scale},
    }


def reference(name: str, seed: int) -> dict:
    spec = MODELS[name]
    tf_keras.backend.clear_session()
    model = spec["build"](True)
    weights = ks.apply_seeded(model, seed)
    x = ks.seeded_input(spec["size"], spec["size"], spec["scale"])
    logits = model(x, training=False).numpy()[0]
    if not np.all(np.isfinite(logits)):
        raise SystemExit(f"{name}: non-finite logits")
    top5 = [int(i) for i in np.argsort(-logits, kind="stable")[:5]]
    out = header(name, seed, spec["size"], spec["scale"], True)
    out["input"].update(input_spots(x))
    out["logits"] = f32_list(logits)
    out["logits_summary"] = {"min": f32(logits.min()), "max": f32(logits.max()),
                             "mean": float(logits.mean()), "std": float(logits.std())}
    out["top5"] = top5
    out["weights"] = weight_spots(model, weights, spec["spots"])
    out["weighted_layers"] = layer_table(model)
    out["gradcam"] = {"class": top5[0], "target": "logit",
                      "formula": "relu(sum_k mean_hw(d logit / d A_k) * A_k), unnormalised",
                      "layers": grad_cams(model, x, spec["cam"], top5[0])}
    print(f"{name}: logits min {logits.min():.4g} max {logits.max():.4g} "
          f"std {logits.std():.4g}, top5 {top5}")
    return out


def vgg16_notop(seed: int) -> dict:
    spec = MODELS["vgg16"]
    tf_keras.backend.clear_session()
    model = spec["build"](False)
    weights = ks.apply_seeded(model, seed)
    x = ks.seeded_input(spec["size"], spec["size"], spec["scale"])
    y = model(x, training=False).numpy()  # [1, 7, 7, 512]
    wide = y.astype(np.float64)
    out = header("vgg16", seed, spec["size"], spec["scale"], False)
    out["input"].update(input_spots(x))
    out["weighted_layers"] = layer_table(model)
    out["weights"] = weight_spots(model, weights, ["block1_conv1", "block3_conv2",
                                                   "block5_conv3"])
    out["block5_pool"] = {
        "layout": "NHWC", "shape": list(y.shape), "first": f32_list(y.ravel()[:8]),
        "sum": float(wide.sum()), "sum_squares": float((wide * wide).sum()),
        "max": f32(y.max()), "channel_sums": [float(s) for s in wide.sum(axis=(0, 1, 2))],
    }
    return out


def compact(text: str) -> str:
    """Puts lists of numbers on wrapped lines of about 100 columns instead of one per line."""
    def join(match):
        items = re.split(r",\s*", match.group(1).strip())
        body = textwrap.fill(", ".join(items), 96, break_long_words=False)
        return "[\n" + textwrap.indent(body, "  ") + "\n]" if "\n" in body else f"[{body}]"
    return re.sub(r"\[\s*([-0-9.eE+]+(?:,\s*[-0-9.eE+]+)*)\s*\]", join, text)


def layer_table(model) -> list:
    """[name, [weight names], [shapes]] of every weighted layer: the numbering L of the spec."""
    return [[layer.name, [ks.short_name(w) for w in layer.weights],
             [list(w.shape) for w in layer.weights]] for layer in ks.weighted_layers(model)]


def write(path: Path, data: dict):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(compact(json.dumps(data, indent=1)) + "\n")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KiB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="*", choices=["vgg16", "xception", "vgg16_notop"])
    args = parser.parse_args()
    tf.config.experimental.enable_op_determinism()
    steps = args.only or ["vgg16", "vgg16_notop", "xception"]
    for step in steps:
        data = vgg16_notop(args.seed) if step == "vgg16_notop" else reference(step, args.seed)
        write(OUT / f"{step}_seed{args.seed}.json", data)


if __name__ == "__main__":
    main()
