#!/usr/bin/env python3
"""Makes Tests/RuntimeTests/Fixtures/per-channel-int8.onnx and per-channel-int8.bin: two linear
layers quantized by onnxruntime's own dynamic quantizer with one weight scale per output channel
(quantize_dynamic, per_channel=True, int8 weights), and their outputs from onnxruntime.

Graph (x [5, 68]: an odd row count, K not a multiple of 8):
- y = MatMul(x, W1 [68, 40]) + b1: int8 W1 with 40 scales and 40 zero points (all 0);
- z = MatMul(y, W2 [40, 24]): no bias.
Column 3 of W1 is all zeros; columns 5 and 6 hold large weights and row 0 of x large values, so
some int16 pair sums saturate as in onnxruntime's AVX2 kernel. After quantization, W2's first
weight is set to -128, the one int8 value outside the symmetric range.

Outputs: y and z from onnxruntime's optimized graph (ORT_ENABLE_ALL), y.unoptimized and
z.unoptimized with optimizations off, and the fp32 graph's yf and zf for comparison.

Usage: tools/make-per-channel-int8-fixtures.py OUT_DIR
"""
import os
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

from single_thread_onnxruntime import run
from tensor_bundle import write_bundle


def main(out_dir):
    rng = np.random.default_rng(20261124)
    # Column magnitudes over several binades, so that per-channel scales differ.
    w1 = (rng.standard_normal((68, 40)) * np.exp2(rng.integers(-4, 3, (1, 40)))).astype(np.float32)
    w1[:, 3] = 0
    w1[:, 5:7] = np.abs(w1[:, 5:7]) + 1
    b1 = rng.standard_normal(40).astype(np.float32)
    w2 = (rng.standard_normal((40, 24)) * np.exp2(rng.integers(-3, 2, (1, 24)))).astype(np.float32)
    x = rng.standard_normal((5, 68)).astype(np.float32)
    x[0] = np.abs(x[0]) * 4
    nodes = [helper.make_node("MatMul", ["x", "w1"], ["m1"]), helper.make_node("Add", ["m1", "b1"], ["y"]),
             helper.make_node("MatMul", ["y", "w2"], ["z"])]
    graph = helper.make_graph(nodes, "per-channel-int8", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [5, 68])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [5, 40]),
                               helper.make_tensor_value_info("z", TensorProto.FLOAT, [5, 24])],
                              [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
                               numpy_helper.from_array(w2, "w2")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    with tempfile.TemporaryDirectory() as scratch:
        fp32 = os.path.join(scratch, "fp32.onnx")
        onnx.save(model, fp32)
        path = f"{out_dir}/per-channel-int8.onnx"
        quantize_dynamic(fp32, path, per_channel=True, weight_type=QuantType.QInt8)
        yf, zf = run(fp32, {"x": x}, ["y", "z"], ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    quantized = onnx.load(path)
    for index, initializer in enumerate(quantized.graph.initializer):
        if initializer.name == "w2_quantized":
            values = numpy_helper.to_array(initializer).copy()
            values[0, 0] = -128
            quantized.graph.initializer[index].CopyFrom(numpy_helper.from_array(values, initializer.name))
    onnx.save(quantized, path)
    scales = [t for t in quantized.graph.initializer if t.name.endswith("_scale")]
    print("weight scales:", [(t.name, list(t.dims)) for t in scales])
    optimized = run(path, {"x": x}, ["y", "z"], ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    unoptimized = run(path, {"x": x}, ["y", "z"], ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    for name, a, b in zip("yz", optimized, unoptimized):
        print(f"{name}: {np.count_nonzero(a != b)} of {a.size} values differ between the two graphs")
    write_bundle(f"{out_dir}/per-channel-int8.bin", [("x", x), ("y", optimized[0]), ("z", optimized[1]),
                                                      ("y.unoptimized", unoptimized[0]), ("z.unoptimized", unoptimized[1]),
                                                      ("yf", yf), ("zf", zf)])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
