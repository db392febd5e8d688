#!/usr/bin/env python3
"""Makes Tests/RuntimeTests/Fixtures/shape-arithmetic.onnx: a graph whose Reshape target is computed
from the input's shape at run time, as unexported or dynamic-batch graphs do:

    s = Shape(x)                      x: [batch, 6, 4], batch symbolic
    shape = Concat(Unsqueeze(Gather(s, 0)), [2], Unsqueeze(Gather(s, 1) * Gather(s, 2) / 2))
    z = Reshape(x, shape) + 1         z: [batch, 2, 12]

Specialization must fold all of the shape arithmetic (Shape, Gather, Mul, Div, Unsqueeze, Concat)
and turn Reshape into a view, leaving one Add.

Usage: tools/make-shape-arithmetic-graph.py OUT_DIR
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main(out_dir):
    n = helper.make_node
    constants = [
        numpy_helper.from_array(np.array(0, dtype=np.int64), "zero"),
        numpy_helper.from_array(np.array(1, dtype=np.int64), "one"),
        numpy_helper.from_array(np.array(2, dtype=np.int64), "two"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "axes"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "two_row"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one_float"),
    ]
    nodes = [
        n("Shape", ["x"], ["s"]),
        n("Gather", ["s", "zero"], ["batch"], axis=0),
        n("Unsqueeze", ["batch", "axes"], ["batch_row"]),
        n("Gather", ["s", "one"], ["d1"], axis=0),
        n("Gather", ["s", "two"], ["d2"], axis=0),
        n("Mul", ["d1", "d2"], ["product"]),
        n("Div", ["product", "two"], ["half"]),
        n("Unsqueeze", ["half", "axes"], ["half_row"]),
        n("Concat", ["batch_row", "two_row", "half_row"], ["shape"], axis=0),
        n("Reshape", ["x", "shape"], ["y"]),
        n("Add", ["y", "one_float"], ["z"]),
    ]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 6, 4])
    z = helper.make_tensor_value_info("z", TensorProto.FLOAT, ["batch", 2, 12])
    graph = helper.make_graph(nodes, "shape-arithmetic", [x], [z], initializer=constants)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, f"{out_dir}/shape-arithmetic.onnx")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
