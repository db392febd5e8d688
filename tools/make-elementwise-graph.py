#!/usr/bin/env python3
"""Makes Tests/RuntimeTests/Fixtures/elementwise-chains.onnx: four chains of float elementwise
operators over x [1, 1003] (an odd length, so the last tile is partial), with the shapes of the
encoder's Swoosh activations, gates and clamps. The optimized mode fuses each chain into one loop;
the test checks it computes the same bits as the unfused steps.

- swoosh: log(1 + exp(x - 4)) - 0.08 x - 0.035, written as the encoder's export writes it
  (Sub, Abs, Neg, Exp, Add, Log, Max, Add, Mul, Sub, Sub).
- gate: sigmoid(x) * x + tanh(x) * s, s a runtime scalar input.
- misc: min(max(|x|, -x) / clip(x, 0.5, 3), relu(x)) + sqrt(|x|) + 1 / x + x^2.
- guarded: where(l == inf, x - 4, l) - 0.08 x with l = log(1 + exp(x - 4)), the encoder's SwooshL
  as exported (Equal + Where become one elementwise step).
- replaced: where(x == 0, s, x), alone (so it stays a step of its own, s broadcast).
- swoosh_stable, swoosh_clamped: the encoder's two Swoosh spellings node for node (the front end's
  max(0, d) + log(1 + exp(-|0 - d|)) and the layers' guarded log(exp(d) + 1)), which the optimized
  mode runs as one `Swoosh` step each.

Usage: tools/make-elementwise-graph.py OUT_DIR
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

N = 1003


def scalar(name, value):
    return numpy_helper.from_array(np.array(value, dtype=np.float32), name)


def main(out_dir):
    n = helper.make_node
    nodes = [
        # swoosh
        n("Sub", ["x", "four"], ["d"]),
        n("Abs", ["d"], ["d_abs"]),
        n("Neg", ["d_abs"], ["d_neg"]),
        n("Exp", ["d_neg"], ["e"]),
        n("Add", ["e", "one"], ["e1"]),
        n("Log", ["e1"], ["l"]),
        n("Max", ["d", "zero"], ["relu_d"]),
        n("Add", ["relu_d", "l"], ["softplus"]),
        n("Mul", ["x", "slope"], ["sx"]),
        n("Sub", ["softplus", "sx"], ["s1"]),
        n("Sub", ["s1", "offset"], ["swoosh"]),
        # gate
        n("Sigmoid", ["x"], ["sig"]),
        n("Mul", ["sig", "x"], ["silu"]),
        n("Tanh", ["x"], ["t"]),
        n("Mul", ["t", "s"], ["ts"]),
        n("Add", ["silu", "ts"], ["gate"]),
        # misc
        n("Abs", ["x"], ["ax"]),
        n("Neg", ["x"], ["nx"]),
        n("Max", ["ax", "nx"], ["m"]),
        n("Clip", ["x", "half", "three"], ["c"]),
        n("Div", ["m", "c"], ["q"]),
        n("Relu", ["x"], ["r"]),
        n("Min", ["q", "r"], ["mn"]),
        n("Sqrt", ["ax"], ["sq"]),
        n("Reciprocal", ["x"], ["rec"]),
        n("Pow", ["x", "two"], ["x2"]),
        n("Add", ["mn", "sq"], ["a1"]),
        n("Add", ["a1", "rec"], ["a2"]),
        n("Add", ["a2", "x2"], ["misc"]),
        # guarded: the encoder's SwooshL as exported, log(1 + exp(x - 4)) with an infinite log
        # replaced by x - 4 (Equal + Where), minus 0.08 x
        n("Sub", ["x", "four"], ["d2"]),
        n("Exp", ["d2"], ["e2"]),
        n("Add", ["e2", "one"], ["p2"]),
        n("Log", ["p2"], ["l2"]),
        n("Equal", ["l2", "inf"], ["overflowed"]),
        n("Where", ["overflowed", "d2", "l2"], ["g2"]),
        n("Mul", ["x", "slope"], ["m2"]),
        n("Sub", ["g2", "m2"], ["guarded"]),
        # swoosh_stable: the convolutional front end's export, in its node order
        n("Sub", ["x", "four"], ["sd"]),
        n("Max", ["zero", "sd"], ["smax"]),
        n("Sub", ["zero", "sd"], ["sneg"]),
        n("Abs", ["sneg"], ["sabs"]),
        n("Neg", ["sabs"], ["snabs"]),
        n("Exp", ["snabs"], ["sexp"]),
        n("Add", ["one", "sexp"], ["sexp1"]),
        n("Log", ["sexp1"], ["slog"]),
        n("Add", ["smax", "slog"], ["ssoftplus"]),
        n("Mul", ["x", "slope"], ["sslope"]),
        n("Sub", ["ssoftplus", "sslope"], ["sdiff"]),
        n("Sub", ["sdiff", "offset"], ["swoosh_stable"]),
        # swoosh_clamped: the encoder layers' export, in its node order
        n("Sub", ["x", "one"], ["cd"]),
        n("Exp", ["cd"], ["cexp"]),
        n("Add", ["cexp", "one"], ["cexp1"]),
        n("Log", ["cexp1"], ["clog"]),
        n("Equal", ["clog", "inf"], ["cinf"]),
        n("Where", ["cinf", "cd", "clog"], ["cguarded"]),
        n("Mul", ["x", "slope"], ["cslope"]),
        n("Sub", ["cguarded", "cslope"], ["cdiff"]),
        n("Sub", ["cdiff", "offset"], ["swoosh_clamped"]),
        # replaced
        n("Equal", ["x", "zero"], ["is_zero"]),
        n("Where", ["is_zero", "s", "x"], ["replaced"]),
    ]
    constants = [scalar("four", 4.0), scalar("one", 1.0), scalar("zero", 0.0), scalar("slope", 0.08),
                 scalar("offset", 0.035), scalar("half", 0.5), scalar("three", 3.0), scalar("two", 2.0),
                 scalar("inf", np.inf)]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, N])
    s = helper.make_tensor_value_info("s", TensorProto.FLOAT, [])
    outputs = [helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, N]) for name in ("swoosh", "gate", "misc", "guarded", "replaced", "swoosh_stable", "swoosh_clamped")]
    graph = helper.make_graph(nodes, "elementwise-chains", [x, s], outputs, initializer=constants)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, f"{out_dir}/elementwise-chains.onnx")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
