#!/usr/bin/env python3
"""Times a zoo model's int8 encoder per chunk in onnxruntime (one thread, its default optimized
graph, as sherpa-onnx runs it) and in `asr`, alternating, in the same run; prints the ratio.

onnxruntime runs the 10 chunks of Tests/RuntimeTests/Fixtures/zoo/<model>.parity.bin with states
carried (zero states first, the conformer's processed_lens as sherpa-onnx feeds it), repeated; its
time per chunk is the best repetition's mean. `asr`'s is the encoder stage of `asr bench --json`
(greedy search) on FILE, divided by its chunk count; the best of the rounds is kept on both sides.

Usage: tools/time-zoo-encoder.py MODEL_DIR FILE [--asr .build/release/asr] [--rounds N]
"""
import argparse
import glob
import json
import os
import subprocess
import tempfile
import time

import numpy as np
import onnxruntime as ort

from single_thread_onnxruntime import session

ort.set_default_logger_severity(3)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_bundle(path):
    with open(path, "rb") as f:
        data = f.read()
    newline = data.index(b"\n")
    header, payload = json.loads(data[:newline]), data[newline + 1:]
    dtypes = {"float32": np.float32, "int64": np.int64}
    return {e["name"]: np.frombuffer(payload, dtypes[e["dtype"]], e["count"], e["offset"]).reshape(e["shape"])
            for e in header["tensors"]}


def time_onnxruntime(model_dir, repeats=5):
    encoder = session(sorted(glob.glob(os.path.join(model_dir, "encoder*.int8.onnx")))[0])
    bundle = read_bundle(os.path.join(ROOT, "Tests/RuntimeTests/Fixtures/zoo",
                                      os.path.basename(os.path.normpath(model_dir)) + ".parity.bin"))
    meta = encoder.get_modelmeta().custom_metadata_map
    length, shift = int(meta["T"]), int(meta["decode_chunk_len"])
    outputs = [o.name for o in encoder.get_outputs()]
    best = float("inf")
    for _ in range(repeats):
        states = {i.name: np.zeros([d if isinstance(d, int) else 1 for d in i.shape],
                                   np.int64 if "int64" in i.type else np.float32)
                  for i in encoder.get_inputs() if i.name != "x"}
        elapsed = 0.0
        for chunk in range(10):
            feeds = dict(states, x=bundle["features"][chunk * shift: chunk * shift + length][None])
            if "processed_lens" in states and "new_processed_lens" not in outputs:
                feeds["processed_lens"] = np.array([chunk * shift], dtype=np.int64)
            start = time.perf_counter()
            results = dict(zip(outputs, encoder.run(outputs, feeds)))
            elapsed += time.perf_counter() - start
            states = {name: results.get("new_" + name, feeds[name]) for name in states}
        best = min(best, elapsed / 10)
    return best


def time_asr(binary, model_dir, audio):
    with tempfile.TemporaryDirectory() as directory:
        report = os.path.join(directory, "bench.json")
        subprocess.run([binary, "bench", "--model", model_dir, "--decoding", "greedy", "--json", report, audio],
                       check=True, stdout=subprocess.DEVNULL)
        with open(report) as f:
            bench = json.load(f)
    return bench["stage_seconds"]["encoder"] / bench["chunks"], bench


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("audio")
    parser.add_argument("--asr", default=os.path.join(ROOT, ".build/release/asr"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ours, theirs, bench = float("inf"), float("inf"), None
    for _ in range(args.rounds):
        theirs = min(theirs, time_onnxruntime(args.model))
        seconds, bench = time_asr(args.asr, args.model, args.audio)
        ours = min(ours, seconds)
    print(f"encoder per chunk: onnxruntime {theirs * 1000:.2f} ms, asr {ours * 1000:.2f} ms, ratio {ours / theirs:.3f}")
    print(f"asr load {bench['load_ms']:.1f} ms, peak RSS {bench['peak_rss_bytes'] / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
