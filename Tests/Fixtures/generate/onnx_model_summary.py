"""Print the facts ONNXReaderModelTests checks about an ONNX file, read with the `onnx` package.

Usage (in a venv with `pip install onnx numpy`, outside the repository):
    python Tests/Fixtures/generate/onnx_model_summary.py ../shared/models/efficientnet-lite0.onnx
"""
import collections
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def summary(path):
    model = onnx.load(path)
    graph = model.graph
    inits = graph.initializer
    arrays = {t.name: numpy_helper.to_array(t) for t in inits}
    floats = [a for a in arrays.values() if a.dtype == np.float32]
    largest = max(arrays, key=lambda n: arrays[n].size)
    return {
        "ir_version": model.ir_version,
        "producer_name": model.producer_name,
        "opsets": {o.domain: o.version for o in model.opset_import},
        "nodes": len(graph.node),
        "op_counts": dict(collections.Counter(n.op_type for n in graph.node)),
        "initializers": len(inits),
        "initializer_types": dict(collections.Counter(int(t.data_type) for t in inits)),
        "raw_data_initializers": sum(1 for t in inits if t.HasField("raw_data")),
        "float_elements": int(sum(a.size for a in floats)),
        "float_sum": float(sum(a.astype(np.float64).sum() for a in floats)),
        "float_abs_sum": float(sum(np.abs(a.astype(np.float64)).sum() for a in floats)),
        "largest": {"name": largest, "dims": list(arrays[largest].shape),
                    "sum": float(arrays[largest].astype(np.float64).sum())},
        "first_initializer": {"name": inits[0].name, "dims": list(inits[0].dims),
                              "first_values": arrays[inits[0].name].ravel()[:3].tolist()},
        "inputs": [(i.name, [d.dim_value if d.HasField("dim_value") else None
                             for d in i.type.tensor_type.shape.dim]) for i in graph.input],
        "outputs": [o.name for o in graph.output],
        "first_node": {"name": graph.node[0].name, "op_type": graph.node[0].op_type,
                       "inputs": list(graph.node[0].input),
                       "attributes": {a.name: onnx.helper.get_attribute_value(a)
                                      for a in graph.node[0].attribute}},
    }


if __name__ == "__main__":
    print(json.dumps(summary(sys.argv[1]), indent=1, default=str))
