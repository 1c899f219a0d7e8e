#!/usr/bin/env python3
"""Writes a VGG16-architecture ONNX classifier with seeded random weights (no trained weights).

The benchmark model: 224x224x3 input (NCHW, batch axis symbolic), 13 3x3 convolutions in five
blocks with 2x2 max pooling, fc1 and fc2 (4096) and predictions (1000 classes, softmax), 138.4M
parameters (553 MB of float32 raw_data initializers). Weights are He-scaled normal
(std = sqrt(2 / fan_in)) so activations keep their scale through the ReLUs; biases are small.
Tensor names follow Keras' VGG16: a layer's output carries the layer name (block1_conv1 ...
block5_pool, flatten, fc1, fc2, predictions, post-activation as in Keras), its parameters
`<layer>/kernel` and `<layer>/bias`, pre-activation values `<layer>/preact`.

Usage: make_vgg16_random.py OUT.onnx [--seed 0] [--opset 13]   (write OUT outside the repository,
or to a git-ignored path: the file is 553 MB)
"""
from __future__ import annotations

import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

BLOCKS = [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]
DENSE = [("fc1", 4096, "Relu"), ("fc2", 4096, "Relu"), ("predictions", 1000, "Softmax")]


def build(seed: int, opset: int) -> onnx.ModelProto:
  rng = np.random.default_rng(seed)
  nodes, initializers = [], []

  def parameter(name: str, shape: tuple, fan_in: int | None) -> str:
    if fan_in is None:
      value = (0.01 * rng.standard_normal(shape, dtype=np.float32)).astype(np.float32)
    else:
      value = rng.standard_normal(shape, dtype=np.float32) * np.float32(np.sqrt(2.0 / fan_in))
    initializers.append(numpy_helper.from_array(value, name))
    return name

  x, channels = "input_1", 3
  for block, (width, convs) in enumerate(BLOCKS, start=1):
    for index in range(1, convs + 1):
      layer = f"block{block}_conv{index}"
      kernel = parameter(f"{layer}/kernel", (width, channels, 3, 3), channels * 9)
      bias = parameter(f"{layer}/bias", (width,), None)
      nodes.append(helper.make_node("Conv", [x, kernel, bias], [f"{layer}/preact"],
                                    name=f"{layer}/Conv", kernel_shape=[3, 3],
                                    pads=[1, 1, 1, 1]))
      nodes.append(helper.make_node("Relu", [f"{layer}/preact"], [layer], name=f"{layer}/Relu"))
      x, channels = layer, width
    pool = f"block{block}_pool"
    nodes.append(helper.make_node("MaxPool", [x], [pool], name=pool, kernel_shape=[2, 2],
                                  strides=[2, 2]))
    x = pool
  nodes.append(helper.make_node("Flatten", [x], ["flatten"], name="flatten", axis=1))
  x, features = "flatten", channels * 7 * 7                            # [N, 25088]
  for layer, width, activation in DENSE:
    kernel = parameter(f"{layer}/kernel", (features, width), features)  # Keras' [in, out]
    bias = parameter(f"{layer}/bias", (width,), None)
    nodes.append(helper.make_node("Gemm", [x, kernel, bias], [f"{layer}/preact"],
                                  name=f"{layer}/Gemm"))
    attributes = {"axis": 1} if activation == "Softmax" else {}
    nodes.append(helper.make_node(activation, [f"{layer}/preact"], [layer],
                                  name=f"{layer}/{activation}", **attributes))
    x, features = layer, width

  graph = helper.make_graph(
      nodes, "vgg16_random",
      [helper.make_tensor_value_info("input_1", TensorProto.FLOAT, ["N", 3, 224, 224])],
      [helper.make_tensor_value_info("predictions", TensorProto.FLOAT, ["N", 1000])],
      initializers)
  model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                            producer_name="glimpse-make_vgg16_random", ir_version=8)
  onnx.checker.check_model(model)
  return model


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("out")
  parser.add_argument("--seed", type=int, default=0)
  parser.add_argument("--opset", type=int, default=13)
  args = parser.parse_args()
  model = build(args.seed, args.opset)
  parameters = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
  onnx.save(model, args.out)
  print(f"{args.out}: {parameters} parameters, {os.path.getsize(args.out) / 1e6:.1f} MB")


if __name__ == "__main__":
  main()
