#!/usr/bin/env python3
"""Makes Tests/RuntimeTests/Fixtures/float-linears.onnx and float-linears.bin: fp32 linear layers
that the optimized runtime quantizes at load, and the outputs its int8 scheme must give, computed
here in float32 numpy step by step (each operation rounds once, as the kernel's do).

Graph (x [5, 68], an odd row count and K not a multiple of 8):
- gemm:  Gemm(x, B [100, 68], bias [100], transB=1)  -> [5, 100]   K*N = 6800, quantized
- mm:    MatMul(x3 [1, 5, 68], B [68, 72])           -> [1, 5, 72]  K*N = 4896, quantized (batched A)
- small: Gemm(x[:, :16] as xs [5, 16], B [16, 16])    -> [5, 16]    K*N = 256, stays fp32
One column of the Gemm weights is all zeros, one row of x is all zeros, one is all positive.

The scheme (FastInt8LinearKernel's per-row mode): weights per output column, scale = max|w| / 127,
q = round-half-even(w / scale); each row of x over 127 levels: low = min(0, min x),
high = max(0, max x), s = (high - low) / 127, zp = round-half-even(clamp(-low / s, 0, 127)),
q = clamp(round-half-even(x / s), -zp, 127 - zp) + zp; then
y = float(sum q_x q_w - zp * sum q_w) * (s * w_scale) + bias.

Also stores the fp32 outputs (onnxruntime, for the keep-fp32 comparison's sake only).

Usage: tools/make-quantized-linear-golden.py OUT_DIR
"""
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from tensor_bundle import write_bundle

LEVELS = 127


def quantize_columns(w):
    """w [K, N] float32 -> (int32 [K, N], float32 scales [N])."""
    largest = np.abs(w).max(axis=0)
    scales = np.where(largest > 0, largest / np.float32(127), np.float32(1)).astype(np.float32)
    q = np.clip(np.rint(w / scales), -127, 127).astype(np.int32)
    return q, scales


def quantized_linear(x, w, bias):
    """x [rows, K], w [K, N], bias [N] or None, all float32 -> float32 [rows, N]."""
    qw, wscales = quantize_columns(w)
    sums = qw.sum(axis=0)
    out = []
    for row in x:
        low, high = min(np.float32(0), row.min()), max(np.float32(0), row.max())
        scale = np.float32(1) if high == low else np.float32((high - low) / np.float32(LEVELS))
        zp = np.float32(np.rint(np.clip(np.float32(0) - low / scale, 0, LEVELS)))
        q = np.clip(np.rint(row / scale), -zp, LEVELS - zp) + zp
        q = q.astype(np.int32)
        # Pair sums stay inside int16 by construction: check it.
        padded = np.concatenate([q, np.zeros(len(q) % 2, np.int32)])
        wpad = np.concatenate([qw, np.zeros((len(q) % 2, qw.shape[1]), np.int32)])
        pairs = padded[0::2, None] * wpad[0::2] + padded[1::2, None] * wpad[1::2]
        assert np.abs(pairs).max() < 32768
        acc = pairs.sum(axis=0) - np.int32(zp) * sums
        y = acc.astype(np.float32) * (scale * wscales)
        if bias is not None:
            y = y + bias
        out.append(y.astype(np.float32))
    return np.stack(out)


def main(out_dir):
    rng = np.random.default_rng(8)
    x = rng.normal(0, 1, (5, 68)).astype(np.float32)
    x[1] = 0
    x[3] = np.abs(x[3]) + 0.25
    gemm_b = rng.normal(0, 0.2, (100, 68)).astype(np.float32)
    gemm_b[7] = 0
    gemm_bias = rng.normal(0, 0.5, 100).astype(np.float32)
    mm_b = rng.uniform(-1, 1, (68, 72)).astype(np.float32)
    small_b = rng.normal(0, 0.3, (16, 16)).astype(np.float32)

    n = helper.make_node
    nodes = [
        n("Gemm", ["x", "gemm_b", "gemm_bias"], ["gemm"], transB=1),
        n("Unsqueeze", ["x", "axes"], ["x3"]),
        n("MatMul", ["x3", "mm_b"], ["mm"]),
        n("Slice", ["x", "starts", "ends", "slice_axes"], ["xs"]),
        n("Gemm", ["xs", "small_b"], ["small"]),
    ]
    initializers = [
        numpy_helper.from_array(gemm_b, "gemm_b"), numpy_helper.from_array(gemm_bias, "gemm_bias"),
        numpy_helper.from_array(mm_b, "mm_b"), numpy_helper.from_array(small_b, "small_b"),
        numpy_helper.from_array(np.array([0], np.int64), "axes"),
        numpy_helper.from_array(np.array([0], np.int64), "starts"),
        numpy_helper.from_array(np.array([16], np.int64), "ends"),
        numpy_helper.from_array(np.array([1], np.int64), "slice_axes"),
    ]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [5, 68])]
    outputs = [helper.make_tensor_value_info("gemm", TensorProto.FLOAT, [5, 100]),
               helper.make_tensor_value_info("mm", TensorProto.FLOAT, [1, 5, 72]),
               helper.make_tensor_value_info("small", TensorProto.FLOAT, [5, 16])]
    graph = helper.make_graph(nodes, "float-linears", inputs, outputs, initializer=initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, f"{out_dir}/float-linears.onnx")

    session = ort.InferenceSession(f"{out_dir}/float-linears.onnx", providers=["CPUExecutionProvider"])
    fp32 = dict(zip(["gemm", "mm", "small"], session.run(None, {"x": x})))
    write_bundle(f"{out_dir}/float-linears.bin", [
        ("x", x),
        ("gemm.int8", quantized_linear(x, gemm_b.T.copy(), gemm_bias)),
        ("mm.int8", quantized_linear(x, mm_b, None).reshape(1, 5, 72)),
        ("gemm.fp32", fp32["gemm"]), ("mm.fp32", fp32["mm"]), ("small.fp32", fp32["small"]),
    ])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
