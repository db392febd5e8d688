#!/usr/bin/env python3
"""Makes the zoo-shape parity fixtures with onnxruntime (one thread, onnxruntime's default graph
optimizations, ORT_ENABLE_ALL, as sherpa-onnx runs them): one bundle per model directory of
zoo-shapes (real architectures and exports, random weights; see its README.md), written to
Tests/RuntimeTests/Fixtures/zoo/<dirname>.parity.bin.

Models: sherpa-onnx-streaming-zipformer-en-2023-06-26 (zipformer2),
sherpa-onnx-streaming-zipformer-en-20M-2023-02-17 (zipformer v1), conformer-lite-streaming-en
(conformer). Files are the ones the product picks (Sources/Recognizer/Model/ModelFiles.swift): the
`encoder*.int8.onnx` encoder, the fp32 `decoder*.onnx` and the `joiner*.int8.onnx` joiner; the fp32
joiner and int8 decoder are extra checks.

Features: kaldi-native-fbank with sherpa-onnx's settings (as tools/make-runtime-parity.py: 16 kHz,
80 bins, dither 0, snip_edges false, high_freq -400) of audio-fixtures/weather-pause-callback-16k.wav,
zeros appended to the samples if it were too short. With the encoder metadata's T (chunk length in
feature frames) and decode_chunk_len (shift), chunk k (k = 0..9) is x = features[k*shift, k*shift+T)
as [1, T, 80].

States: every encoder input other than `x` that has an output named `new_<name>` is a state. All
start at zeros (the graph's input shape with the symbolic batch dim N = 1; zipformer v1's int64
cached_len_*, zipformer2's int64 processed_lens and the conformer's [layers, left_context, 1, dim]
and [layers, kernel-1, 1, dim] caches alike) and are carried: chunk k+1 gets chunk k's `new_<name>`.
The conformer's `processed_lens` int64[1] has no new_ output: chunk k gets k * decode_chunk_len
(0, 64, 128, ...: feature frames consumed before the chunk), as sherpa-onnx's
OnlineRecognizerTransducerImpl::DecodeStreams passes GetNumProcessedFrames().

Bundle tensors (tools/tensor_bundle.py format):
- `features` float32 [9*shift+T, 80]: every feature frame the 10 chunks read.
- `processed_lens` int64 [10] (conformer only): the value fed with chunk k.
- `encoder_out.<k>` float32 [1, shift/4, 512] for k = 0, 5, 9.
- `state_digest.<k>` int64 [S] for k = 0, 5, 9: the FNV-1a 64 hash of each state output of chunk
  k (the carried `new_*` tensors), in the encoder's output order with encoder_out left out (that
  order equals the state inputs' order in all three graphs), each over the tensor's raw
  little-endian bytes in row-major order (batch 1); the uint64 hash stored as its int64 bit pattern.
  FNV-1a 64: h = 0xcbf29ce484222325; for each byte b in order: h = (h XOR b) * 0x100000001b3 mod 2^64.
- `decoder_context` int64 [3, C]: [[0,0],[17,250],[499,3]] (C = decoder metadata context_size; for
  another C each row is cut to its last C tokens or left-padded with 0).
- `decoder_out.fp32`, `decoder_out.int8` float32 [3, 512]: the fp32 / int8 decoder, each context
  row its own [1, C] call.
- `joiner_out.int8`, `joiner_out.fp32` float32 [F, 3, 500]: the int8 / fp32 joiner on
  (encoder_out.0[0, f], decoder_out.fp32[c]) for f < F = min(8, shift/4), c < 3, one [1, 512] pair
  per call (DynamicQuantizeLinear takes one scale per call, so batching would change the logits).
- `joiner_batch_encoder`, `joiner_batch_decoder` float32 [4, 512] and `joiner_batch_out.int8`
  float32 [4, 500]: one int8 joiner call on 4 rows: encoder rows all encoder_out.0[0, 3], decoder
  rows decoder_out.fp32[0], [1], [2], [0] (contexts [0,0], [17,250], [499,3], [0,0]).

The JSON header also holds "zoo_parity": the files, T, shift, the state input and output names in
digest order with dtypes and shapes, and the onnxruntime version.

Usage: tools/make-zoo-parity.py [ZOO_SHAPES_DIR]
(default: $ASR_ZOO_SHAPES, else ../shared/models/zoo-shapes relative to the repository root)
"""
import os
import sys
import time

import numpy as np
import onnxruntime as ort
import soundfile as sf

from reference_decoding import fbank
from single_thread_onnxruntime import cpu_profile, session
from tensor_bundle import write_bundle


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AUDIO = os.path.join(ROOT, "audio-fixtures", "weather-pause-callback-16k.wav")
OUT_DIR = os.path.join(ROOT, "Tests", "RuntimeTests", "Fixtures", "zoo")
MODELS = ["sherpa-onnx-streaming-zipformer-en-2023-06-26",
          "sherpa-onnx-streaming-zipformer-en-20M-2023-02-17",
          "conformer-lite-streaming-en"]
CHUNKS = 10
STORED_CHUNKS = [0, 5, 9]
CONTEXTS = [[0, 0], [17, 250], [499, 3]]
JOINER_FRAMES = 8
BATCH_FRAME = 3
BATCH_CONTEXTS = [0, 1, 2, 0]


def features(needed):
    samples, rate = sf.read(AUDIO, dtype="float32")
    assert rate == 16000 and samples.ndim == 1, f"{AUDIO}: expected 16 kHz mono"
    frames = fbank(samples)
    if len(frames) < needed:
        samples = np.concatenate([samples, np.zeros(needed * 160 + 400 - len(samples), np.float32)])
        frames = fbank(samples)
    return frames[:needed]


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def digest(arrays):
    hashes = [fnv1a64(np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()) for a in arrays]
    return np.array(hashes, dtype=np.uint64).view(np.int64)


def pick(directory, role, int8):
    names = [n for n in sorted(os.listdir(directory)) if n.startswith(role) and n.endswith(".onnx")]
    names = [n for n in names if n.endswith(".int8.onnx") == int8]
    assert len(names) == 1, f"{directory}: {role} int8={int8}: {names}"
    return names[0]


def element_type(value_info):
    return {"tensor(float)": np.float32, "tensor(int64)": np.int64}[value_info.type]


def batch1(shape):
    assert all(isinstance(d, int) or d == "N" for d in shape), shape
    return [1 if d == "N" else d for d in shape]


def run_encoder(path, frames, length, shift, level):
    """Runs the 10 chunks; returns (per-chunk encoder_out, per-chunk state outputs, per-chunk
    seconds, the processed_lens fed or None, state (input, output) value infos)."""
    encoder = session(path, level)
    inputs = {i.name: i for i in encoder.get_inputs()}
    outputs = [o.name for o in encoder.get_outputs()]
    assert outputs[0] == "encoder_out" and "x" in inputs
    state_outputs = outputs[1:]
    assert all(o.startswith("new_") and o[4:] in inputs for o in state_outputs), state_outputs
    state_inputs = [o[4:] for o in state_outputs]
    assert [n for n in inputs if n in state_inputs] == state_inputs, "state outputs not in the inputs' order"
    others = [n for n in inputs if n != "x" and n not in state_inputs]
    assert others in ([], ["processed_lens"]), others
    states = {n: np.zeros(batch1(inputs[n].shape), element_type(inputs[n])) for n in state_inputs}
    encoder_outs, state_values, seconds, fed = [], [], [], []
    for chunk in range(CHUNKS):
        feeds = {"x": frames[chunk * shift: chunk * shift + length][None], **states}
        if others:
            fed.append(chunk * shift)
            feeds["processed_lens"] = np.array([chunk * shift], dtype=np.int64)
        start = time.perf_counter()
        results = encoder.run(outputs, feeds)
        seconds.append(time.perf_counter() - start)
        encoder_outs.append(results[0])
        state_values.append(results[1:])
        for name, value in zip(state_inputs, results[1:]):
            assert list(value.shape) == list(states[name].shape) and value.dtype == states[name].dtype, \
                f"new_{name}: {value.dtype}{list(value.shape)} does not feed back into {states[name].shape}"
            states[name] = value
    info = [{"input": n, "output": "new_" + n, "dtype": "int64" if element_type(inputs[n]) == np.int64 else "float32",
             "shape": batch1(inputs[n].shape)} for n in state_inputs]
    return encoder_outs, state_values, seconds, (fed or None), info


def make(zoo, name):
    directory = os.path.join(zoo, name)
    files = {"encoder": pick(directory, "encoder", True), "decoder_fp32": pick(directory, "decoder", False),
             "decoder_int8": pick(directory, "decoder", True), "joiner_int8": pick(directory, "joiner", True),
             "joiner_fp32": pick(directory, "joiner", False)}
    path = {role: os.path.join(directory, f) for role, f in files.items()}
    encoder_path = path["encoder"]
    meta = session(encoder_path, ort.GraphOptimizationLevel.ORT_DISABLE_ALL).get_modelmeta().custom_metadata_map
    length, shift = int(meta["T"]), int(meta["decode_chunk_len"])
    frames = features((CHUNKS - 1) * shift + length)

    encoder_outs, state_values, seconds, processed_lens, state_info = run_encoder(
        encoder_path, frames, length, shift, ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    joiner_int8 = session(path["joiner_int8"])
    dim = joiner_int8.get_inputs()[0].shape[1]
    out_frames = shift // 4
    for k, value in enumerate(encoder_outs):
        assert list(value.shape) == [1, out_frames, dim], f"encoder_out.{k}: {list(value.shape)}"
        assert np.isfinite(value).all()

    tensors = [("features", frames)]
    if processed_lens is not None:
        tensors.append(("processed_lens", np.array(processed_lens, dtype=np.int64)))
    digests = {}
    for k in STORED_CHUNKS:
        digests[k] = digest(state_values[k])
        tensors += [(f"encoder_out.{k}", encoder_outs[k]), (f"state_digest.{k}", digests[k])]

    decoder = session(path["decoder_fp32"])
    context_size = int(decoder.get_modelmeta().custom_metadata_map["context_size"])
    contexts = np.array([row[-context_size:] if context_size <= len(row) else [0] * (context_size - len(row)) + row
                         for row in CONTEXTS], dtype=np.int64)
    decoder_out = {}
    for kind in ("fp32", "int8"):
        graph = decoder if kind == "fp32" else session(path["decoder_int8"])
        decoder_out[kind] = np.concatenate([graph.run(None, {"y": contexts[i:i + 1]})[0] for i in range(len(contexts))])
    tensors += [("decoder_context", contexts), ("decoder_out.fp32", decoder_out["fp32"]),
                ("decoder_out.int8", decoder_out["int8"])]

    enc = encoder_outs[0][0, :min(JOINER_FRAMES, out_frames)]
    logits = {}
    for kind, graph in (("int8", joiner_int8), ("fp32", session(path["joiner_fp32"]))):
        logits[kind] = np.stack([np.concatenate([
            graph.run(None, {"encoder_out": enc[f:f + 1], "decoder_out": decoder_out["fp32"][c:c + 1]})[0]
            for c in range(len(contexts))]) for f in range(len(enc))])
        tensors.append((f"joiner_out.{kind}", logits[kind]))
    batch_encoder = np.repeat(enc[BATCH_FRAME:BATCH_FRAME + 1], len(BATCH_CONTEXTS), axis=0)
    batch_decoder = decoder_out["fp32"][BATCH_CONTEXTS]
    batch_out = joiner_int8.run(None, {"encoder_out": batch_encoder, "decoder_out": batch_decoder})[0]
    tensors += [("joiner_batch_encoder", batch_encoder), ("joiner_batch_decoder", batch_decoder),
                ("joiner_batch_out.int8", batch_out)]

    extra = {"arithmetic": cpu_profile(), "zoo_parity": {
        "model": name, "files": files, "audio": "audio-fixtures/weather-pause-callback-16k.wav",
        "T": length, "decode_chunk_len": shift, "chunks": CHUNKS, "stored_chunks": STORED_CHUNKS,
        "processed_lens": "k * decode_chunk_len" if processed_lens is not None else None,
        "states": state_info, "digest": "FNV-1a 64 of each state output's little-endian bytes, as int64",
        "joiner_frames": len(enc), "joiner_batch": {"encoder_out.0 frame": BATCH_FRAME, "decoder rows": BATCH_CONTEXTS},
        "graph_optimization": "ORT_ENABLE_ALL", "onnxruntime": ort.__version__}}
    os.makedirs(OUT_DIR, exist_ok=True)
    out = os.path.join(OUT_DIR, f"{name}.parity.bin")
    write_bundle(out, tensors, extra)

    # Not stored: how far onnxruntime's unoptimized graph (ORT_DISABLE_ALL, the runtime's reference
    # mode) is from the optimized one on the same chunks.
    plain_outs, plain_states, _, _, _ = run_encoder(encoder_path, frames, length, shift,
                                                    ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    plain_diff = max(float(np.abs(a - b).max()) for a, b in zip(plain_outs, encoder_outs))
    same_digests = [int((digest(plain_states[k]) == digests[k]).sum()) for k in STORED_CHUNKS]

    state_bytes = sum(v.nbytes for v in state_values[0])
    print(f"{name}: {os.path.getsize(out):,} bytes -> {os.path.relpath(out, ROOT)}")
    print(f"  files: {files}")
    print(f"  T {length}, shift {shift}, {len(frames)} feature frames, {len(state_info)} states "
          f"({state_bytes:,} bytes), encoder_out {list(encoder_outs[0].shape)}"
          + (f", processed_lens fed {processed_lens}" if processed_lens is not None else ""))
    print(f"  onnxruntime {ort.__version__} 1 thread ORT_ENABLE_ALL: best {min(seconds) * 1000:.2f} ms, "
          f"median {sorted(seconds)[len(seconds) // 2] * 1000:.2f} ms per encoder chunk (of the 10)")
    for k in STORED_CHUNKS:
        print(f"  encoder_out.{k}[0,0,:4] {encoder_outs[k][0, 0, :4]}  |max| {np.abs(encoder_outs[k]).max():.4f}  "
              f"state_digest.{k}[:2] {[f'{d & 0xFFFFFFFFFFFFFFFF:016x}' for d in digests[k][:2].tolist()]}")
    for info, value in zip(state_info, state_values[9]):
        if info["dtype"] == "int64":
            print(f"  {info['output']} after chunk 9: {value.ravel().tolist()}")
    print(f"  decoder_out.fp32[:,0] {decoder_out['fp32'][:, 0]}  int8-fp32 max {np.abs(decoder_out['int8'] - decoder_out['fp32']).max():.4f}")
    print(f"  joiner_out.int8 argmax [frames x contexts] {logits['int8'].argmax(-1).tolist()}")
    print(f"  joiner int8-fp32 max {np.abs(logits['int8'] - logits['fp32']).max():.4f}; "
          f"batch-vs-one-row max {np.abs(batch_out - logits['int8'][BATCH_FRAME][BATCH_CONTEXTS]).max():.6f}")
    print(f"  ORT_DISABLE_ALL vs ORT_ENABLE_ALL: encoder_out max diff {plain_diff:.6f} over 10 chunks; "
          f"equal state digests at chunks {STORED_CHUNKS}: {same_digests} of {len(state_info)}")


def main():
    arguments = sys.argv[1:]
    if len(arguments) > 1 or any(a.startswith("-") for a in arguments):
        sys.exit(__doc__)
    zoo = arguments[0] if arguments else os.environ.get("ASR_ZOO_SHAPES") or os.path.join(ROOT, "..", "shared", "models", "zoo-shapes")
    for name in MODELS:
        make(zoo, name)


if __name__ == "__main__":
    main()
