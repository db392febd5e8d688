#!/usr/bin/env python3
"""Writes Tests/RecognizerTests/Fixtures/reference-transcripts.json: what sherpa-onnx (the reference
implementation) decodes from each audio fixture with the shared model.

For every file in audio-fixtures/: greedy search and modified beam search (4 paths), one thread,
the model's feature settings, 0.66 s of zeros appended before input_finished. Also a greedy run with
endpoint detection on (sherpa-onnx's default rules), resetting at each endpoint, giving segments.
Token ids are recovered from the pieces through tokens.txt.

usage: tools/make-reference-transcripts.py [MODEL_DIR]
"""
import json
import os
import sys

import numpy as np
import sherpa_onnx
import soundfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_decoding import TAIL_PADDING_SECONDS, token_ids  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "models",
                                                          "zipformer2-kws-3.3M-gigaspeech")
FIXTURES = os.path.join(ROOT, "audio-fixtures")
OUTPUT = os.path.join(ROOT, "Tests", "RecognizerTests", "Fixtures", "reference-transcripts.json")


def recognizer(method, endpoints=False):
    return sherpa_onnx.OnlineRecognizer.from_transducer(
        tokens=os.path.join(MODEL, "tokens.txt"),
        encoder=os.path.join(MODEL, "encoder.int8.onnx"),
        decoder=os.path.join(MODEL, "decoder.onnx"),
        joiner=os.path.join(MODEL, "joiner.int8.onnx"),
        num_threads=1, sample_rate=16000, feature_dim=80, decoding_method=method,
        max_active_paths=4, enable_endpoint_detection=endpoints)


def result(r, stream, ids):
    res = r.get_result_all(stream)
    return {"text": res.text, "tokens": [ids[t] for t in res.tokens],
            "timestamps": [round(float(t), 4) for t in res.timestamps],
            "segment": res.segment, "start_time": round(float(res.start_time), 4)}


def decode(r, samples, rate, ids):
    stream = r.create_stream()
    stream.accept_waveform(rate, samples)
    stream.accept_waveform(rate, np.zeros(int(TAIL_PADDING_SECONDS * rate), dtype=np.float32))
    stream.input_finished()
    while r.is_ready(stream):
        r.decode_stream(stream)
    return result(r, stream, ids)


def decode_segments(r, samples, rate, ids):
    stream = r.create_stream()
    stream.accept_waveform(rate, samples)
    stream.accept_waveform(rate, np.zeros(int(TAIL_PADDING_SECONDS * rate), dtype=np.float32))
    stream.input_finished()
    segments = []
    while r.is_ready(stream):
        r.decode_stream(stream)
        if r.is_endpoint(stream):
            segments.append(result(r, stream, ids))
            r.reset(stream)
    segments.append(result(r, stream, ids))
    return [s for s in segments if s["tokens"]]


def main():
    ids = token_ids(MODEL)
    greedy, beam, endpointing = recognizer("greedy_search"), recognizer("modified_beam_search"), \
        recognizer("greedy_search", endpoints=True)
    files = {}
    for name in sorted(os.listdir(FIXTURES)):
        path = os.path.join(FIXTURES, name)
        try:
            samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
        except Exception as error:  # not audio (or unreadable on purpose): skip
            print(f"skip {name}: {error}")
            continue
        samples = np.ascontiguousarray(samples.mean(axis=1), dtype=np.float32)
        files[name] = {
            "sample_rate": rate,
            "greedy": decode(greedy, samples, rate, ids),
            "beam4": decode(beam, samples, rate, ids),
            "greedy_endpoint_segments": decode_segments(endpointing, samples, rate, ids),
        }
        print(name, "|", files[name]["greedy"]["text"], "|", files[name]["beam4"]["text"])
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump({"reference": f"sherpa-onnx {sherpa_onnx.__version__}", "tail_padding_seconds": TAIL_PADDING_SECONDS,
                   "files": files}, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
