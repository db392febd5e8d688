#!/usr/bin/env python3
"""Makes a tiny graph of fp32 products with one output row or one output column, and their outputs
from onnxruntime (one thread, its default optimized graph). MLAS multiplies these with its M = 1
kernels when B is not packed at load (B an input, not an initializer): one row as a vector times
B, one column as A's rows times a transposed vector.

small-matmul.onnx:
- ya = MatMul of a [1,300] and b [300,37]: one row, K past one slice.
- yb = MatMul of c [29,300] and d [300,1]: one column.
- yc = MatMul of e [1,70] and f [70,1]: one row and one column.
- yd = MatMul of g [4,1,64] and h [4,64,19]: one row per batch, as an attention query of one frame.
- ye = MatMul of i [3,5,40] and j [3,40,1]: one column per batch.
- yf = MatMul of k [1,300] and a constant [300,37]: one row, B packed at load (the ordinary kernel).
- yg = Gemm of l [1,50] and m [50,24] plus a constant [24]: one row through Gemm, C as the start.
- yh = Gemm of n [1,50] and transposed o [24,50] plus a constant [24]: one row, dot products, C last.
- yi = Gemm of p [6,200] and transposed q [20,200] plus a constant [20]: an input B through MLAS's
  ordinary kernel (K slices of its rule, fused multiply-adds).

Usage: tools/make-small-matmul-fixtures.py OUT_DIR  (writes small-matmul.onnx and small-matmul.bin)
"""
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from single_thread_onnxruntime import run
from tensor_bundle import write_bundle

PRODUCTS = {  # output: (A input, its shape, B input, its shape)
    "ya": ("a", [1, 300], "b", [300, 37]),
    "yb": ("c", [29, 300], "d", [300, 1]),
    "yc": ("e", [1, 70], "f", [70, 1]),
    "yd": ("g", [4, 1, 64], "h", [4, 64, 19]),
    "ye": ("i", [3, 5, 40], "j", [3, 40, 1]),
}


def spread(rng, shape):
    # Magnitudes over several binades, so that the order of rounding shows in the last bits.
    return (rng.standard_normal(shape) * np.exp2(rng.integers(-4, 4, shape))).astype(np.float32)


def tensor(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def main(out_dir):
    rng = np.random.default_rng(20261205)
    nodes, inputs, outputs, feeds = [], [], [], {}
    for output, (a, a_shape, b, b_shape) in PRODUCTS.items():
        nodes.append(helper.make_node("MatMul", [a, b], [output]))
        inputs += [tensor(a, a_shape), tensor(b, b_shape)]
        outputs.append(tensor(output, a_shape[:-1] + b_shape[-1:]))
        feeds[a], feeds[b] = spread(rng, a_shape), spread(rng, b_shape)
    constant_b, bias, bias_i = spread(rng, (300, 37)), spread(rng, (24,)), spread(rng, (20,))
    nodes.append(helper.make_node("MatMul", ["k", "kb"], ["yf"]))
    nodes.append(helper.make_node("Gemm", ["l", "m", "mc"], ["yg"]))
    nodes.append(helper.make_node("Gemm", ["n", "o", "mc"], ["yh"], transB=1))
    nodes.append(helper.make_node("Gemm", ["p", "q", "qc"], ["yi"], transB=1))
    gemm_inputs = {"k": [1, 300], "l": [1, 50], "m": [50, 24], "n": [1, 50], "o": [24, 50], "p": [6, 200], "q": [20, 200]}
    for name, shape in gemm_inputs.items():
        inputs.append(tensor(name, shape))
        feeds[name] = spread(rng, shape)
    outputs += [tensor("yf", [1, 37]), tensor("yg", [1, 24]), tensor("yh", [1, 24]), tensor("yi", [6, 20])]
    graph = helper.make_graph(nodes, "small-matmul", inputs, outputs,
                              [numpy_helper.from_array(constant_b, "kb"), numpy_helper.from_array(bias, "mc"),
                               numpy_helper.from_array(bias_i, "qc")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    path = f"{out_dir}/small-matmul.onnx"
    onnx.save(model, path)
    names = [o.name for o in outputs]
    results = run(path, feeds, names, ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    write_bundle(f"{out_dir}/small-matmul.bin", list(feeds.items()) + list(zip(names, results)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
