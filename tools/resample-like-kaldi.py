#!/usr/bin/env python3
"""Resamples a Kaldi data dir (wav.scp + text) to 16 kHz with the resampler sherpa-onnx runs inside
accept_waveform: Kaldi's LinearResample (sherpa-onnx/csrc/resample.cc), a Hann-windowed sinc with
cutoff 0.99 * 0.5 * min(rate in, rate out) and 6 zeros each side, never flushed. Writes float WAV
files (no re-quantization) and a new wav.scp + text, so both recognizers can decode the very same
16 kHz samples. For measuring; the product resamples with AudioIO.Resampler, the same filter.

    tools/resample-like-kaldi.py SOURCE_DATA_DIR OUTPUT_DIR [--tail-padding 0.66]

With --tail-padding S the output is what sherpa-onnx feeds its fbank when the caller appends S seconds
of zeros at the source rate before input_finished (the resampler output of audio + zeros, as many
samples as it yields without flushing), minus nothing: decode it WITHOUT further padding to reproduce
the reference's input exactly. Without it (the default, 0), the output is the audio alone resampled
and flushed (all samples up to its end), to be decoded with the usual padding.
"""
import argparse
import math
import os

import numpy as np
import soundfile

NUM_ZEROS = 6


def filter_weights(rate_in, rate_out, cutoff):
    """Per output phase: first input index and float weights, as LinearResample::SetIndexesAndWeights."""
    base = math.gcd(rate_in, rate_out)
    out_in_unit = rate_out // base
    window_width = NUM_ZEROS / (2.0 * cutoff)
    first, weights = [], []
    for i in range(out_in_unit):
        output_t = i / rate_out
        lo = math.ceil((output_t - window_width) * rate_in)
        hi = math.floor((output_t + window_width) * rate_in)
        index = np.arange(lo, hi + 1)
        delta = (index / rate_in - output_t).astype(np.float32).astype(np.float64)  # FilterFunc takes a float
        # FilterFunc: window and sinc computed in double, each stored as a float, multiplied in float.
        window = np.where(np.abs(delta) < window_width,
                          0.5 * (1 + np.cos(2 * math.pi * cutoff / NUM_ZEROS * delta)), 0.0).astype(np.float32)
        with np.errstate(invalid="ignore", divide="ignore"):
            sinc = np.where(delta != 0, np.sin(2 * math.pi * cutoff * delta) / (math.pi * delta),
                            2 * cutoff).astype(np.float32)
        weights.append((sinc * window) / np.float32(rate_in))
        first.append(lo)
    return first, weights, rate_in // base, out_in_unit


def output_count(rate_in, rate_out, cutoff, samples_in, flush):
    """LinearResample::GetNumOutputSamples."""
    tick = rate_in * rate_out // math.gcd(rate_in, rate_out)
    ticks = samples_in * (tick // rate_in)
    if not flush:
        ticks -= math.floor(np.float32(NUM_ZEROS / (2.0 * cutoff)) * tick)
    if ticks <= 0:
        return 0
    per_output = tick // rate_out
    last = ticks // per_output
    if last * per_output == ticks:
        last -= 1
    return last + 1


def resample(x, rate_in, rate_out, flush):
    cutoff = 0.99 * 0.5 * min(rate_in, rate_out)
    first, weights, in_unit, out_unit = filter_weights(rate_in, rate_out, cutoff)
    count = output_count(rate_in, rate_out, cutoff, len(x), flush)
    width = max(len(w) for w in weights)
    padded = np.concatenate([np.zeros(width * 2, np.float32), x, np.zeros(width * 2, np.float32)])
    y = np.zeros(count, dtype=np.float32)
    for phase in range(out_unit):
        n = np.arange(phase, count, out_unit)
        if len(n) == 0:
            continue
        start = first[phase] + (n // out_unit) * in_unit + width * 2
        w = weights[phase]
        acc = np.zeros(len(n), dtype=np.float32)
        for j in range(len(w)):  # float accumulation in the reference's order
            acc += w[j] * padded[start + j]
        y[n] = acc
    return y


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source")
    parser.add_argument("output")
    parser.add_argument("--tail-padding", type=float, default=0.0)
    arguments = parser.parse_args()
    os.makedirs(os.path.join(arguments.output, "audio"), exist_ok=True)
    lines = []
    with open(os.path.join(arguments.source, "wav.scp"), encoding="utf-8") as f:
        for line in f:
            parts = line.split(maxsplit=1)
            if len(parts) != 2:
                continue
            utterance, relative = parts[0], parts[1].strip()
            samples, rate = soundfile.read(os.path.join(arguments.source, relative), dtype="float32", always_2d=True)
            samples = np.ascontiguousarray(samples.mean(axis=1))
            if arguments.tail_padding > 0:
                samples = np.concatenate([samples, np.zeros(int(arguments.tail_padding * rate), np.float32)])
                out = resample(samples, rate, 16000, flush=False)
            else:
                out = resample(samples, rate, 16000, flush=True)
            name = os.path.join("audio", utterance + ".wav")
            soundfile.write(os.path.join(arguments.output, name), out, 16000, subtype="FLOAT")
            lines.append(f"{utterance} {name}\n")
    with open(os.path.join(arguments.output, "wav.scp"), "w", encoding="utf-8") as f:
        f.writelines(lines)
    with open(os.path.join(arguments.source, "text"), encoding="utf-8") as src, \
            open(os.path.join(arguments.output, "text"), "w", encoding="utf-8") as dst:
        dst.write(src.read())


if __name__ == "__main__":
    main()
