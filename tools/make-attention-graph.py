#!/usr/bin/env python3
"""Makes Tests/RuntimeTests/Fixtures/attention.onnx and attention.bin (inputs and onnxruntime's
outputs for three random draws), and attention-one-query.onnx/.bin: the same graph with one query
row, as a stack that downsamples a chunk to a single frame attends (MLAS's one-row kernels).

The graph is multi-head self-attention written as the zipformer2 export writes it: heads split by
Transposes, scores = MatMul(q, k^T) + position bias, masked key positions replaced by -1000
(Where), Softmax, weights x values, heads merged by a Transpose. T = 13 query rows (not a multiple
of the 4-row tile), S = 37 keys, 3 heads of 20 query dims and 12 value dims (a partial vector).
`attended2` multiplies the same weights by values computed from the first result (so it must stay
a step of its own, reading its transposed operands in place). `narrow` is a plain MatMul
[3, 7, 80] x [80, 5] (narrow products and leftover rows). Every mode must give onnxruntime's bits.

Usage: tools/make-attention-graph.py OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from tensor_bundle import write_bundle

S, H, D, DV = 37, 3, 20, 12


def main(out_dir):
    write(out_dir, "attention", 13)
    write(out_dir, "attention-one-query", 1)


def write(out_dir, name, T):
    """`name`.onnx and `name`.bin for T query rows."""
    n = helper.make_node
    nodes = [
        n("Transpose", ["q"], ["qh"], perm=[2, 1, 0, 3]),       # [H, 1, T, D]
        n("Transpose", ["k"], ["kh"], perm=[2, 1, 3, 0]),       # [H, 1, D, S]
        n("MatMul", ["qh", "kh"], ["scores"]),                  # [H, 1, T, S]
        n("Add", ["scores", "bias"], ["biased"]),
        n("Greater", ["key_padding", "half"], ["mask"]),        # [1, 1, S]
        n("Where", ["mask", "fill", "biased"], ["masked"]),
        n("Softmax", ["masked"], ["weights"], axis=-1),
        n("Transpose", ["v"], ["vh"], perm=[2, 1, 0, 3]),       # [H, 1, S, DV]
        n("MatMul", ["weights", "vh"], ["heads"]),              # [H, 1, T, DV]
        n("Transpose", ["heads"], ["merged"], perm=[2, 1, 0, 3]),  # [T, 1, H, DV]
        n("Reshape", ["merged", "merged_shape"], ["attended"]),
        # A second product whose values depend on the first one's result (as the zipformer2
        # layer's second self-attention does): it cannot join the attention step.
        n("ReduceMean", ["heads"], ["level"], keepdims=0),
        n("Mul", ["v", "level"], ["v2"]),
        n("Transpose", ["v2"], ["vh2"], perm=[2, 1, 0, 3]),
        n("MatMul", ["weights", "vh2"], ["heads2"]),
        n("Transpose", ["heads2"], ["attended2"], perm=[2, 1, 0, 3]),  # [T, 1, H, DV]
        n("MatMul", ["a", "b"], ["narrow"]),
    ]
    inputs = [
        helper.make_tensor_value_info("q", TensorProto.FLOAT, [T, 1, H, D]),
        helper.make_tensor_value_info("k", TensorProto.FLOAT, [S, 1, H, D]),
        helper.make_tensor_value_info("v", TensorProto.FLOAT, [S, 1, H, DV]),
        helper.make_tensor_value_info("bias", TensorProto.FLOAT, [H, 1, T, S]),
        helper.make_tensor_value_info("key_padding", TensorProto.FLOAT, [1, 1, S]),
        helper.make_tensor_value_info("a", TensorProto.FLOAT, [3, 7, 80]),
        helper.make_tensor_value_info("b", TensorProto.FLOAT, [80, 5]),
    ]
    outputs = [
        helper.make_tensor_value_info("attended", TensorProto.FLOAT, [T, H * DV]),
        helper.make_tensor_value_info("weights", TensorProto.FLOAT, [H, 1, T, S]),
        helper.make_tensor_value_info("narrow", TensorProto.FLOAT, [3, 7, 5]),
        helper.make_tensor_value_info("attended2", TensorProto.FLOAT, [T, 1, H, DV]),
    ]
    initializers = [
        numpy_helper.from_array(np.array(0.5, dtype=np.float32), "half"),
        numpy_helper.from_array(np.array(-1000.0, dtype=np.float32), "fill"),
        numpy_helper.from_array(np.array([T, H * DV], dtype=np.int64), "merged_shape"),
    ]
    graph = helper.make_graph(nodes, "attention", inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    path = os.path.join(out_dir, f"{name}.onnx")
    onnx.save(model, path)

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    plain = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    optimized = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(7)
    tensors = []
    for draw in range(3):
        feeds = {
            "q": rng.standard_normal((T, 1, H, D)).astype(np.float32),
            "k": rng.standard_normal((S, 1, H, D)).astype(np.float32),
            "v": rng.standard_normal((S, 1, H, DV)).astype(np.float32),
            "bias": (rng.standard_normal((H, 1, T, S)) * 2).astype(np.float32),
            "key_padding": (rng.random((1, 1, S)) < 0.2).astype(np.float32),
            "a": rng.standard_normal((3, 7, 80)).astype(np.float32),
            "b": rng.standard_normal((80, 5)).astype(np.float32),
        }
        results = plain.run(None, feeds)
        # onnxruntime's optimized graph computes the same bits here.
        for expected, actual in zip(results, optimized.run(None, feeds)):
            assert np.array_equal(expected.view(np.uint32), actual.view(np.uint32))
        tensors += [(f"{key}.{draw}", value) for key, value in feeds.items()]
        tensors += [(f"{key}.{draw}", value) for key, value in zip(["attended", "weights", "narrow", "attended2"], results)]
    write_bundle(os.path.join(out_dir, f"{name}.bin"), tensors)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Tests/RuntimeTests/Fixtures")
