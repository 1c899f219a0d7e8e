"""The peers of `glimpse bench --keras`: TensorFlow (tf_keras) and onnxruntime on Keras' VGG16 and Xception.

Both models get the seeded weights Glimpse builds with `load NAME weights=random seed=1` ("Seeded Keras
weights, v1", Tests/Fixtures/generate/keras_seeded.py), so every engine computes the same numbers; speed
does not depend on the values, but this way a wrong peer set-up shows up as different logits. Times, in
milliseconds, are medians of `--repetitions` runs after one warm-up:
  tf forward       model(x, training=False) inside a tf.function (graph mode, as Keras' predict runs)
  tf gradcam       one forward and one backward of the top logit to the Grad-CAM layer (GradientTape,
                   in a tf.function), plus the weighted sum: what tf-explain's GradCAM does per class
  ort forward      onnxruntime on the same model as ONNX, made once and kept in --cache: Xception
                   exported by tf2onnx (opset 13); VGG16 written layer by layer from the Keras model
                   (tf2onnx's conversion of VGG16 needs more than 24 GB of memory)
Threads: TensorFlow intra-op = onnxruntime intra-op = --threads, inter-op 1.
Prints one JSON object: {"vgg16": {"tf forward": ms, ...}, "xception": {...}, "versions": {...}}.
Needs the venv of scripts/keras/setup-venv.sh (tensorflow-cpu, tf_keras, tf2onnx, onnxruntime).
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "Fixtures" / "generate"))

MODELS = {
    # name: (input side, input scale of the seeded input, Grad-CAM layer)
    "vgg16": (224, 120.0, "block5_conv3"),
    "xception": (299, 1.0, "block14_sepconv2_act"),
}


def median_ms(body, repetitions: int) -> float:
    body()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def vgg16_onnx(model, path: Path):
    """VGG16 as ONNX from the Keras layers: NHWC input transposed to NCHW, Conv+Relu, MaxPool, the
    features transposed back to NHWC before Flatten (Keras' order), Dense as Gemm."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    nodes, inits = [helper.make_node("Transpose", ["input"], ["x0"], perm=[0, 3, 1, 2])], []
    x = "x0"
    for layer in model.layers[1:]:
        kind, name = type(layer).__name__, layer.name
        if kind == "Conv2D":
            kernel, bias = layer.get_weights()
            inits += [numpy_helper.from_array(kernel.transpose(3, 2, 0, 1).copy(), name + "/W"),
                      numpy_helper.from_array(bias, name + "/B")]
            nodes += [helper.make_node("Conv", [x, name + "/W", name + "/B"], [name + "/pre"],
                                       pads=[1, 1, 1, 1]),
                      helper.make_node("Relu", [name + "/pre"], [name])]
        elif kind == "MaxPooling2D":
            nodes.append(helper.make_node("MaxPool", [x], [name], kernel_shape=[2, 2], strides=[2, 2]))
        elif kind == "Flatten":
            nodes += [helper.make_node("Transpose", [x], [name + "/nhwc"], perm=[0, 2, 3, 1]),
                      helper.make_node("Flatten", [name + "/nhwc"], [name])]
        elif kind == "Dense":
            kernel, bias = layer.get_weights()
            inits += [numpy_helper.from_array(kernel, name + "/W"),
                      numpy_helper.from_array(bias, name + "/B")]
            relu = layer.activation.__name__ == "relu"
            nodes.append(helper.make_node("Gemm", [x, name + "/W", name + "/B"],
                                          [name + "/pre" if relu else name]))
            if relu:
                nodes.append(helper.make_node("Relu", [name + "/pre"], [name]))
        else:
            continue
        x = name
    graph = helper.make_graph(
        nodes, "vgg16", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, 224, 224, 3])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, [None, 1000])], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--cache", default=str(ROOT / ".build" / "bench"))
    parser.add_argument("--models", default="vgg16,xception")
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # tf2onnx's from_keras works on tf.keras, which TF 2.18 makes Keras 3 unless this is set first.
    os.environ["TF_USE_LEGACY_KERAS"] = "1"

    import numpy as np
    import onnxruntime
    import tensorflow as tf
    import tf2onnx
    import tf_keras
    import keras_seeded as ks

    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    results = {"versions": {"tensorflow": tf.__version__, "tf_keras": tf_keras.__version__,
                            "onnxruntime": onnxruntime.__version__, "threads": args.threads}}
    for name in args.models.split(","):
        side, scale, layer = MODELS[name]
        build = getattr(tf_keras.applications, {"vgg16": "VGG16", "xception": "Xception"}[name])
        model = build(weights=None, classifier_activation=None)
        ks.apply_seeded(model, 1)
        x = tf.constant(ks.seeded_input(side, side, scale))
        forward = tf.function(lambda t: model(t, training=False))
        probe = tf_keras.Model(model.inputs, [model.get_layer(layer).output, model.output])

        @tf.function
        def gradcam(t):
            with tf.GradientTape() as tape:
                activations, logits = probe(t, training=False)
                score = tf.reduce_max(logits[0])
            grads = tape.gradient(score, activations)
            weights = tf.reduce_mean(grads, axis=(1, 2), keepdims=True)
            return tf.nn.relu(tf.reduce_sum(weights * activations, axis=-1))

        timings = {
            "tf forward": median_ms(lambda: forward(x).numpy(), args.repetitions),
            "tf gradcam": median_ms(lambda: gradcam(x).numpy(), args.repetitions),
        }
        onnx_path = cache / f"{name}-seed1.onnx"
        if not onnx_path.exists() and name == "vgg16":
            vgg16_onnx(model, onnx_path)
        elif not onnx_path.exists():
            spec = (tf.TensorSpec((None, side, side, 3), tf.float32, name="input"),)
            tf2onnx.convert.from_keras(model, input_signature=spec, opset=13,
                                       output_path=str(onnx_path))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = args.threads
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(onnx_path), options,
                                               providers=["CPUExecutionProvider"])
        feed = {session.get_inputs()[0].name: x.numpy()}
        timings["ort forward"] = median_ms(lambda: session.run(None, feed), args.repetitions)
        ort_logits = session.run(None, feed)[0]
        tf_logits = forward(x).numpy()
        timings["ort vs tf logits max |diff|"] = float(np.abs(ort_logits - tf_logits).max())
        results[name] = timings
    print(json.dumps(results))


if __name__ == "__main__":
    main()
