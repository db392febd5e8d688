#!/usr/bin/env python3
"""Makes the runtime parity fixtures with onnxruntime (one thread).

Encoder: 10 consecutive chunks of real speech fbank (kaldi-native-fbank, the model's settings),
caches carried from each call to the next, starting from zeros. Stores every chunk's input `x` and
`encoder_out`, and every returned state after the last chunk. The encoder runs with graph
optimizations off (ORT_DISABLE_ALL): that is the graph's own arithmetic, node by node, which the
runtime's reference mode follows. onnxruntime's optimized graph (fused, NCHWc layouts) rounds some
depthwise convolutions differently, and through the 104 dynamic re-quantizations its encoder_out
moves by up to 0.077 from the unoptimized one over these 10 chunks.
Decoder: a few token contexts and their outputs. Joiner (int8 and fp32): pairs of encoder frames and
decoder outputs and their logits, one pair per call (batch 1).

With --optimized-graph, writes only encoder-parity-optimized.bin: the same chunks through the
encoder with onnxruntime's default optimizations (ORT_ENABLE_ALL, as sherpa-onnx runs it), which the
runtime's optimized mode follows.

Usage: tools/make-runtime-parity.py [--optimized-graph] MODEL_DIR AUDIO.flac OUT_DIR
The committed fixtures use LibriSpeech test-clean 1089-134686-0000.flac.
"""
import sys
import time

import numpy as np
import onnxruntime as ort
import soundfile as sf

import reference_decoding
from tensor_bundle import write_bundle

CHUNKS = 10


def session(path, level=ort.GraphOptimizationLevel.ORT_ENABLE_ALL):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = level
    return ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])


def fbank(path):
    samples, rate = sf.read(path, dtype="float32")
    assert rate == 16000, f"{path}: expected 16 kHz, got {rate}"
    return reference_decoding.fbank(samples)


def zero_state(value_info):
    t = value_info.type
    dtype = np.int64 if "int64" in t else np.float32
    return np.zeros(value_info.shape, dtype=dtype)


def main(model_dir, audio, out_dir, optimized_graph=False):
    level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL if optimized_graph else ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    encoder = session(f"{model_dir}/encoder.int8.onnx", level)
    meta = encoder.get_modelmeta().custom_metadata_map
    length, shift = int(meta["T"]), int(meta["decode_chunk_len"])
    frames = fbank(audio)
    assert len(frames) >= (CHUNKS - 1) * shift + length, "audio too short"

    state_inputs = [i for i in encoder.get_inputs() if i.name != "x"]
    states = {i.name: zero_state(i) for i in state_inputs}
    output_names = [o.name for o in encoder.get_outputs()]
    tensors, encoder_frames, elapsed = [], [], 0.0
    for chunk in range(CHUNKS):
        x = frames[chunk * shift: chunk * shift + length][None]
        feeds = {"x": x, **states}
        start = time.perf_counter()
        results = dict(zip(output_names, encoder.run(output_names, feeds)))
        elapsed += time.perf_counter() - start
        tensors.append((f"x.{chunk}", x))
        tensors.append((f"encoder_out.{chunk}", results["encoder_out"]))
        encoder_frames.append(results["encoder_out"][0])
        states = {name: results["new_" + name] for name in states}
        if chunk == CHUNKS - 1:
            tensors += [(f"{name}.{chunk}", value) for name, value in states.items()]
    if optimized_graph:
        write_bundle(f"{out_dir}/encoder-parity-optimized.bin", tensors)
        return
    write_bundle(f"{out_dir}/encoder-parity.bin", tensors)

    # Time onnxruntime (optimized, as sherpa-onnx runs it) on the same input for comparison (not
    # asserted anywhere).
    encoder = session(f"{model_dir}/encoder.int8.onnx")
    repeats = 50
    feeds = {"x": frames[:length][None], **{i.name: zero_state(i) for i in state_inputs}}
    start = time.perf_counter()
    for _ in range(repeats):
        encoder.run(output_names, feeds)
    print(f"onnxruntime 1 thread: {(time.perf_counter() - start) / repeats * 1000:.3f} ms per encoder chunk")

    decoder = session(f"{model_dir}/decoder.onnx")
    contexts = np.array([[0, 0], [0, 17], [17, 233], [499, 3], [1, 2], [250, 250]], dtype=np.int64)
    decoder_out = decoder.run(None, {"y": contexts})[0]
    write_bundle(f"{out_dir}/decoder-parity.bin", [("y", contexts), ("decoder_out", decoder_out)])

    frames_all = np.concatenate(encoder_frames)  # [10*8, 320]
    picks = [0, 7, 13, 40, 79, 55]
    joiner_encoder = frames_all[picks]
    joiner_decoder = decoder_out
    bundle = [("encoder_out", joiner_encoder), ("decoder_out", joiner_decoder)]
    for name, path in (("logit.int8", "joiner.int8.onnx"), ("logit.fp32", "original/joiner.fp32.onnx")):
        joiner = session(f"{model_dir}/{path}")
        # One row per call: DynamicQuantizeLinear takes one scale over the whole batch, and the
        # runtime joins one (frame, context) pair at a time.
        rows = [joiner.run(None, {"encoder_out": joiner_encoder[i:i + 1], "decoder_out": joiner_decoder[i:i + 1]})[0]
                for i in range(len(picks))]
        bundle.append((name, np.concatenate(rows)))
    write_bundle(f"{out_dir}/joiner-parity.bin", bundle)


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--optimized-graph"]
    if len(arguments) != 3:
        sys.exit(__doc__)
    main(*arguments, optimized_graph="--optimized-graph" in sys.argv[1:])
