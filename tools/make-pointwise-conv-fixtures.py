#!/usr/bin/env python3
"""Makes a tiny graph of pointwise (1x1) 1-D convolutions with constant weights, the shapes that
exercise the three weight layouts of the runtime's packed pointwise kernel, and their outputs from
onnxruntime (one thread, its default optimized graph).

pointwise-conv.onnx:
- ya = Conv of xa [1,33,1] to 20 channels, bias: one position, a single output column.
- yb = Conv of xb [1,300,3] to 37 channels, bias: three positions.
- yc = Conv of xc [2,1100,5] to 23 channels, no bias: two images, input channels past one K slice.
- yd = Conv of xd [1,64,8] to 40 channels, bias: eight positions, the widest plane whose tiles span
  output channels.
- ye = Conv of xe [1,48,9] to 13 channels, bias: nine positions, tiles spanning positions.
- yf = Conv of xf [1,40,16] to 24 channels, bias: a full tile of sixteen positions.

With SEED_DIR, also writes pointwise-conv-seed.onnx there: the same kind of graph at a few bytes (8
channels to 5 over 2 positions, then to 3 over 1), a seed for the onnx-models fuzzer
(tools/fuzz/corpus/onnx-models).

Usage: tools/make-pointwise-conv-fixtures.py OUT_DIR [SEED_DIR]  (writes pointwise-conv.onnx and pointwise-conv.bin)
"""
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from single_thread_onnxruntime import run
from tensor_bundle import write_bundle

CASES = {  # name: (batch, channels, positions, output channels, bias)
    "a": (1, 33, 1, 20, True),
    "b": (1, 300, 3, 37, True),
    "c": (2, 1100, 5, 23, False),
    "d": (1, 64, 8, 40, True),
    "e": (1, 48, 9, 13, True),
    "f": (1, 40, 16, 24, True),
}


def spread(rng, shape):
    # Magnitudes over several binades, so that the order of rounding shows in the last bits.
    return (rng.standard_normal(shape) * np.exp2(rng.integers(-4, 4, shape))).astype(np.float32)


def graph_of(cases, rng):
    """The model of `cases` and random inputs for it."""
    nodes, inputs, outputs, weights, feeds = [], [], [], [], {}
    for name, (batch, channels, positions, out_channels, bias) in cases.items():
        w = spread(rng, (out_channels, channels, 1))
        weights.append(numpy_helper.from_array(w, "w" + name))
        node_inputs = ["x" + name, "w" + name]
        if bias:
            weights.append(numpy_helper.from_array(spread(rng, (out_channels,)), "b" + name))
            node_inputs.append("b" + name)
        nodes.append(helper.make_node("Conv", node_inputs, ["y" + name], kernel_shape=[1]))
        inputs.append(helper.make_tensor_value_info("x" + name, TensorProto.FLOAT, [batch, channels, positions]))
        outputs.append(helper.make_tensor_value_info("y" + name, TensorProto.FLOAT, [batch, out_channels, positions]))
        feeds["x" + name] = spread(rng, (batch, channels, positions))
    graph = helper.make_graph(nodes, "pointwise-conv", inputs, outputs, weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model, feeds


def main(out_dir, seed_dir=None):
    rng = np.random.default_rng(20261205)
    model, feeds = graph_of(CASES, rng)
    path = f"{out_dir}/pointwise-conv.onnx"
    onnx.save(model, path)
    names = ["y" + name for name in CASES]
    results = run(path, feeds, names, ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    write_bundle(f"{out_dir}/pointwise-conv.bin", list(feeds.items()) + list(zip(names, results)))
    if seed_dir:
        seed, _ = graph_of({"a": (1, 8, 2, 5, True), "b": (1, 8, 1, 3, False)}, np.random.default_rng(20261206))
        onnx.save(seed, f"{seed_dir}/pointwise-conv-seed.onnx")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(*sys.argv[1:])
