#!/usr/bin/env python3
"""Makes a tiny graph whose results depend on the order in which onnxruntime rounds sums, and its
outputs from onnxruntime with graph optimizations off (the order of each operator's own kernel).

rounding-order.onnx:
- y2d = depthwise Conv 2-D of x2d [1,3,6,9] (3x5 kernel, pads 1,2,1,2): 15 taps, four-tap blocks
  then a pair then a single tap.
- y1d = depthwise Conv 1-D of x1d [1,4,10] (6 taps, pads 5,0 like a causal convolution).
- sum / mean = ReduceSum / ReduceMean of r [2,7,5] over axis 1 (between kept axes): 7 elements,
  one four-element block, a pair and a single element.
- yg = grouped Conv 1-D of xg [1,6,3] (2 groups of 3 channels, 7 filters each, 5 taps, pads 1,1):
  one output value per filter, so a product with a single output column (15-element dot products
  in 8 lanes; filters in fours, then a pair, then a single one).
- yw2d / yw1d = depthwise Conv of xw2d [1,2,8,9] (3x9 kernel) and xw1d [1,2,11] (11 taps), no
  padding: kernels as wide as the input, which MLAS reads in place as a transposed B (27- and
  11-element dot products in 8 lanes; output rows in fours, then a pair, then a single one).
- g = Gemm of a [1,300] with a constant transposed B [40,300] plus bias [40]: K slices 256 + 44.
rounding-order.bin: the inputs (seeded, spread over several magnitudes so that any other
summation order changes some last bits) and onnxruntime's outputs.

Usage: tools/make-rounding-fixtures.py OUT_DIR
"""
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from tensor_bundle import write_bundle


def tensor(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def spread(rng, shape):
    """Values of mixed sign and magnitude (1e-2 .. 1e2)."""
    return (rng.standard_normal(shape) * 10.0 ** rng.uniform(-2, 2, shape)).astype(np.float32)


def main(out_dir):
    rng = np.random.default_rng(20261124)
    w2d, b2d = spread(rng, (3, 1, 3, 5)), spread(rng, (3,))
    w1d, b1d = spread(rng, (4, 1, 6)), spread(rng, (4,))
    wg, bg = spread(rng, (14, 3, 5)), spread(rng, (14,))
    gb, gc = spread(rng, (40, 300)), spread(rng, (40,))
    ww2d, bw2d = spread(rng, (2, 1, 3, 9)), spread(rng, (2,))
    ww1d, bw1d = spread(rng, (2, 1, 11)), spread(rng, (2,))
    nodes = [
        helper.make_node("Conv", ["x2d", "w2d", "b2d"], ["y2d"], group=3, kernel_shape=[3, 5], pads=[1, 2, 1, 2]),
        helper.make_node("Conv", ["x1d", "w1d", "b1d"], ["y1d"], group=4, kernel_shape=[6], pads=[5, 0]),
        helper.make_node("ReduceSum", ["r", "axes"], ["sum"], keepdims=0),
        helper.make_node("ReduceMean", ["r"], ["mean"], axes=[1], keepdims=0),
        helper.make_node("Conv", ["xg", "wg", "bg"], ["yg"], group=2, kernel_shape=[5], pads=[1, 1]),
        helper.make_node("Gemm", ["a", "gb", "gc"], ["g"], transB=1),
        helper.make_node("Conv", ["xw2d", "ww2d", "bw2d"], ["yw2d"], group=2, kernel_shape=[3, 9]),
        helper.make_node("Conv", ["xw1d", "ww1d", "bw1d"], ["yw1d"], group=2, kernel_shape=[11]),
    ]
    initializers = [numpy_helper.from_array(w2d, "w2d"), numpy_helper.from_array(b2d, "b2d"),
                    numpy_helper.from_array(w1d, "w1d"), numpy_helper.from_array(b1d, "b1d"),
                    numpy_helper.from_array(np.array([1], dtype=np.int64), "axes"),
                    numpy_helper.from_array(wg, "wg"), numpy_helper.from_array(bg, "bg"),
                    numpy_helper.from_array(gb, "gb"), numpy_helper.from_array(gc, "gc"),
                    numpy_helper.from_array(ww2d, "ww2d"), numpy_helper.from_array(bw2d, "bw2d"),
                    numpy_helper.from_array(ww1d, "ww1d"), numpy_helper.from_array(bw1d, "bw1d")]
    graph = helper.make_graph(nodes, "rounding-order",
                              [tensor("x2d", [1, 3, 6, 9]), tensor("x1d", [1, 4, 10]), tensor("r", [2, 7, 5]),
                               tensor("xg", [1, 6, 3]), tensor("a", [1, 300]), tensor("xw2d", [1, 2, 8, 9]),
                               tensor("xw1d", [1, 2, 11])],
                              [tensor("y2d", [1, 3, 6, 9]), tensor("y1d", [1, 4, 10]), tensor("sum", [2, 5]),
                               tensor("mean", [2, 5]), tensor("yg", [1, 14, 1]), tensor("g", [1, 40]),
                               tensor("yw2d", [1, 2, 6, 1]), tensor("yw1d", [1, 2, 1])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, f"{out_dir}/rounding-order.onnx")

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(f"{out_dir}/rounding-order.onnx", sess_options=options,
                                   providers=["CPUExecutionProvider"])
    feeds = {"x2d": spread(rng, (1, 3, 6, 9)), "x1d": spread(rng, (1, 4, 10)), "r": spread(rng, (2, 7, 5)),
             "xg": spread(rng, (1, 6, 3)), "a": spread(rng, (1, 300)), "xw2d": spread(rng, (1, 2, 8, 9)),
             "xw1d": spread(rng, (1, 2, 11))}
    outputs = ["y2d", "y1d", "sum", "mean", "yg", "g", "yw2d", "yw1d"]
    results = session.run(outputs, feeds)
    write_bundle(f"{out_dir}/rounding-order.bin", list(feeds.items()) + list(zip(outputs, results)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
