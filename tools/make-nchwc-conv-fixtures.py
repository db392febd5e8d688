#!/usr/bin/env python3
"""Makes a tiny graph of 2-D convolutions that onnxruntime's optimized graph (ORT_ENABLE_ALL) runs in
its NCHWc layout, and their outputs from onnxruntime with that optimization and without it.

nchwc-conv.onnx:
- yb = Conv of xb [1,16,7,9]: 12 filters (not a multiple of 8), 3x3, stride 2x1, pads 1,2,0,1;
  two 8-channel blocks.
- yp = 1x1 Conv of xp [1,136,3,5] to 16 channels: a 128-channel block, then an 8-channel one.
- yn = Conv of xn [1,3,6,7] (fewer than 8 channels: one block per channel) to 8 channels, 3x3,
  pads 1,1,1,1.
- yd = depthwise Conv of xd [1,8,5,11], 3x5 kernel, pads 1,2,1,2: one FMA chain over the taps.
- yt = Conv of xt [1,16,5,23] to 40 filters (groups of 16, 16 and 8 output channels), 3x3, pads
  1,1,1,1: register tiles of six positions that span rows, a last tile overlapping the one before,
  top and bottom rows without one kernel row, padding columns one position at a time.
- yq = 1x1 Conv of xq [1,256,3,7] to 24 filters: two 128-channel blocks, 21 positions (not a
  multiple of six).
- ys = Conv of xs [1,8,4,3] to 16 filters, 3x3, no padding: two outputs, fewer than a tile.
- yo = Conv of xo [1,1,6,13] (one input channel) to 12 filters, 3x3, pads 1,1,1,1: one FMA chain
  over the taps per output, eight output columns at a time (13 = 8 + 5).
- yw = depthwise Conv of xw [1,8,6,19], 3x3, pads 1,1,1,1: rows of three 8-column vectors
  (19 = 8 + 8 + 3), four rows at a time, a last group of rows overlapping the one before.
- ya = Swoosh(Conv of xa [1,8,5,13] to 24 filters, 3x3, pads 1,1,1,1), in the front end's overflow-free
  spelling: output-channel groups of 16 and 8, each activated once complete.
- yz = Swoosh(Conv of xz [1,1,6,13] (one input channel) to 8 filters, 3x3, pads 1,1,1,1), same spelling.
- yc = Swoosh(depthwise Conv of xc [1,8,4,11], 3x3, pads 1,1,1,1), in the layers' spelling with its
  Where(Equal(l, inf)) guard.
Outputs named y* are onnxruntime's optimized graph's; y*.unoptimized are with optimizations off.

With SEED_DIR, also writes nchwc-conv-seed.onnx there, a seed for the onnx-models fuzzer
(tools/fuzz/corpus/onnx-models): Swoosh(Conv of [1,2,4,9] to 40 filters, 3x3, pads 1,1,1,1), a few
kilobytes that reach the register tiles of 32 output channels (AVX512F), a last group of 8 and the
padding columns.

Usage: tools/make-nchwc-conv-fixtures.py OUT_DIR [SEED_DIR]  (writes nchwc-conv.onnx and nchwc-conv.bin)
"""
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from single_thread_onnxruntime import run
from tensor_bundle import write_bundle


def tensor(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def spread(rng, shape):
    # Magnitudes over several binades, so that the order of rounding shows in the last bits.
    return (rng.standard_normal(shape) * np.exp2(rng.integers(-4, 4, shape))).astype(np.float32)


def swoosh_stable(x, y):
    """(max(0, s) + log(1 + exp(-|0 - s|))) - x * slope - shift with s = x - one: the encoder's front
    end's export, node for node."""
    n = helper.make_node
    return [n("Sub", [x, "one"], [y + ".s"]), n("Max", ["zero", y + ".s"], [y + ".max"]),
            n("Sub", ["zero", y + ".s"], [y + ".d"]), n("Abs", [y + ".d"], [y + ".abs"]),
            n("Neg", [y + ".abs"], [y + ".neg"]), n("Exp", [y + ".neg"], [y + ".exp"]),
            n("Add", ["one", y + ".exp"], [y + ".exp1"]), n("Log", [y + ".exp1"], [y + ".log"]),
            n("Add", [y + ".max", y + ".log"], [y + ".softplus"]), n("Mul", [x, "slope"], [y + ".slope"]),
            n("Sub", [y + ".softplus", y + ".slope"], [y + ".diff"]), n("Sub", [y + ".diff", "shift"], [y])]


def swoosh_clamped(x, y):
    """(log(exp(s) + one), or s where that is infinite) - x * slope - shift with s = x - one: the
    encoder layers' export, node for node."""
    n = helper.make_node
    return [n("Sub", [x, "one"], [y + ".s"]), n("Exp", [y + ".s"], [y + ".exp"]),
            n("Add", [y + ".exp", "one"], [y + ".exp1"]), n("Log", [y + ".exp1"], [y + ".log"]),
            n("Equal", [y + ".log", "inf"], [y + ".isinf"]), n("Where", [y + ".isinf", y + ".s", y + ".log"], [y + ".guarded"]),
            n("Mul", [x, "slope"], [y + ".slope"]), n("Sub", [y + ".guarded", y + ".slope"], [y + ".diff"]),
            n("Sub", [y + ".diff", "shift"], [y])]


def save(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main(out_dir):
    rng = np.random.default_rng(20261124)
    weights = {"wb": spread(rng, (12, 16, 3, 3)), "bb": spread(rng, (12,)),
               "wp": spread(rng, (16, 136, 1, 1)), "bp": spread(rng, (16,)),
               "wn": spread(rng, (8, 3, 3, 3)), "bn": spread(rng, (8,)),
               "wd": spread(rng, (8, 1, 3, 5)), "bd": spread(rng, (8,))}
    nodes = [
        helper.make_node("Conv", ["xb", "wb", "bb"], ["yb"], kernel_shape=[3, 3], strides=[2, 1], pads=[1, 2, 0, 1]),
        helper.make_node("Conv", ["xp", "wp", "bp"], ["yp"], kernel_shape=[1, 1]),
        helper.make_node("Conv", ["xn", "wn", "bn"], ["yn"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["xd", "wd", "bd"], ["yd"], group=8, kernel_shape=[3, 5], pads=[1, 2, 1, 2]),
    ]
    inputs = {"xb": (1, 16, 7, 9), "xp": (1, 136, 3, 5), "xn": (1, 3, 6, 7), "xd": (1, 8, 5, 11)}
    outputs = {"yb": [1, 12, 3, 10], "yp": [1, 16, 3, 5], "yn": [1, 8, 6, 7], "yd": [1, 8, 5, 11]}
    # The register-tile cases draw from their own generator, so the values above stay as they were.
    tiles = np.random.default_rng(20261125)
    weights.update({"wt": spread(tiles, (40, 16, 3, 3)), "bt": spread(tiles, (40,)),
                    "wq": spread(tiles, (24, 256, 1, 1)), "bq": spread(tiles, (24,)),
                    "ws": spread(tiles, (16, 8, 3, 3)), "bs": spread(tiles, (16,))})
    single = np.random.default_rng(20261126)
    weights.update({"wo": spread(single, (12, 1, 3, 3)), "bo": spread(single, (12,))})
    rows = np.random.default_rng(20261127)
    weights.update({"ww": spread(rows, (8, 1, 3, 3)), "bw": spread(rows, (8,))})
    nodes += [
        helper.make_node("Conv", ["xt", "wt", "bt"], ["yt"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["xq", "wq", "bq"], ["yq"], kernel_shape=[1, 1]),
        helper.make_node("Conv", ["xs", "ws", "bs"], ["ys"], kernel_shape=[3, 3]),
        helper.make_node("Conv", ["xo", "wo", "bo"], ["yo"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["xw", "ww", "bw"], ["yw"], group=8, kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    ]
    activated = np.random.default_rng(20261128)
    weights.update({"wa": spread(activated, (24, 8, 3, 3)), "ba": spread(activated, (24,)),
                    "wz": spread(activated, (8, 1, 3, 3)), "bz": spread(activated, (8,)),
                    "wc": spread(activated, (8, 1, 3, 3)), "bc": spread(activated, (8,)),
                    "zero": np.array(0, np.float32), "one": np.array(1, np.float32),
                    "slope": np.array(0.08, np.float32), "shift": np.array(0.313261687, np.float32),
                    "inf": np.array(np.inf, np.float32)})
    nodes += [helper.make_node("Conv", ["xa", "wa", "ba"], ["ya.conv"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
              helper.make_node("Conv", ["xz", "wz", "bz"], ["yz.conv"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
              helper.make_node("Conv", ["xc", "wc", "bc"], ["yc.conv"], group=8, kernel_shape=[3, 3], pads=[1, 1, 1, 1])]
    nodes += swoosh_stable("ya.conv", "ya") + swoosh_stable("yz.conv", "yz") + swoosh_clamped("yc.conv", "yc")
    activated_inputs = {"xa": (1, 8, 5, 13), "xz": (1, 1, 6, 13), "xc": (1, 8, 4, 11)}
    tile_inputs = {"xt": (1, 16, 5, 23), "xq": (1, 256, 3, 7), "xs": (1, 8, 4, 3)}
    outputs.update({"yt": [1, 40, 5, 23], "yq": [1, 24, 3, 7], "ys": [1, 16, 2, 1], "yo": [1, 12, 6, 13],
                    "yw": [1, 8, 6, 19], "ya": [1, 24, 5, 13], "yz": [1, 8, 6, 13], "yc": [1, 8, 4, 11]})
    graph = helper.make_graph(nodes, "nchwc-conv", [tensor(n, list(s)) for n, s in (inputs | tile_inputs | {"xo": (1, 1, 6, 13), "xw": (1, 8, 6, 19)} | activated_inputs).items()],
                              [tensor(n, s) for n, s in outputs.items()],
                              [numpy_helper.from_array(v, n) for n, v in weights.items()])
    path = f"{out_dir}/nchwc-conv.onnx"
    save(graph, path)

    feeds = {n: spread(rng, s) for n, s in inputs.items()}
    feeds.update({n: spread(tiles, s) for n, s in tile_inputs.items()})
    feeds["xo"] = spread(single, (1, 1, 6, 13))
    feeds["xw"] = spread(rows, (1, 8, 6, 19))
    feeds.update({n: spread(activated, s) for n, s in activated_inputs.items()})
    names = list(outputs)
    optimized = run(path, feeds, names, ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    unoptimized = run(path, feeds, names, ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    for name, a, b in zip(names, optimized, unoptimized):
        print(f"{name}: {np.count_nonzero(a != b)} of {a.size} values differ between the two graphs")
    write_bundle(f"{out_dir}/nchwc-conv.bin", list(feeds.items()) + list(zip(names, optimized))
                 + [(n + ".unoptimized", v) for n, v in zip(names, unoptimized)])


def write_seed(seed_dir):
    rng = np.random.default_rng(20261205)
    weights = {"w": spread(rng, (40, 2, 3, 3)), "b": spread(rng, (40,)),
               "zero": np.array(0, np.float32), "one": np.array(1, np.float32),
               "slope": np.array(0.08, np.float32), "shift": np.array(0.313261687, np.float32)}
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["y.conv"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])]
    nodes += swoosh_stable("y.conv", "y")
    graph = helper.make_graph(nodes, "nchwc-conv-seed", [tensor("x", [1, 2, 4, 9])], [tensor("y", [1, 40, 4, 9])],
                              [numpy_helper.from_array(v, n) for n, v in weights.items()])
    save(graph, f"{seed_dir}/nchwc-conv-seed.onnx")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    if len(sys.argv) == 3:
        write_seed(sys.argv[2])
    main(sys.argv[1])
