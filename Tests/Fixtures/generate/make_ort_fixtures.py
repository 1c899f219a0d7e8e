#!/usr/bin/env python3
"""Builds small ONNX models with seeded weights and stores onnxruntime's outputs beside them.

Writes Tests/ModelImportTests/Fixtures/ort/<case>/model.onnx, test_data_set_0/input_i.pb and
output_i.pb (TensorProto, the layout of the onnx node cases) and ort/manifest.json, so one Swift
harness runs these and the onnx conformance cases alike.

The models cover what exporters really emit for CNN classifiers, in the forms that changed
between opsets: Clip min/max (attributes until opset 10, inputs from 11), Squeeze/Unsqueeze axes
(attribute until 12, input from 13), ReduceMean axes (attribute until 17, input from 18) and
Softmax/LogSoftmax axis semantics (2-D coercion until 12, one axis from 13). Each model is made
at opsets 11, 13 and 18 (Clip also at 10) with the form that opset defines.

Usage: python make_ort_fixtures.py [--out Tests/ModelImportTests/Fixtures]
Needs onnx and onnxruntime (scripts/bench/setup-peer-venv.sh makes such a venv).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import zlib

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

OPSETS = (11, 13, 18)


class Builder:
  """Collects nodes and seeded initializers for one graph."""

  def __init__(self, seed: int):
    self.rng = np.random.default_rng(seed)
    self.nodes: list[onnx.NodeProto] = []
    self.initializers: list[TensorProto] = []
    self.count = 0

  def weight(self, name: str, shape, scale: float | None = None) -> str:
    """A float initializer with He-like scaling (fan-in = product of all axes but the first)."""
    fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else int(shape[0])
    std = scale if scale is not None else np.sqrt(2.0 / max(fan_in, 1))
    value = (self.rng.standard_normal(shape) * std).astype(np.float32)
    self.initializers.append(numpy_helper.from_array(value, name))
    return name

  def const(self, name: str, value: np.ndarray) -> str:
    self.initializers.append(numpy_helper.from_array(value, name))
    return name

  def node(self, op: str, inputs: list[str], outputs: int = 1, **attributes) -> list[str]:
    self.count += 1
    names = [f"{op.lower()}{self.count}" + (f"_{i}" if i else "") for i in range(outputs)]
    self.nodes.append(helper.make_node(op, inputs, names, name=f"{op}_{self.count}",
                                       **attributes))
    return names

  def model(self, name: str, inputs: dict[str, tuple], output: str, opset: int,
            input_types=None) -> onnx.ModelProto:
    input_types = input_types or {}
    graph_inputs = [helper.make_tensor_value_info(n, input_types.get(n, TensorProto.FLOAT),
                                                  ["N", *shape[1:]])
                    for n, shape in inputs.items()]
    graph_output = helper.make_tensor_value_info(output, TensorProto.FLOAT, None)
    graph = helper.make_graph(self.nodes, name, graph_inputs, [graph_output], self.initializers)
    ir = 7 if opset <= 15 else 8
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="glimpse-make_ort_fixtures", ir_version=ir)
    # Declare the output's inferred shape (symbolic batch included), as exporters do.
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    model.graph.output[0].CopyFrom(inferred.graph.output[0])
    onnx.checker.check_model(model, full_check=True)
    return model


def axes_input(b: Builder, opset: int, since: int, axes: list[int], name: str) -> dict:
  """Axes as an attribute (before `since`) or as an int64 input: returns extra node arguments."""
  if opset < since:
    return {"attributes": {"axes": axes}, "inputs": []}
  return {"attributes": {}, "inputs": [b.const(name, np.array(axes, dtype=np.int64))]}


def batchnorm(opset: int, seed: int):
  b = Builder(seed)
  c = 6
  scale = b.const("bn_scale", (1 + 0.3 * b.rng.standard_normal(c)).astype(np.float32))
  bias = b.const("bn_bias", (0.2 * b.rng.standard_normal(c)).astype(np.float32))
  mean = b.const("bn_mean", (0.5 * b.rng.standard_normal(c)).astype(np.float32))
  var = b.const("bn_var", b.rng.uniform(0.2, 2.0, c).astype(np.float32))
  (y,) = b.node("BatchNormalization", ["x", scale, bias, mean, var], epsilon=1e-3)
  return b, {"x": (2, c, 5, 7)}, y


def maxpool(opset: int, seed: int):
  b = Builder(seed)
  (p1,) = b.node("MaxPool", ["x"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
  (p2,) = b.node("MaxPool", [p1], kernel_shape=[2, 3], strides=[1, 2], ceil_mode=1)
  (p3,) = b.node("MaxPool", [p2], kernel_shape=[2, 2], dilations=[1, 2], pads=[0, 1, 1, 0])
  return b, {"x": (2, 3, 13, 11)}, p3


def matmul(opset: int, seed: int):
  b = Builder(seed)
  w2 = b.weight("w2d", (12, 5))
  w3 = b.weight("w3d", (4, 5, 3))
  (a,) = b.node("MatMul", ["x", w2])     # [N, 4, 7, 12] @ [12, 5] -> [N, 4, 7, 5]
  (c,) = b.node("MatMul", [a, w3])       # [N, 4, 7, 5] @ [4, 5, 3] -> [N, 4, 7, 3]
  return b, {"x": (2, 4, 7, 12)}, c


def conv_relu(opset: int, seed: int):
  b = Builder(seed)
  w1, b1 = b.weight("conv1_w", (8, 3, 3, 3)), b.weight("conv1_b", (8,), 0.1)
  (c1,) = b.node("Conv", ["x", w1, b1], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
  (r1,) = b.node("Relu", [c1])
  w2 = b.weight("dw_w", (8, 1, 3, 3))
  (c2,) = b.node("Conv", [r1, w2], group=8, pads=[1, 2, 1, 0], dilations=[1, 2])
  (r2,) = b.node("Relu", [c2])
  w3, b3 = b.weight("group_w", (6, 4, 1, 2)), b.weight("group_b", (6,), 0.1)
  (c3,) = b.node("Conv", [r2, w3, b3], group=2, auto_pad="SAME_UPPER", strides=[1, 2])
  (r3,) = b.node("Relu", [c3])
  return b, {"x": (2, 3, 15, 12)}, r3


def classifier_head(opset: int, seed: int):
  b = Builder(seed)
  w1, b1 = b.weight("fc1_w", (10, 4 * 3 * 2)), b.weight("fc1_b", (10,), 0.1)
  w2, b2 = b.weight("fc2_w", (10, 7)), b.weight("fc2_b", (7,), 0.1)
  shape = b.const("flat_shape", np.array([0, -1], dtype=np.int64))
  (r,) = b.node("Reshape", ["x", shape])                              # [N, 24]
  (g1,) = b.node("Gemm", [r, w1, b1], transB=1, alpha=0.5, beta=2.0)  # [N, 10]
  (u,) = b.node("Reshape", [g1, b.const("grid", np.array([-1, 2, 5], dtype=np.int64))])
  (f,) = b.node("Flatten", [u], axis=1)                               # [N, 10]
  (g2,) = b.node("Gemm", [f, w2, b2])                                 # [N, 7]
  return b, {"x": (3, 4, 3, 2)}, g2


def softmax(opset: int, seed: int):
  # Axis 1 of a 4-D tensor: before opset 13 the input is coerced to 2-D [N, C*H*W].
  b = Builder(seed)
  (s,) = b.node("Softmax", ["x"], axis=1)
  (l,) = b.node("LogSoftmax", ["x"], axis=1)
  (y,) = b.node("Add", [s, l])
  (z,) = b.node("Softmax", [y], axis=-1)
  return b, {"x": (2, 3, 4, 5)}, z


def clip_reduce_squeeze(opset: int, seed: int):
  b = Builder(seed)
  if opset < 11:
    (c,) = b.node("Clip", ["x"], min=-0.5, max=0.75)
  else:
    low = b.const("clip_min", np.array(-0.5, dtype=np.float32))
    high = b.const("clip_max", np.array(0.75, dtype=np.float32))
    (c,) = b.node("Clip", ["x", low, high])
  reduce = axes_input(b, opset, 18, [2, 3], "reduce_axes")
  (m,) = b.node("ReduceMean", [c, *reduce["inputs"]], keepdims=1, **reduce["attributes"])
  # Negative axes are allowed from opset 11 on.
  squeeze = axes_input(b, opset, 13, [3, -2] if opset >= 11 else [2, 3], "squeeze_axes")
  (s,) = b.node("Squeeze", [m, *squeeze["inputs"]], **squeeze["attributes"])   # [N, C]
  unsqueeze = axes_input(b, opset, 13, [-1, 0] if opset >= 11 else [0, 3], "unsqueeze_axes")
  (u,) = b.node("Unsqueeze", [s, *unsqueeze["inputs"]], **unsqueeze["attributes"])
  if opset >= 11:
    (u,) = b.node("Clip", [u, "", b.const("clip_only_max", np.array(0.1, dtype=np.float32))])
  return b, {"x": (2, 5, 4, 3)}, u                                    # [1, N, C, 1]


def residual_gap(opset: int, seed: int):
  # A ResNet-style block and head: Conv-BN-Relu-Conv-BN + skip, global pooling, classifier.
  b = Builder(seed)
  c = 8
  (stem,) = b.node("Conv", ["x", b.weight("stem_w", (c, 3, 3, 3))], pads=[1, 1, 1, 1])
  x = stem
  for layer in range(2):
    (conv,) = b.node("Conv", [x, b.weight(f"res{layer}_w", (c, c, 3, 3))], pads=[1, 1, 1, 1])
    params = [b.const(f"res{layer}_{p}", v) for p, v in (
        ("scale", (1 + 0.2 * b.rng.standard_normal(c)).astype(np.float32)),
        ("bias", (0.1 * b.rng.standard_normal(c)).astype(np.float32)),
        ("mean", (0.1 * b.rng.standard_normal(c)).astype(np.float32)),
        ("var", b.rng.uniform(0.5, 1.5, c).astype(np.float32)))]
    (norm,) = b.node("BatchNormalization", [conv, *params])
    x = b.node("Relu", [norm])[0] if layer == 0 else norm
  (add,) = b.node("Add", [x, stem])
  (act,) = b.node("Relu", [add])
  (gap,) = b.node("GlobalAveragePool", [act])                          # [N, C, 1, 1]
  (flat,) = b.node("Flatten", [gap])                                   # [N, C]
  (fc,) = b.node("Gemm", [flat, b.weight("fc_w", (5, c)), b.weight("fc_b", (5,), 0.1)],
                 transB=1)
  (prob,) = b.node("Softmax", [fc], axis=1)
  return b, {"x": (2, 3, 9, 10)}, prob


def keras_nhwc(opset: int, seed: int):
  # What tf2onnx emits for a Keras model: an NHWC input transposed to NCHW, explicit Pad before
  # a strided Conv, swish (x * sigmoid x), a concatenated branch with AveragePool that excludes
  # padding, and a mean over the spatial axes without keepdims.
  b = Builder(seed)
  (nchw,) = b.node("Transpose", ["x"], perm=[0, 3, 1, 2])
  pads = b.const("pads", np.array([0, 0, 0, 1, 0, 0, 1, 2], dtype=np.int64))
  (padded,) = b.node("Pad", [nchw, pads])
  (conv,) = b.node("Conv", [padded, b.weight("conv_w", (6, 3, 3, 3)),
                            b.weight("conv_b", (6,), 0.1)], strides=[2, 2])
  (gate,) = b.node("Sigmoid", [conv])
  (swish,) = b.node("Mul", [conv, gate])
  (pool,) = b.node("AveragePool", [swish], kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                   count_include_pad=0)
  (maxed,) = b.node("MaxPool", [swish], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
  (joined,) = b.node("Concat", [pool, maxed], axis=1)                 # [N, 12, H, W]
  reduce = axes_input(b, opset, 18, [2, 3], "mean_axes")
  (mean,) = b.node("ReduceMean", [joined, *reduce["inputs"]], keepdims=0,
                   **reduce["attributes"])                            # [N, 12]
  (fc,) = b.node("Gemm", [mean, b.weight("fc_w", (12, 4), 0.2)])
  (tanh,) = b.node("Tanh", [fc])
  return b, {"x": (2, 11, 9, 3)}, tanh


MODELS = {
    "batchnorm": batchnorm, "maxpool": maxpool, "matmul": matmul, "conv_relu": conv_relu,
    "classifier_head": classifier_head, "softmax": softmax,
    "clip_reduce_squeeze": clip_reduce_squeeze, "residual_gap": residual_gap,
    "keras_nhwc": keras_nhwc,
}


def declare_output_shape(model: onnx.ModelProto, actual: tuple) -> None:
  """Makes the declared output shape agree with what ran: onnx's inference is wrong for
  Unsqueeze-1 with several axes, so keep its symbolic batch axis only where ranks agree."""
  dims = model.graph.output[0].type.tensor_type.shape.dim
  symbolic = [d.dim_param if d.HasField("dim_param") else None for d in dims]
  if len(symbolic) != len(actual):
    symbolic = [None] * len(actual)
  info = helper.make_tensor_value_info(model.graph.output[0].name, TensorProto.FLOAT,
                                       [s or int(n) for s, n in zip(symbolic, actual)])
  model.graph.output[0].CopyFrom(info)
  onnx.checker.check_model(model, full_check=True)


def write_case(directory: str, model: onnx.ModelProto, feeds: dict, outputs: list) -> None:
  os.makedirs(os.path.join(directory, "test_data_set_0"))
  onnx.save(model, os.path.join(directory, "model.onnx"))
  for index, (name, value) in enumerate(feeds.items()):
    tensor = numpy_helper.from_array(value, name)
    onnx.save_tensor(tensor, os.path.join(directory, "test_data_set_0", f"input_{index}.pb"))
  for index, (info, value) in enumerate(zip(model.graph.output, outputs)):
    tensor = numpy_helper.from_array(value, info.name)
    onnx.save_tensor(tensor, os.path.join(directory, "test_data_set_0", f"output_{index}.pb"))


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  here = os.path.dirname(os.path.abspath(__file__))
  default = os.path.join(here, "..", "..", "ModelImportTests", "Fixtures")
  parser.add_argument("--out", default=os.path.normpath(default))
  args = parser.parse_args()
  target = os.path.join(args.out, "ort")
  shutil.rmtree(target, ignore_errors=True)
  os.makedirs(target)

  entries = []
  for family, make in sorted(MODELS.items()):
    # Seeds from the name, so adding a model leaves the others' files unchanged.
    seed = zlib.crc32(family.encode()) % 100_000
    opsets = ((10,) + OPSETS) if family == "clip_reduce_squeeze" else OPSETS
    for opset in opsets:
      name = f"{family}_opset{opset}"
      b, inputs, output = make(opset, 1000 + seed)
      model = b.model(name, inputs, output, opset)
      rng = np.random.default_rng(2000 + seed)
      feeds = {n: rng.standard_normal(shape).astype(np.float32) for n, shape in inputs.items()}
      options = ort.SessionOptions()
      # Unoptimised graph: the reference is the ops as written, not fused kernels.
      options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
      session = ort.InferenceSession(model.SerializeToString(), options,
                                     providers=["CPUExecutionProvider"])
      outputs = session.run(None, feeds)
      declare_output_shape(model, outputs[0].shape)
      write_case(os.path.join(target, name), model, feeds, outputs)
      entries.append({
          "name": name, "op": family, "ops": sorted({n.op_type for n in model.graph.node}),
          "opset": opset, "inputs": len(feeds), "outputs": len(outputs),
          "expectedFailure": None,
      })
  manifest = {"source": "make_ort_fixtures.py", "onnx": onnx.__version__,
              "onnxruntime": ort.__version__, "cases": entries}
  with open(os.path.join(target, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
    f.write("\n")
  with open(os.path.join(target, "README.md"), "w") as f:
    f.write("# onnxruntime reference models\n\nMade by `Tests/Fixtures/generate/make_ort_fixtures.py`"
            f" (onnx {onnx.__version__}, onnxruntime {ort.__version__}): small models with seeded"
            " weights and inputs,\nand onnxruntime's outputs. `manifest.json` lists the cases;"
            " ConformanceTests.swift runs them.\n")
  print(f"{len(entries)} onnxruntime cases -> {target}")


if __name__ == "__main__":
  main()
