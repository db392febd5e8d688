#!/usr/bin/env python3
"""Makes the tiny ONNX files the load-error tests need (committed, a few hundred bytes each).

- unknown-operator.onnx: a graph using an operator no runtime implements (FancyActivation).
- future-opset.onnx: a valid Tanh graph that declares ai.onnx opset 99.
- joiner-256.onnx: a joiner of another model: encoder_out [N,256] + decoder_out [N,256] -> Tanh -> logit [N,256].
- unsorted-nodes.onnx: y = tanh(x + x) * 2 with its nodes stored last to first (ONNX asks for sorted nodes;
  a runtime may sort them, as onnxruntime does).
- node-cycle.onnx: two nodes each reading the other's output.
- undefined-value.onnx: a node reading a value nothing writes.

Usage: tools/make-bad-models.py OUT_DIR
"""
import sys

import onnx
from onnx import TensorProto, helper


def tensor(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def save(model, path):
    model.ir_version = 7
    onnx.save(model, path)


def main(out_dir):
    graph = helper.make_graph([helper.make_node("FancyActivation", ["x"], ["y"])], "unknown",
                              [tensor("x", [1, 4])], [tensor("y", [1, 4])])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), f"{out_dir}/unknown-operator.onnx")

    graph = helper.make_graph([helper.make_node("Tanh", ["x"], ["y"])], "future",
                              [tensor("x", [1, 4])], [tensor("y", [1, 4])])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 99)]), f"{out_dir}/future-opset.onnx")

    graph = helper.make_graph([helper.make_node("Add", ["encoder_out", "decoder_out"], ["sum"]),
                               helper.make_node("Tanh", ["sum"], ["logit"])], "joiner",
                              [tensor("encoder_out", ["N", 256]), tensor("decoder_out", ["N", 256])],
                              [tensor("logit", ["N", 256])])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), f"{out_dir}/joiner-256.onnx")

    two = helper.make_tensor("two", TensorProto.FLOAT, [], [2.0])
    nodes = [helper.make_node("Add", ["x", "x"], ["sum"]), helper.make_node("Tanh", ["sum"], ["t"]),
             helper.make_node("Mul", ["t", "two"], ["y"])]
    graph = helper.make_graph(list(reversed(nodes)), "unsorted", [tensor("x", [1, 4])], [tensor("y", [1, 4])], [two])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), f"{out_dir}/unsorted-nodes.onnx")

    graph = helper.make_graph([helper.make_node("Add", ["x", "b"], ["a"]), helper.make_node("Tanh", ["a"], ["b"])],
                              "cycle", [tensor("x", [1, 4])], [tensor("b", [1, 4])])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), f"{out_dir}/node-cycle.onnx")

    graph = helper.make_graph([helper.make_node("Add", ["x", "ghost"], ["y"])], "undefined",
                              [tensor("x", [1, 4])], [tensor("y", [1, 4])])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), f"{out_dir}/undefined-value.onnx")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
