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
- yj = MatMul of r [4,1,30] and s [30,9]: a 2-D B, so onnxruntime multiplies the 4 rows as one
  product (its ordinary kernel).
- yk = MatMul of t [3,2,30] and u [30,1]: one column over the 6 rows of all batches at once.
- yl = MatMul of Transpose(v [1,4,30]) and w [30,9]: as yj, A read through a transpose.
- yf = MatMul of k [1,300] and a constant [300,37]: one row, B packed at load (the ordinary kernel).
- yg = Gemm of l [1,50] and m [50,24] plus a constant [24]: one row through Gemm, C as the start.
- yh = Gemm of n [1,50] and transposed o [24,50] plus a constant [24]: one row, dot products, C last.
- yi = Gemm of p [6,200] and transposed q [20,200] plus a constant [20]: an input B through MLAS's
  ordinary kernel (K slices of its rule, fused multiply-adds).
- ym, yn, yo = MatMulInteger of DynamicQuantizeLinear(x) (uint8) and Cast(w) (int8, an input, not
  an initializer; w holds whole numbers), cast to float: one row [1,96] x [96,23], seven rows [7,96] x [96,23],
  one row per batch [2,1,96] x [2,96,5]. Uniform values, so that many adjacent pairs of uint8 x int8
  products pass 32767, where onnxruntime's AVX2 kernels (vpmaddubsw) saturate them; the script
  prints how many results differ from the exact sums.

With SEED_DIR, also writes small-matmul-seed.onnx there: one-row and one-column MatMuls and a
one-row Gemm at a few bytes, a seed for the onnx-models fuzzer (tools/fuzz/corpus/onnx-models).

Usage: tools/make-small-matmul-fixtures.py OUT_DIR [SEED_DIR]  (writes small-matmul.onnx and small-matmul.bin)
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
    "yj": ("r", [4, 1, 30], "s", [30, 9]),
    "yk": ("t", [3, 2, 30], "u", [30, 1]),
}


def spread(rng, shape):
    # Magnitudes over several binades, so that the order of rounding shows in the last bits.
    return (rng.standard_normal(shape) * np.exp2(rng.integers(-4, 4, shape))).astype(np.float32)


def tensor(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def seed_graph():
    """A few bytes that reach the one-row kernels: [1,8] x [8,5], [3,8] x [8,1], Gemm [1,6] x [4,6]^T + C."""
    nodes = [helper.make_node("MatMul", ["a", "b"], ["ya"]), helper.make_node("MatMul", ["c", "d"], ["yb"]),
             helper.make_node("Gemm", ["e", "f", "fc"], ["yc"], transB=1)]
    inputs = [tensor("a", [1, 8]), tensor("b", [8, 5]), tensor("c", [3, 8]), tensor("d", [8, 1]),
              tensor("e", [1, 6]), tensor("f", [4, 6])]
    outputs = [tensor("ya", [1, 5]), tensor("yb", [3, 1]), tensor("yc", [1, 4])]
    bias = numpy_helper.from_array(np.arange(4, dtype=np.float32), "fc")
    model = helper.make_model(helper.make_graph(nodes, "small-matmul-seed", inputs, outputs, [bias]),
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


INT8_PRODUCTS = {  # output: (A input, its shape, B input, its shape)
    "ym": ("x1", [1, 96], "w1", [96, 23]),
    "yn": ("x2", [7, 96], "w2", [96, 23]),
    "yo": ("x3", [2, 1, 96], "w3", [2, 96, 5]),
}


def add_int8_products(rng, nodes, inputs, outputs, initializers, feeds):
    for output, (a, a_shape, b, b_shape) in INT8_PRODUCTS.items():
        feeds[a] = rng.uniform(-1, 1, a_shape).astype(np.float32)
        feeds[b] = rng.integers(-127, 128, b_shape).astype(np.float32)
        zero = f"{b}_zero"
        initializers.append(numpy_helper.from_array(np.int8(0), zero))
        nodes += [helper.make_node("DynamicQuantizeLinear", [a], [f"{a}_q", f"{a}_scale", f"{a}_zero"]),
                  helper.make_node("Cast", [b], [f"{b}_q"], to=TensorProto.INT8),
                  helper.make_node("MatMulInteger", [f"{a}_q", f"{b}_q", f"{a}_zero", zero], [f"{output}_i"]),
                  helper.make_node("Cast", [f"{output}_i"], [output], to=TensorProto.FLOAT)]
        inputs += [tensor(a, a_shape), tensor(b, b_shape)]
        outputs.append(tensor(output, a_shape[:-1] + b_shape[-1:]))


def exact_int8_product(feeds, a, b):
    """The exact integer sums of one MatMulInteger of the graph, quantized as onnxruntime quantizes."""
    x = feeds[a]
    low, high = min(float(x.min()), 0), max(float(x.max()), 0)
    x_scale = np.float32((np.float32(high) - np.float32(low)) / np.float32(255))
    x_zero = np.clip(np.round(np.float32(-low) / x_scale), 0, 255)
    xq = np.clip(np.rint(x / x_scale) + x_zero, 0, 255).astype(np.int64)
    return np.matmul(xq - int(x_zero), feeds[b].astype(np.int64))


def main(out_dir, seed_dir=None):
    rng = np.random.default_rng(20261205)
    nodes, inputs, outputs, feeds = [], [], [], {}
    for output, (a, a_shape, b, b_shape) in PRODUCTS.items():
        nodes.append(helper.make_node("MatMul", [a, b], [output]))
        inputs += [tensor(a, a_shape), tensor(b, b_shape)]
        outputs.append(tensor(output, a_shape[:-1] + b_shape[-1:]))
        feeds[a], feeds[b] = spread(rng, a_shape), spread(rng, b_shape)
    initializers = []
    add_int8_products(np.random.default_rng(20261206), nodes, inputs, outputs, initializers, feeds)
    constant_b, bias, bias_i = spread(rng, (300, 37)), spread(rng, (24,)), spread(rng, (20,))
    nodes.append(helper.make_node("MatMul", ["k", "kb"], ["yf"]))
    nodes.append(helper.make_node("Gemm", ["l", "m", "mc"], ["yg"]))
    nodes.append(helper.make_node("Gemm", ["n", "o", "mc"], ["yh"], transB=1))
    nodes.append(helper.make_node("Gemm", ["p", "q", "qc"], ["yi"], transB=1))
    nodes.append(helper.make_node("Transpose", ["v"], ["vt"], perm=[1, 0, 2]))
    nodes.append(helper.make_node("MatMul", ["vt", "w"], ["yl"]))
    gemm_inputs = {"k": [1, 300], "l": [1, 50], "m": [50, 24], "n": [1, 50], "o": [24, 50], "p": [6, 200], "q": [20, 200],
                   "v": [1, 4, 30], "w": [30, 9]}
    for name, shape in gemm_inputs.items():
        inputs.append(tensor(name, shape))
        feeds[name] = spread(rng, shape)
    outputs += [tensor("yf", [1, 37]), tensor("yg", [1, 24]), tensor("yh", [1, 24]), tensor("yi", [6, 20]), tensor("yl", [4, 1, 9])]
    graph = helper.make_graph(nodes, "small-matmul", inputs, outputs,
                              [numpy_helper.from_array(constant_b, "kb"), numpy_helper.from_array(bias, "mc"),
                               numpy_helper.from_array(bias_i, "qc")] + initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    path = f"{out_dir}/small-matmul.onnx"
    onnx.save(model, path)
    names = [o.name for o in outputs]
    results = run(path, feeds, names, ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    write_bundle(f"{out_dir}/small-matmul.bin", list(feeds.items()) + list(zip(names, results)))
    by_name = dict(zip(names, results))
    for output, (a, _, b, _) in INT8_PRODUCTS.items():
        exact = exact_int8_product(feeds, a, b)
        print(f"{output}: {int((by_name[output] != exact).sum())} of {exact.size} results differ from the exact sums")
    if seed_dir:
        onnx.save(seed_graph(), f"{seed_dir}/small-matmul-seed.onnx")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(*sys.argv[1:])
