#!/usr/bin/env python3
"""Writes Tests/RecognizerTests/Fixtures/zoo-reference-transcripts.json: what sherpa-onnx (the reference
implementation) decodes from the evaluation sets with each zoo-shape model (real zoo architecture and
export, random weights: the text is nonsense, the token sequences are what must match).

For every model directory in ZOO_SHAPES (sherpa-onnx-streaming-zipformer-en-2023-06-26,
sherpa-onnx-streaming-zipformer-en-20M-2023-02-17, conformer-lite-streaming-en) the files are picked
as the product's ModelFiles does: the int8 encoder and joiner, the fp32 decoder, tokens.txt (found
by glob, so the zoo's long file names need no listing). sherpa-onnx picks the encoder family from the
encoder's `model_type` metadata. Every utterance of librispeech-mini (LibriSpeech tree) and mixed-14
(Kaldi dir, wav.scp) is decoded with greedy search and modified beam search (4 paths): one thread,
the model's feature settings (80 bins, 20 Hz .. -400 Hz, no dither, no snip edges), audio at the
file's own rate followed by 0.66 s of zeros before input_finished. Token ids are recovered from the
pieces through tokens.txt. Timing per model goes to stderr.

usage: tools/make-zoo-reference-transcripts.py [ZOO_SHAPES [EVAL_DIR]]
       (ZOO_SHAPES defaults to $ASR_ZOO_SHAPES, then ../shared/models/zoo-shapes; EVAL_DIR to
       ../shared/eval, both relative to the repository root)
"""
import glob
import json
import os
import sys
import time

import numpy as np
import sherpa_onnx
import soundfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_decoding import TAIL_PADDING_SECONDS, decode, token_ids  # noqa: E402
from single_thread_onnxruntime import cpu_profile  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZOO_SHAPES = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ASR_ZOO_SHAPES") or
                             os.path.join(ROOT, "..", "shared", "models", "zoo-shapes"))
EVAL = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "eval"))
OUTPUT = os.path.join(ROOT, "Tests", "RecognizerTests", "Fixtures", "zoo-reference-transcripts.json")
MODELS = ("sherpa-onnx-streaming-zipformer-en-2023-06-26", "sherpa-onnx-streaming-zipformer-en-20M-2023-02-17",
          "conformer-lite-streaming-en")
SETS = ("librispeech-mini", "mixed-14")
MAX_ACTIVE_PATHS = 4
METHODS = (("greedy", "greedy_search"), ("beam", "modified_beam_search"))


def pick(model, role, prefer_int8):
    """Mirror of ModelFiles.pick: `role*.onnx`, int8 or fp32 preferred, exactly one of that precision."""
    candidates = sorted(glob.glob(os.path.join(model, glob.escape(role) + "*.onnx")))
    if not candidates:
        sys.exit(f"{model}: missing {role}*.onnx")
    int8 = [c for c in candidates if c.endswith(".int8.onnx")]
    full = [c for c in candidates if not c.endswith(".int8.onnx")]
    preferred = (int8 or full) if prefer_int8 else (full or int8)
    if len(preferred) != 1:
        sys.exit(f"{model}: several {role} graphs ({', '.join(map(os.path.basename, preferred))})")
    return preferred[0]


def model_files(model):
    tokens = os.path.join(model, "tokens.txt")
    if not os.path.isfile(tokens):
        sys.exit(f"{model}: missing tokens.txt")
    return {"encoder": pick(model, "encoder", True), "decoder": pick(model, "decoder", False),
            "joiner": pick(model, "joiner", True), "tokens": tokens}


def recognizer(files, method):
    return sherpa_onnx.OnlineRecognizer.from_transducer(
        tokens=files["tokens"], encoder=files["encoder"], decoder=files["decoder"], joiner=files["joiner"],
        num_threads=1, sample_rate=16000, feature_dim=80, low_freq=20.0, high_freq=-400.0, dither=0.0,
        snip_edges=False, decoding_method=method, max_active_paths=MAX_ACTIVE_PATHS)


def read_set(name):
    """(key "set/utt-id", audio path) of a LibriSpeech tree or Kaldi data dir."""
    path = os.path.join(EVAL, name)
    utterances = []
    if os.path.exists(os.path.join(path, "wav.scp")):
        with open(os.path.join(path, "wav.scp"), encoding="utf-8") as f:
            for line in f:
                parts = line.split(maxsplit=1)
                if len(parts) == 2:
                    utterances.append((f"{name}/{parts[0]}", os.path.join(path, parts[1].strip())))
        return utterances
    for root, _, files in sorted(os.walk(path)):
        for file in sorted(files):
            if not file.endswith(".trans.txt"):
                continue
            with open(os.path.join(root, file), encoding="utf-8") as f:
                for line in f:
                    parts = line.split(maxsplit=1)
                    if parts:
                        utterances.append((f"{name}/{parts[0]}", os.path.join(root, parts[0] + ".flac")))
    return sorted(utterances)


def load(path):
    samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
    return np.ascontiguousarray(samples.mean(axis=1), dtype=np.float32), rate


def write(document):
    """One line per utterance: small enough to read, diffs stay per utterance."""
    lines = ["{", f' "reference": {json.dumps(document["reference"])},', f' "arithmetic": {json.dumps(cpu_profile())},',
             f' "tail_padding_seconds": {TAIL_PADDING_SECONDS},', f' "max_active_paths": {MAX_ACTIVE_PATHS},',
             f' "files": {json.dumps(document["files"], sort_keys=True)},', ' "models": {']
    models = sorted(document["models"].items())
    for m, (model, utterances) in enumerate(models):
        lines.append(f"  {json.dumps(model)}: {{")
        items = sorted(utterances.items())
        for u, (key, entry) in enumerate(items):
            comma = "," if u + 1 < len(items) else ""
            lines.append(f"   {json.dumps(key)}: {json.dumps(entry, sort_keys=True, ensure_ascii=False)}{comma}")
        lines.append("  }" + ("," if m + 1 < len(models) else ""))
    lines += [" }", "}"]
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    json.load(open(OUTPUT, encoding="utf-8"))  # still valid JSON


def main():
    utterances = [u for name in SETS for u in read_set(name)]
    if not utterances:
        sys.exit(f"no utterances under {EVAL}")
    audio = {key: load(path) for key, path in utterances}
    audio_seconds = sum(len(s) / rate for s, rate in audio.values())
    print(f"{len(utterances)} utterances, {audio_seconds:.1f} s of audio", file=sys.stderr)
    document = {"reference": f"sherpa-onnx {sherpa_onnx.__version__}", "files": {}, "models": {}}
    for model_name in MODELS:
        model = os.path.join(ZOO_SHAPES, model_name)
        files = model_files(model)
        ids = token_ids(model)
        document["files"][model_name] = {role: os.path.basename(p) for role, p in files.items()}
        results = {key: {"path": os.path.relpath(path, EVAL)} for key, path in utterances}
        for label, method in METHODS:
            wall, cpu = time.perf_counter(), time.process_time()
            r = recognizer(files, method)
            load_seconds = time.perf_counter() - wall
            wall, cpu = time.perf_counter(), time.process_time()
            for key, _ in utterances:
                samples, rate = audio[key]
                results[key][label] = decode(r, samples, rate, ids)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(f"{model_name} {label}: load {load_seconds:.2f} s, decode {wall:.2f} s wall / {cpu:.2f} s CPU, "
                  f"RTF {cpu / audio_seconds:.3f}", file=sys.stderr)
            del r
        document["models"][model_name] = results
    write(document)
    print(f"wrote {OUTPUT} ({os.path.getsize(OUTPUT)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
