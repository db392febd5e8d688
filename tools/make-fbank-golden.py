#!/usr/bin/env python3
"""Writes the fbank and FFT golden fixtures under Tests/FeaturesTests/Fixtures/.

Reference implementations: kaldi-native-fbank (PyPI) OnlineFbank with the settings sherpa-onnx uses
for zipformer2 models, fed all samples then input_finished(); numpy.fft.rfft for the FFT.
For each signal NAME it writes NAME.input.npy (float32 samples, 16 kHz) and NAME.fbank.npy
(float32 [frames, 80]), and knf-rfft{N}.npy from kaldi-native-fbank's own FFT (knf.Rfft). Run from the repository root: python3 tools/make-fbank-golden.py
"""
import os
import subprocess
import tempfile

import kaldi_native_fbank as knf
import numpy as np
import soundfile as sf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "FeaturesTests", "Fixtures")
RATE = 16000


def fbank_options():
    opts = knf.FbankOptions()
    opts.frame_opts.samp_freq = RATE
    opts.frame_opts.frame_shift_ms = 10
    opts.frame_opts.frame_length_ms = 25
    opts.frame_opts.dither = 0
    opts.frame_opts.snip_edges = False
    opts.frame_opts.remove_dc_offset = True
    opts.frame_opts.preemph_coeff = 0.97
    opts.frame_opts.window_type = "povey"
    opts.mel_opts.num_bins = 80
    opts.mel_opts.low_freq = 20
    opts.mel_opts.high_freq = -400
    opts.use_power = True
    opts.use_energy = False
    opts.use_log_fbank = True
    return opts


def reference_fbank(samples, opts=None):
    fbank = knf.OnlineFbank(opts or fbank_options())
    fbank.accept_waveform(RATE, samples.tolist())
    fbank.input_finished()
    rows = [fbank.get_frame(i) for i in range(fbank.num_frames_ready)]
    bins = (opts or fbank_options()).mel_opts.num_bins
    return np.array(rows, dtype=np.float32).reshape(len(rows), bins)


def variant_options():
    """Non-default settings, to check the options are honoured: snip_edges, Hamming window, 40 bins, magnitude."""
    opts = fbank_options()
    opts.frame_opts.snip_edges = True
    opts.frame_opts.window_type = "hamming"
    opts.mel_opts.num_bins = 40
    opts.mel_opts.high_freq = 7000
    opts.use_power = False
    return opts


def speech():
    """About 1.4 s of espeak-ng speech, resampled to 16 kHz by sox."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "raw.wav")
        wav = os.path.join(tmp, "speech.wav")
        subprocess.run(["espeak-ng", "-w", raw, "seven quick brown foxes"], check=True)
        subprocess.run(["sox", "-D", raw, "-r", str(RATE), "-c", "1", "-b", "16", wav], check=True)  # -D: no dither, so runs agree
        samples, rate = sf.read(wav, dtype="float32")
    assert rate == RATE
    return samples[: int(1.4 * RATE)].astype(np.float32)


def signals():
    rng = np.random.default_rng(20261123)
    t = np.arange(8000) / RATE
    tone = np.sin(2 * np.pi * 1000.3 * t)
    clipped = np.clip(3 * np.sin(2 * np.pi * 220 * t) + 0.05 * rng.standard_normal(t.size), -1, 1)
    return {
        "speech": speech(),
        "silence": np.zeros(8000),
        "tone": tone,
        "noise": rng.uniform(-1, 1, 8003),
        "clipped": clipped,
        "short-50": rng.uniform(-0.5, 0.5, 50),
        "short-100": rng.uniform(-0.5, 0.5, 100),
        "short-600": rng.uniform(-0.5, 0.5, 600),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, samples in signals().items():
        samples = np.asarray(samples, dtype=np.float32)
        features = reference_fbank(samples)
        np.save(os.path.join(OUT, f"{name}.input.npy"), samples)
        np.save(os.path.join(OUT, f"{name}.fbank.npy"), features)
        print(f"{name}: {samples.size} samples -> {features.shape[0]} frames")

    speech_samples = np.load(os.path.join(OUT, "speech.input.npy"))
    variant = reference_fbank(speech_samples, variant_options())
    np.save(os.path.join(OUT, "speech.variant.fbank.npy"), variant)
    print(f"speech, variant options: {variant.shape[0]} frames of {variant.shape[1]}")

    # FFT reference: numpy's rfft (double precision) of float32 input, stored as float64 [N/2+1, 2].
    rng = np.random.default_rng(512)
    for size in (512, 64):
        x = rng.uniform(-1, 1, size).astype(np.float32)
        spectrum = np.fft.rfft(x.astype(np.float64))
        np.save(os.path.join(OUT, f"fft{size}.input.npy"), x)
        np.save(os.path.join(OUT, f"fft{size}.spectrum.npy"), np.stack([spectrum.real, spectrum.imag], axis=1))

    write_rfft_golden()


def write_rfft_golden():
    """kaldi-native-fbank's own real FFT (knf.Rfft, the one its fbank runs) on random input, for the
    sizes RealFFT supports: knf-rfft{N}.npy is float32 [2, N], row 0 the input, row 1 the packed
    spectrum [Re X0, Re X(N/2), Re X1, Im X1, ...]. RealFFT must reproduce row 1 bit for bit."""
    rng = np.random.default_rng(20261124)
    for size in (4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048):
        x = rng.uniform(-1, 1, size).astype(np.float32)
        spectrum = np.array(knf.Rfft(size).compute(x.tolist()), dtype=np.float32)
        np.save(os.path.join(OUT, f"knf-rfft{size}.npy"), np.stack([x, spectrum]))


if __name__ == "__main__":
    main()
