#!/usr/bin/env python3
r"""A tf2onnx export of the seeded Xception, stripped of its weights, with a recipe to rebuild them.

Exports tf_keras' Xception (softmax head, as users export it) filled with "Seeded Keras weights,
v1" (keras_seeded.py) through `tf2onnx.convert.from_keras` at opset 13. The export is ~90 MB, so
what is committed to Tests/KerasImportTests/Fixtures/tf2onnx/ is:

* xception_seed1_stripped.onnx: the exported graph with every float initializer removed;
* xception_seed1_recipe.json: for each removed initializer, the Keras layer and weight it came
  from and the transform (a transpose and reshape, or tf2onnx's BatchNorm folding into the
  preceding Conv with its formula and epsilon), the spec's layer and weight numbers (L, j) so the
  Swift test can regenerate the Keras weight, and a checksum of the initializer;
* xception_seed1_names.json: every node's name, op type, inputs and outputs in graph order, for
  the Keras layer name tests.

The transforms are found, not assumed: each removed initializer is matched against the candidate
transforms of its consumer's layer and must be reproduced from the seeded Keras weights exactly
(bit for bit), else the script fails. onnxruntime then runs the full export on the seeded input
and its pre-softmax logits are compared with the Keras ones in reference/xception_seed1.json.

Usage (from the repository root; pip packages: tensorflow-cpu==2.18.*, tf_keras==2.18.*,
tf2onnx==1.17.*, onnx==1.17.*, onnxruntime, numpy==2.0.*; scripts/keras/setup-venv.sh):

    .venv-keras/bin/python Tests/Fixtures/generate/tf2onnx_export.py [--keep FULL.onnx]

`--keep` saves the full export too (not for the repository). About a minute on two cores.
Reruns give the same files except for the numbers in tf2onnx's `const_fold_opt__N` names (the
folded depthwise kernels), which tf2onnx hands out in an order that varies from run to run.
"""
import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

# tf2onnx's from_keras uses tf.keras; TF 2.18's tf.keras is Keras 3 unless this is set first.
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf2onnx  # noqa: E402
import tf_keras  # noqa: E402
from onnx import numpy_helper  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import keras_seeded as ks  # noqa: E402
from onnx_recipe import find_recipe  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "Tests/KerasImportTests/Fixtures/tf2onnx"
REFERENCE = ROOT / "Tests/KerasImportTests/Fixtures/reference"
OPSET = 13
LOGITS = "predictions/BiasAdd"


def export(seed: int, path: Path):
    """Exports the seeded Xception; returns the model and its seeded Keras weights."""
    tf_keras.backend.clear_session()
    model = tf_keras.applications.Xception(weights=None)
    weights = ks.apply_seeded(model, seed)
    signature = (tf.TensorSpec((None, 299, 299, 3), tf.float32, name="input_1"),)
    tf2onnx.convert.from_keras(model, input_signature=signature, opset=OPSET,
                               output_path=str(path))
    return model, weights


def logits_name(graph) -> str:
    """The tensor of the Dense layer's bias addition (the pre-softmax logits)."""
    names = [o for n in graph.node for o in n.output if o.split(":")[0].endswith(LOGITS)]
    if len(names) != 1:
        raise SystemExit(f"expected one `{LOGITS}` tensor, found {names}")
    return names[0]


def run_export(path: Path, logits: str, x: np.ndarray) -> np.ndarray:
    """The export's logits for `x` under onnxruntime (the logits added as a graph output)."""
    model = onnx.load(str(path))
    model.graph.output.append(onnx.helper.make_tensor_value_info(logits, onnx.TensorProto.FLOAT,
                                                                 None))
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run([logits], {"input_1": x})[0][0]


def strip(model, removed: set):
    """A copy of `model` without the removed initializers."""
    stripped = onnx.ModelProto()
    stripped.CopyFrom(model)
    keep = [t for t in stripped.graph.initializer if t.name not in removed]
    del stripped.graph.initializer[:]
    stripped.graph.initializer.extend(keep)
    return stripped


def node_table(graph) -> list:
    return [{"name": n.name, "op": n.op_type, "inputs": list(n.input), "outputs": list(n.output)}
            for n in graph.node]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="also save the full export here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = args.keep or Path(scratch) / "xception.onnx"
        keras_model, weights = export(args.seed, path)
        model = onnx.load(str(path))
        graph = model.graph
        index = {layer.name: i for i, layer in enumerate(ks.weighted_layers(keras_model))}
        epsilons = {layer.name: float(np.float32(layer.epsilon))
                    for layer in keras_model.layers if hasattr(layer, "moving_variance")}
        recipe = find_recipe(graph, weights, index, epsilons)
        logits = logits_name(graph)
        x = ks.seeded_input(299, 299, 1.0)
        onnx_logits = run_export(path, logits, x)
        size = path.stat().st_size

    reference = json.loads((REFERENCE / f"xception_seed{args.seed}.json").read_text())
    keras_logits = np.array(reference["logits"], dtype=np.float32)
    error = float(np.abs(onnx_logits - keras_logits).max() / np.abs(keras_logits).max())
    print(f"onnxruntime vs Keras logits: max |diff| / max |logit| = {error:.3g}")
    if error > 1e-5:
        raise SystemExit("the export does not reproduce the Keras logits")

    removed = {entry["initializer"] for entry in recipe}
    OUT.mkdir(parents=True, exist_ok=True)
    stem = f"xception_seed{args.seed}"
    onnx.save(strip(model, removed), str(OUT / f"{stem}_stripped.onnx"))
    folded = sorted({e["bn_layer"] for e in recipe if e["transform"].startswith("bn_fold")})
    summary = {
        "spec": ks.SPEC, "seed": args.seed, "model": "xception", "classifier_activation": "softmax",
        "exporter": f"tf2onnx {tf2onnx.__version__} (from_keras, opset {OPSET}) on tensorflow "
                    f"{tf.__version__}, tf_keras {tf_keras.__version__}",
        "full_export_bytes": size, "input": {"name": "input_1", "layout": "NHWC"},
        "logits_tensor": logits, "output": [o.name for o in graph.output],
        "onnxruntime_logits_error": error, "folded_batch_norms": folded,
        "formulas": {
            "transpose": "onnx = reshape(transpose(keras, perm), onnx_shape)",
            "bn_fold_weights": "s = gamma / sqrt(moving_variance + epsilon); "
                               "onnx[o, i, h, w] = kernel[h, w, i, o] * s[o] (float32)",
            "bn_fold_bias": "s as above; onnx[o] = (bias[o] or 0 - moving_mean[o]) * s[o] "
                            "+ beta[o] (float32, each operation rounded)",
        },
        "initializers": recipe,
    }
    (OUT / f"{stem}_recipe.json").write_text(json.dumps(summary, indent=1) + "\n")
    rows = ",\n".join(json.dumps(row) for row in node_table(graph))
    (OUT / f"{stem}_names.json").write_text(f'{{"nodes": [\n{rows}\n]}}\n')
    print(f"{len(recipe)} initializers removed and reproduced; BN folded into Conv for "
          f"{len(folded)} layers; full export {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
