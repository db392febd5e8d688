#!/usr/bin/env python3
"""Writes Tests/RecognizerTests/Fixtures/endpoint-reference.json: sherpa-onnx's segments, greedy and
modified beam search (4 paths), with endpoint detection on (its default rules) and the stream reset
at each endpoint, on one long input: seven utterances of ../shared/eval joined by 2 s of silence.

The audio is fed in 0.1 s pieces; after each decode_stream call an endpoint ends the segment
(result taken, then reset). At the end 0.66 s of zeros and input_finished, and the last segment.
Token ids are recovered from the pieces through tokens.txt. The model is the 3.3M development model.

usage: tools/make-endpoint-reference.py [MODEL_DIR [EVAL_DIR]]
"""
import json
import os
import sys

import numpy as np
import sherpa_onnx
import soundfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_decoding import TAIL_PADDING_SECONDS, token_ids  # noqa: E402
from single_thread_onnxruntime import cpu_profile  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "models", "zipformer2-kws-3.3M-gigaspeech")
EVAL = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "eval")
OUTPUT = os.path.join(ROOT, "Tests", "RecognizerTests", "Fixtures", "endpoint-reference.json")
FILES = ["librispeech-mini/LibriSpeech/test-clean/1089/134686/1089-134686-0000.flac",
         "librispeech-mini/LibriSpeech/test-clean/1089/134686/1089-134686-0001.flac",
         "librispeech-mini/LibriSpeech/dev-clean/2412/153948/2412-153948-0000.flac",
         "librispeech-mini/LibriSpeech/dev-clean/2412/153948/2412-153948-0001.flac",
         "mixed-14/audio/arctic_aew_a0001.flac", "mixed-14/audio/POD1000000004_S0000051.flac",
         "mixed-14/audio/ps_0890.flac"]
GAP_SECONDS, PIECE_SECONDS = 2.0, 0.1


def audio():
    parts = []
    for index, name in enumerate(FILES):
        samples, rate = soundfile.read(os.path.join(EVAL, name), dtype="float32", always_2d=True)
        assert rate == 16000, name
        if index:
            parts.append(np.zeros(int(GAP_SECONDS * rate), dtype=np.float32))
        parts.append(np.ascontiguousarray(samples.mean(axis=1), dtype=np.float32))
    return np.concatenate(parts)


def segments(method, samples, ids):
    recognizer = sherpa_onnx.OnlineRecognizer.from_transducer(
        tokens=os.path.join(MODEL, "tokens.txt"), encoder=os.path.join(MODEL, "encoder.int8.onnx"),
        decoder=os.path.join(MODEL, "decoder.onnx"), joiner=os.path.join(MODEL, "joiner.int8.onnx"),
        num_threads=1, sample_rate=16000, feature_dim=80, decoding_method=method, max_active_paths=4,
        enable_endpoint_detection=True)
    stream, found = recognizer.create_stream(), []

    def result():
        r = recognizer.get_result_all(stream)
        return {"text": r.text, "tokens": [ids[t] for t in r.tokens]}

    def drain():
        while recognizer.is_ready(stream):
            recognizer.decode_stream(stream)
            if recognizer.is_endpoint(stream):
                found.append(result())
                recognizer.reset(stream)

    piece = int(PIECE_SECONDS * 16000)
    for start in range(0, len(samples), piece):
        stream.accept_waveform(16000, samples[start:start + piece])
        drain()
    stream.accept_waveform(16000, np.zeros(int(TAIL_PADDING_SECONDS * 16000), dtype=np.float32))
    stream.input_finished()
    drain()
    found.append(result())
    return found


def main():
    ids, samples = token_ids(MODEL), audio()
    document = {"reference": f"sherpa-onnx {sherpa_onnx.__version__}", "arithmetic": cpu_profile(), "files": FILES,
                "gap_seconds": GAP_SECONDS, "piece_seconds": PIECE_SECONDS,
                "greedy": segments("greedy_search", samples, ids),
                "beam": segments("modified_beam_search", samples, ids)}
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False, indent=1)
    for method in ("greedy", "beam"):
        print(method, [s["text"] for s in document[method]])


if __name__ == "__main__":
    main()
