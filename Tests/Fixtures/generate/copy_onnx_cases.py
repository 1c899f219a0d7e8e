#!/usr/bin/env python3
"""Copies the ONNX backend conformance cases Glimpse should pass into the test fixtures.

Writes Tests/ModelImportTests/Fixtures/onnx-node/ and onnx-light/, each with a manifest.json.

Node cases: the onnx wheel no longer ships onnx/backend/test/data/node/, but it ships the
generators those files are made from (onnx/backend/test/case/node/*.py, numpy reference outputs,
np.random seeded with 0 before each export). This script runs them through
`onnx.backend.test.case.node.collect_testcases()` and writes each kept case in the layout of the
onnx repository (model.onnx, test_data_set_0/input_i.pb, output_i.pb), except that inputs the
op schemas call non-differentiable (shapes, axes, pads, indices, Clip bounds) become initializers,
as in exported models (listed as constantInputs), and a case stamped with an opset newer than
Glimpse's newest is restamped when its ops are unchanged but for element types. A case is kept
when every node of its graph (the single op, or an `_expanded` function body) is in GLIMPSE_OPS
and every graph input and output is a float32 or int64 tensor; training-mode cases are dropped.

Light models: onnx/backend/test/data/light/light_*.onnx (classic CNNs whose weights are made by
ConstantOfShape) with their expected output. Their input is not stored: the onnx backend runner
makes it as `(np.arange(n).reshape(shape) / n).astype(np.float32)`, symbolic axes set to 1,
and the Swift harness rebuilds the same ramp (a 224x224 input would be 600 KB per model).
onnxruntime's values of the pre-softmax logits and of one mid-network Conv output are stored
too (kept_i.pb), since constant weights make the softmax output uniform.

Usage: python copy_onnx_cases.py [--out Tests/ModelImportTests/Fixtures]  (needs onnx 1.23.x)
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

# Ops the Glimpse engine is meant to run (the team's list); the Swift test decides from the
# engine's own OperatorTable which of them are supported today.
GLIMPSE_OPS = {
    "Conv", "Gemm", "MatMul", "Relu", "Clip", "Sigmoid", "Softmax", "LogSoftmax", "MaxPool",
    "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "ReduceMean", "ReduceSum",
    "BatchNormalization", "Add", "Sub", "Mul", "Div", "Sum", "Concat", "Reshape", "Flatten",
    "Transpose", "Squeeze", "Unsqueeze", "Pad", "Identity", "Constant", "Shape", "Gather",
    "Slice", "Cast", "ConstantOfShape", "LRN", "Dropout", "LeakyRelu", "Tanh", "Exp", "Sqrt",
    "Neg", "Abs", "Erf", "Max", "Min",
}

ALLOWED_TYPES = {TensorProto.FLOAT, TensorProto.INT64}

# Cases Glimpse is known not to match, with the reason (shown by the Swift test, not failed).
EXPECTED_FAILURES: dict[str, str] = {
    "test_constant": "no runtime input: the importer folds the graph to constants and a "
                     "Glimpse network needs an input",
    "test_averagepool_3d_dilations_small": "3-D pooling: Glimpse pools 1-D and 2-D windows",
    "test_maxpool_3d_dilations": "3-D pooling: Glimpse pools 1-D and 2-D windows",
    "test_maxpool_3d_dilations_use_ref_impl": "3-D pooling: Glimpse pools 1-D and 2-D windows",
    "test_maxpool_with_argmax_2d_precomputed_strides":
        "MaxPool Indices in column-major order (storage_order=1) are not produced",
}

# Cases larger than this (3-D pooling over big volumes) are left out to keep the fixtures small.
MAX_CASE_BYTES = 64 * 1024

# The newest default-domain opset Glimpse's importer implements (ONNXImporter.supportedOpsets).
MAX_OPSET = 21

# Largest intermediate feature map stored for a light model (elements).
MAX_KEPT_ELEMENTS = 32 * 1024

# Per-case tolerances where the reference itself is looser than the default.
TOLERANCES: dict[str, dict[str, float]] = {"light_densenet121": {"rtol": 2e-3}}


def tensor_type_ok(value_info: onnx.ValueInfoProto) -> bool:
  """True for a float32 or int64 tensor value (not a sequence, map or optional)."""
  if not value_info.type.HasField("tensor_type"):
    return False
  return value_info.type.tensor_type.elem_type in ALLOWED_TYPES


def training_mode(graph: onnx.GraphProto) -> bool:
  """True when a node trains (BatchNormalization training_mode=1)."""
  for node in graph.node:
    for attribute in node.attribute:
      if attribute.name == "training_mode" and attribute.i != 0:
        return True
  return False


def primary_op(case_name: str, graph: onnx.GraphProto, op_of_case: dict[str, str]) -> str:
  """The op a case tests: its single node's type, or for an `_expanded` case (the op's
  function body in simpler ops) the op of the unexpanded case it was made from."""
  base = case_name.split("_expanded")[0]
  if base != case_name and base in op_of_case:
    return op_of_case[base]
  return "+".join(sorted({n.op_type for n in graph.node}))


def case_bytes(case) -> int:
  """Serialized size of a case's inputs and outputs."""
  inputs, outputs = case.data_sets[0]
  return sum(len(as_tensor_proto(v, "").SerializeToString()) for v in list(inputs) + list(outputs))


def schema_signature(op_type: str, opset: int, domain: str = "") -> tuple:
  """What an op's schema says beyond its type constraints: attributes, inputs, outputs."""
  schema = onnx.defs.get_schema(op_type, opset, domain)
  attributes = sorted((k, int(a.type), str(a.default_value)) for k, a in schema.attributes.items())
  return (attributes, [(i.name, int(i.option)) for i in schema.inputs],
          [(o.name, int(o.option)) for o in schema.outputs])


def restamp_opset(model: onnx.ModelProto) -> int | None:
  """Declares MAX_OPSET instead of a newer opset when every op of the graph has the same
  attributes, inputs and outputs in both (newer versions only added element types): the
  generators stamp each case with its op's latest version, past what Glimpse implements.
  Returns the original opset when it changed it."""
  stamp = next(o for o in model.opset_import if o.domain in ("", "ai.onnx"))
  if stamp.version <= MAX_OPSET:
    return None
  for node in model.graph.node:
    if schema_signature(node.op_type, stamp.version) != schema_signature(node.op_type, MAX_OPSET):
      return None
  original = stamp.version
  stamp.version = MAX_OPSET
  return original


def structural_inputs(model: onnx.ModelProto) -> set[str]:
  """Graph inputs that the op schemas mark non-differentiable in every node reading them, past
  a node's first input: shapes, axes, pads, indices, Clip bounds. Exporters store these as
  initializers, and Glimpse folds them at import, so the cases hold them as constants."""
  opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
  graph_inputs = {i.name for i in model.graph.input}
  verdict: dict[str, bool] = {}
  for node in model.graph.node:
    schema = onnx.defs.get_schema(node.op_type, opset, node.domain)
    for index, name in enumerate(node.input):
      if name not in graph_inputs:
        continue
      formal = schema.inputs[min(index, len(schema.inputs) - 1)]
      structural = index > 0 and formal.differentiation_category == (
          onnx.defs.OpSchema.DifferentiationCategory.NonDifferentiable)
      verdict[name] = verdict.get(name, True) and structural
  return {name for name, structural in verdict.items() if structural}


def fold_structural_inputs(model: onnx.ModelProto, inputs) -> tuple[list, list[str]]:
  """Moves structural inputs into initializers; returns the remaining feeds and the moved names.
  Leaves the case alone when that would leave no runtime input."""
  names = [i.name for i in model.graph.input]
  moved = structural_inputs(model)
  if not moved or len(moved) == len(names):
    return list(inputs), []
  kept_infos, kept_values = [], []
  for info, value in zip(list(model.graph.input), inputs):
    if info.name in moved:
      model.graph.initializer.append(as_tensor_proto(value, info.name))
    else:
      kept_infos.append(info)
      kept_values.append(value)
  del model.graph.input[:]
  model.graph.input.extend(kept_infos)
  return kept_values, [n for n in names if n in moved]


def as_tensor_proto(value, name: str) -> TensorProto:
  if isinstance(value, TensorProto):
    return value
  return numpy_helper.from_array(np.asarray(value), name)


def write_case(directory: str, model: onnx.ModelProto, inputs, outputs) -> None:
  os.makedirs(os.path.join(directory, "test_data_set_0"))
  with open(os.path.join(directory, "model.onnx"), "wb") as f:
    f.write(model.SerializeToString())
  for kind, values, infos in (("input", inputs, model.graph.input),
                              ("output", outputs, model.graph.output)):
    for index, (value, info) in enumerate(zip(values, infos)):
      path = os.path.join(directory, "test_data_set_0", f"{kind}_{index}.pb")
      with open(path, "wb") as f:
        f.write(as_tensor_proto(value, info.name).SerializeToString())


def copy_node_cases(out: str) -> list[dict]:
  from onnx.backend.test.case import node as node_cases

  target = os.path.join(out, "onnx-node")
  shutil.rmtree(target, ignore_errors=True)
  os.makedirs(target)
  entries, omitted = [], []
  all_cases = sorted(node_cases.collect_testcases(None), key=lambda c: c.name)
  op_of_case = {c.name: c.model.graph.node[0].op_type
                for c in all_cases if len(c.model.graph.node) == 1}
  for case in all_cases:
    graph = case.model.graph
    ops = sorted({n.op_type for n in graph.node})
    if not ops or not set(ops) <= GLIMPSE_OPS:
      continue
    if any(n.domain not in ("", "ai.onnx") for n in graph.node):
      continue
    if not all(tensor_type_ok(v) for v in list(graph.input) + list(graph.output)):
      continue
    if training_mode(graph) or len(case.data_sets) != 1:
      continue
    inputs, outputs = case.data_sets[0]
    if len(inputs) != len(graph.input) or len(outputs) != len(graph.output):
      continue
    if case_bytes(case) > MAX_CASE_BYTES:
      omitted.append(case.name)
      continue
    model = onnx.ModelProto()
    model.CopyFrom(case.model)
    feeds, folded = fold_structural_inputs(model, inputs)
    restamped = restamp_opset(model)
    write_case(os.path.join(target, case.name), model, feeds, outputs)
    opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    entries.append({
        "name": case.name, "op": primary_op(case.name, graph, op_of_case), "ops": ops,
        "opset": opset, "inputs": len(feeds), "outputs": len(outputs),
        "constantInputs": folded, "expectedFailure": EXPECTED_FAILURES.get(case.name),
    })
    if restamped:
      entries[-1]["restampedFromOpset"] = restamped
  return entries, omitted


def intermediate_references(model: onnx.ModelProto, feeds: dict) -> list[tuple[str, np.ndarray]]:
  """onnxruntime's values of two intermediates: the logits before the last Softmax and a
  Conv output near the middle (at most MAX_KEPT_ELEMENTS). With ConstantOfShape weights every
  class gets the same score, so the stored softmax output is uniform and says little; these
  values check the arithmetic (the logits' size) and the spatial ops (a feature map's borders)."""
  import onnxruntime as ort

  softmax = [n for n in model.graph.node if n.op_type == "Softmax"]
  names = [softmax[-1].input[0]] if softmax else []
  convs = [n.output[0] for n in model.graph.node if n.op_type == "Conv"]
  probe = onnx.ModelProto()
  probe.CopyFrom(model)
  probe.graph.output.extend([onnx.ValueInfoProto(name=c) for c in convs])
  options = ort.SessionOptions()
  options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
  options.log_severity_level = 3
  session = ort.InferenceSession(probe.SerializeToString(), options,
                                 providers=["CPUExecutionProvider"])
  conv_values = dict(zip(convs, session.run(convs, feeds)))
  small = [c for c in convs if conv_values[c].size <= MAX_KEPT_ELEMENTS]
  if small:
    names.append(min(small, key=lambda c: abs(convs.index(c) - len(convs) // 2)))
  probe.graph.output.extend([onnx.ValueInfoProto(name=n) for n in names[:1]])
  session = ort.InferenceSession(probe.SerializeToString(), options,
                                 providers=["CPUExecutionProvider"])
  return list(zip(names, session.run(names, feeds)))


def copy_light_models(out: str) -> list[dict]:
  source = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data", "light")
  target = os.path.join(out, "onnx-light")
  shutil.rmtree(target, ignore_errors=True)
  os.makedirs(target)
  entries = []
  for path in sorted(glob.glob(os.path.join(source, "light_*.onnx"))):
    name = os.path.splitext(os.path.basename(path))[0]
    model = onnx.load(path)
    initializers = {t.name for t in model.graph.initializer}
    runtime_inputs = [i for i in model.graph.input if i.name not in initializers]
    shapes = [[d.dim_value if d.HasField("dim_value") else 1
               for d in i.type.tensor_type.shape.dim] for i in runtime_inputs]
    directory = os.path.join(target, name)
    os.makedirs(os.path.join(directory, "test_data_set_0"))
    shutil.copyfile(path, os.path.join(directory, "model.onnx"))
    for index in range(len(model.graph.output)):
      shutil.copyfile(f"{os.path.splitext(path)[0]}_output_{index}.pb",
                      os.path.join(directory, "test_data_set_0", f"output_{index}.pb"))
    feeds = {}
    for info, shape in zip(runtime_inputs, shapes):
      count = int(np.prod(shape))
      feeds[info.name] = (np.arange(count).reshape(shape) / count).astype(np.float32)
    kept = intermediate_references(model, feeds)
    for index, (value_name, value) in enumerate(kept):
      onnx.save_tensor(numpy_helper.from_array(value, value_name),
                       os.path.join(directory, "test_data_set_0", f"kept_{index}.pb"))
    opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    entry = {
        "name": name, "op": "model", "ops": sorted({n.op_type for n in model.graph.node}),
        "opset": opset, "inputs": len(runtime_inputs), "outputs": len(model.graph.output),
        # The ramp the onnx runner feeds: element i of n is Float(Double(i) / Double(n)).
        "rampInputShapes": shapes,
        # Intermediate values checked too (test_data_set_0/kept_i.pb, from onnxruntime).
        "keptValues": [value_name for value_name, _ in kept],
        "expectedFailure": EXPECTED_FAILURES.get(name),
    }
    entry.update(TOLERANCES.get(name, {}))
    entries.append(entry)
  return entries


NOTICE = """# {title}

Made by `Tests/Fixtures/generate/copy_onnx_cases.py` from the `onnx` Python package {version}
({what}); `manifest.json` lists the cases. ConformanceTests.swift runs them.

The test data and models come from the ONNX project (Copyright (c) ONNX Project Contributors),
licensed under the Apache License 2.0.
"""


def write_notice(directory: str, title: str, what: str) -> None:
  with open(os.path.join(directory, "README.md"), "w") as f:
    f.write(NOTICE.format(title=title, version=onnx.__version__, what=what))


def write_manifest(path: str, source: str, entries: list[dict], omitted=()) -> None:
  manifest = {"source": source, "onnx": onnx.__version__, "cases": entries}
  if omitted:
    manifest["omittedTooLarge"] = list(omitted)
  with open(path, "w") as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
    f.write("\n")


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  here = os.path.dirname(os.path.abspath(__file__))
  default = os.path.join(here, "..", "..", "ModelImportTests", "Fixtures")
  parser.add_argument("--out", default=os.path.normpath(default))
  args = parser.parse_args()
  if not onnx.__version__.startswith("1.23"):
    print(f"warning: made for onnx 1.23.x, running {onnx.__version__}", file=sys.stderr)

  node_entries, omitted = copy_node_cases(args.out)
  write_manifest(os.path.join(args.out, "onnx-node", "manifest.json"),
                 "onnx.backend.test.case.node (copy_onnx_cases.py)", node_entries, omitted)
  write_notice(os.path.join(args.out, "onnx-node"), "ONNX backend node cases",
               "the node test generators in onnx/backend/test/case/node")
  light_entries = copy_light_models(args.out)
  write_notice(os.path.join(args.out, "onnx-light"), "ONNX backend light models",
               "onnx/backend/test/data/light; kept_i.pb values computed with onnxruntime")
  write_manifest(os.path.join(args.out, "onnx-light", "manifest.json"),
                 "onnx/backend/test/data/light (copy_onnx_cases.py)", light_entries)
  print(f"{len(node_entries)} node cases, {len(light_entries)} light models -> {args.out}")


if __name__ == "__main__":
  main()
