#!/usr/bin/env python3
"""Times the encoder per chunk in onnxruntime (one thread) and in this package, in the same run,
and prints the ratio.

onnxruntime runs the 10 chunks of Tests/RuntimeTests/Fixtures/encoder-parity.bin with states
carried, repeated; the package's time comes from the TimingReport test (release build, the
recognizer's default mode), whose "encoder in onnxruntime's order (the default): X ms per chunk"
line is parsed. Both sides take the best of 20 repetitions of 10 chunks.

onnxruntime runs first and after each of --rounds (default 3) package runs; the printed ratio is
the package's best time over onnxruntime's best, both over the same window.

Usage: tools/time-onnxruntime-encoder.py MODEL_DIR [--rounds=N] [--skip-swift]
"""
import json
import os
import re
import subprocess
import sys
import time

import numpy as np
import onnxruntime as ort

ort.set_default_logger_severity(3)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "Tests/RuntimeTests/Fixtures/encoder-parity.bin")


def read_bundle(path):
    with open(path, "rb") as f:
        header = json.loads(f.readline())
        data = f.read()
    out = {}
    for t in header["tensors"]:
        dtype = np.float32 if t["dtype"] == "float32" else np.int64
        start = t["offset"]
        out[t["name"]] = np.frombuffer(data[start:start + t["count"] * np.dtype(dtype).itemsize],
                                       dtype=dtype).reshape(t["shape"])
    return out


def onnxruntime_ms_per_chunk(model_dir, repeats=20):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    encoder = ort.InferenceSession(f"{model_dir}/encoder.int8.onnx", sess_options=options,
                                   providers=["CPUExecutionProvider"])
    bundle = read_bundle(FIXTURE)
    inputs = [i for i in encoder.get_inputs() if i.name != "x"]
    names = [o.name for o in encoder.get_outputs()]
    best = float("inf")
    for _ in range(repeats):
        states = {i.name: np.zeros(i.shape, dtype=np.int64 if "int64" in i.type else np.float32) for i in inputs}
        start = time.process_time()
        for chunk in range(10):
            results = dict(zip(names, encoder.run(names, {"x": bundle[f"x.{chunk}"], **states})))
            states = {name: results["new_" + name] for name in states}
        best = min(best, (time.process_time() - start) / 10 * 1000)
    return best


def swift_ms_per_chunk():
    env = dict(os.environ, ASR_TIMING="1")
    run = subprocess.run(["swift", "test", "-c", "release", "--filter", "TimingReport"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    match = re.search(r"encoder in onnxruntime's order \(the default\): ([0-9.]+) ms per chunk", run.stdout)
    if not match:
        sys.exit("could not read the package's timing:\n" + run.stdout[-2000:] + run.stderr[-2000:])
    return float(match.group(1))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    rounds = 3
    for argument in sys.argv[2:]:
        if argument.startswith("--rounds="):
            rounds = max(1, int(argument.split("=", 1)[1]))
    ort_times = [onnxruntime_ms_per_chunk(sys.argv[1])]
    print(f"onnxruntime encoder: {ort_times[0]:.3f} ms per chunk (CPU time, best of 20 x 10 chunks, 1 thread)")
    if "--skip-swift" in sys.argv:
        return
    ours_times = []
    # Alternating rounds, ending with onnxruntime: on a shared machine the load changes from minute
    # to minute, and each side's best over the same window is the fairest pair.
    for _ in range(rounds):
        ours_times.append(swift_ms_per_chunk())
        print(f"asr encoder: {ours_times[-1]:.3f} ms per chunk")
        ort_times.append(onnxruntime_ms_per_chunk(sys.argv[1]))
        print(f"onnxruntime encoder: {ort_times[-1]:.3f} ms per chunk")
    print(f"best asr {min(ours_times):.3f} ms / best onnxruntime {min(ort_times):.3f} ms: "
          f"ratio {min(ours_times) / min(ort_times):.3f}")


if __name__ == "__main__":
    main()
