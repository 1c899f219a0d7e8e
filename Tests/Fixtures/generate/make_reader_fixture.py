"""Write Tests/ModelImportTests/Fixtures/reader-cases.onnx: a small model made by the `onnx`
package itself, so ONNXReaderFixtureTests checks the hand-written reader against onnx's own
encoder (field numbers, packed and unpacked fields, every data type, every attribute type).

Usage (in a venv with `pip install onnx numpy`, outside the repository), from the package root:
    python Tests/Fixtures/generate/make_reader_fixture.py
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOATS = [1.5, -2.25, 0.0, 65504.0]
INTS = [1, -2, 3, 100]
UNSIGNED = [1, 2, 3, 200]
BOOLS = [True, False, True, True]

# (name suffix, data type, values): typed fields (raw=False) and raw_data (raw=True) for each.
CASES = [
    ("float", TensorProto.FLOAT, FLOATS, np.float32),
    ("double", TensorProto.DOUBLE, FLOATS, np.float64),
    ("float16", TensorProto.FLOAT16, FLOATS, np.float16),
    ("int8", TensorProto.INT8, INTS, np.int8),
    ("uint8", TensorProto.UINT8, UNSIGNED, np.uint8),
    ("int16", TensorProto.INT16, INTS, np.int16),
    ("uint16", TensorProto.UINT16, UNSIGNED, np.uint16),
    ("int32", TensorProto.INT32, INTS, np.int32),
    ("uint32", TensorProto.UINT32, UNSIGNED, np.uint32),
    ("int64", TensorProto.INT64, INTS, np.int64),
    ("uint64", TensorProto.UINT64, UNSIGNED, np.uint64),
    ("bool", TensorProto.BOOL, BOOLS, np.bool_),
]


def initializers():
    tensors = []
    for suffix, dtype, values, np_type in CASES:
        tensors.append(helper.make_tensor(f"typed_{suffix}", dtype, [2, 2], values))
        tensors.append(numpy_helper.from_array(
            np.array(values, dtype=np_type).reshape(2, 2), f"raw_{suffix}"))
    # bfloat16 has no numpy type: typed (int32_data) and raw bytes written by hand.
    tensors.append(helper.make_tensor("typed_bfloat16", TensorProto.BFLOAT16, [2, 2], FLOATS))
    bits = (np.array(FLOATS, dtype=np.float32).view(np.uint32) >> 16).astype("<u2")
    tensors.append(helper.make_tensor("raw_bfloat16", TensorProto.BFLOAT16, [2, 2],
                                      bits.tobytes(), raw=True))
    tensors.append(helper.make_tensor("scalar", TensorProto.FLOAT, [], [7.0]))
    tensors.append(helper.make_tensor("empty", TensorProto.FLOAT, [0, 3], []))
    return tensors


def main():
    sub = helper.make_graph([helper.make_node("Identity", ["a"], ["b"])], "body",
                            [helper.make_tensor_value_info("a", TensorProto.FLOAT, [1])],
                            [helper.make_tensor_value_info("b", TensorProto.FLOAT, [1])])
    node = helper.make_node(
        "Custom", ["x", "typed_float"], ["y"], name="all_attributes", domain="test.domain",
        f=0.5, i=-7, s="héllo", t=helper.make_tensor("t", TensorProto.INT64, [2], [4, 5]),
        g=sub, floats=[1.0, 2.5], ints=[-1, 0, 1 << 40], strings=["a", "bc"],
        tensors=[helper.make_tensor("t0", TensorProto.FLOAT, [1], [3.0]),
                 helper.make_tensor("t1", TensorProto.INT32, [2], [8, 9])])
    relu = helper.make_node("Relu", ["y"], ["z"])
    graph = helper.make_graph(
        [node, relu], "reader_cases",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, None, 5])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, None)],
        initializer=initializers(),
        value_info=[helper.make_tensor_value_info("y", TensorProto.INT64, [2])])
    model = helper.make_model(graph, producer_name="make_reader_fixture.py",
                              opset_imports=[helper.make_opsetid("", 17),
                                             helper.make_opsetid("test.domain", 1)])
    model.ir_version = 8
    onnx.save(model, "Tests/ModelImportTests/Fixtures/reader-cases.onnx")


if __name__ == "__main__":
    main()
