#!/usr/bin/env python3
"""What sherpa-onnx (PyPI, one thread, dither 0) decodes in silence and steady noise, to tell a
property of the model and search from one of `asr`.

    tools/sherpa-onnx-on-silence.py [--model DIR] [--set SET_DIR] [--dither-dbfs D]

Streams, in 100 ms pieces with endpointing on (as `asr listen`), then 0.66 s of zeros and
input_finished: 30 s of digital silence, of white noise at -50/-60/-70 dBFS and of a 50 Hz hum at
-20/-30/-50 dBFS (seeded), then each utterance of SET followed by 1.5 s of zeros; greedy search and
modified beam search with 4 paths. Prints the segments of each. --dither-dbfs adds Gaussian noise of
that RMS to every sample first (what Kaldi's dither does to the frames).
"""
import argparse
import glob
import os

import numpy as np
import sherpa_onnx
import soundfile

HERE = os.path.dirname(os.path.abspath(__file__))


def recognizer(model, method):
    return sherpa_onnx.OnlineRecognizer.from_transducer(
        tokens=os.path.join(model, "tokens.txt"), encoder=os.path.join(model, "encoder.int8.onnx"),
        decoder=os.path.join(model, "decoder.onnx"), joiner=os.path.join(model, "joiner.int8.onnx"),
        num_threads=1, sample_rate=16000, feature_dim=80, low_freq=20.0, high_freq=-400.0, dither=0.0,
        snip_edges=False, decoding_method=method, max_active_paths=4, enable_endpoint_detection=True)


def segments(r, samples):
    stream, found = r.create_stream(), []
    for start in range(0, len(samples), 1600):
        stream.accept_waveform(16000, samples[start:start + 1600])
        while r.is_ready(stream):
            r.decode_stream(stream)
        if r.is_endpoint(stream):
            found.append(r.get_result(stream))
            r.reset(stream)
    stream.accept_waveform(16000, np.zeros(int(0.66 * 16000), np.float32))
    stream.input_finished()
    while r.is_ready(stream):
        r.decode_stream(stream)
    found.append(r.get_result(stream))
    return [text for text in found if text]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=os.path.join(HERE, "..", "..", "shared", "models", "zipformer2-kws-3.3M-gigaspeech"))
    parser.add_argument("--set", default=os.path.join(HERE, "..", "..", "shared", "eval", "librispeech-test-other-50"))
    parser.add_argument("--dither-dbfs", type=float)
    arguments = parser.parse_args()
    random = np.random.default_rng(1)
    count = 30 * 16000
    time = np.arange(count) / 16000
    signals = {"digital silence": np.zeros(count)}
    for level in (-50, -60, -70):
        signals[f"white noise {level} dBFS"] = random.standard_normal(count) * 10 ** (level / 20)
    for level in (-20, -30, -50):
        signals[f"50 Hz hum {level} dBFS"] = np.sin(2 * np.pi * 50 * time) * 10 ** (level / 20) * np.sqrt(2)
    for path in sorted(glob.glob(os.path.join(arguments.set, "**", "*.flac"), recursive=True)):
        samples, _ = soundfile.read(path, dtype="float32")
        signals[os.path.basename(path) + " + 1.5 s zeros"] = np.concatenate([samples, np.zeros(24000)])
    for method in ("greedy_search", "modified_beam_search"):
        r = recognizer(arguments.model, method)
        for name, samples in signals.items():
            if arguments.dither_dbfs is not None:
                samples = samples + random.standard_normal(len(samples)) * 10 ** (arguments.dither_dbfs / 20)
            print(f"{method}\t{name}\t{' | '.join(segments(r, samples.astype(np.float32)))}", flush=True)


if __name__ == "__main__":
    main()
