#!/usr/bin/env python3
"""Writes the resampler golden fixtures under Tests/AudioIOTests/Fixtures/resampler/.

Reference implementation: the LinearResample that sherpa-onnx runs inside accept_waveform when the
input rate is not 16 kHz (Kaldi's windowed-sinc resampler, cutoff 0.99 * 0.5 * min(rates), 6 zeros),
called through sherpa-onnx's C API (SherpaOnnxCreateLinearResampler / SherpaOnnxLinearResamplerResample,
in the PyPI wheel's libsherpa-onnx-c-api.so). For each input rate it writes the input (a chirp plus noise, 0.1 s), the
output of feeding it in pieces of 1000 samples without flushing (what sherpa-onnx feeds its fbank)
and the output of the same pieces with the last one flushed, as raw little-endian float32 files RATE.input.f32, RATE.streamed.f32 and
RATE.flushed.f32.
Run from the repository root: python3 tools/make-resampler-golden.py
"""
import ctypes
import os

import numpy as np
import sherpa_onnx

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "AudioIOTests", "Fixtures", "resampler")


class ResampleOut(ctypes.Structure):
    _fields_ = [("samples", ctypes.POINTER(ctypes.c_float)), ("n", ctypes.c_int32)]


def library():
    lib = ctypes.CDLL(os.path.join(os.path.dirname(sherpa_onnx.__file__), "lib", "libsherpa-onnx-c-api.so"))
    lib.SherpaOnnxCreateLinearResampler.restype = ctypes.c_void_p
    lib.SherpaOnnxCreateLinearResampler.argtypes = [ctypes.c_int32, ctypes.c_int32, ctypes.c_float, ctypes.c_int32]
    lib.SherpaOnnxLinearResamplerResample.restype = ctypes.POINTER(ResampleOut)
    lib.SherpaOnnxLinearResamplerResample.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.c_int32, ctypes.c_int32]
    lib.SherpaOnnxLinearResamplerResampleFree.argtypes = [ctypes.POINTER(ResampleOut)]
    lib.SherpaOnnxDestroyLinearResampler.argtypes = [ctypes.c_void_p]
    return lib


def resample(lib, samples, rate_in, rate_out, flush_last):
    # The cutoff sherpa-onnx's OnlineStream computes: a float from 0.99 * 0.5 * min(rates).
    cutoff = float(np.float32(0.99 * 0.5 * float(np.float32(min(rate_in, rate_out)))))
    handle = lib.SherpaOnnxCreateLinearResampler(rate_in, rate_out, cutoff, 6)
    pieces = [samples[i:i + 1000] for i in range(0, len(samples), 1000)]
    output = []
    for index, piece in enumerate(pieces):
        piece = np.ascontiguousarray(piece, dtype=np.float32)
        flush = 1 if flush_last and index == len(pieces) - 1 else 0
        result = lib.SherpaOnnxLinearResamplerResample(handle, piece.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), len(piece), flush)
        output.extend(result.contents.samples[i] for i in range(result.contents.n))
        lib.SherpaOnnxLinearResamplerResampleFree(result)
    lib.SherpaOnnxDestroyLinearResampler(handle)
    return np.array(output, dtype=np.float32)


def main():
    os.makedirs(OUT, exist_ok=True)
    lib = library()
    rng = np.random.default_rng(22050)
    for rate in (8000, 22050, 44100, 48000):
        t = np.arange(int(0.1 * rate)) / rate
        signal = 0.5 * np.sin(2 * np.pi * (200 * t + 0.5 * (rate / 2) * t * t / t[-1])) + 0.05 * rng.standard_normal(t.size)
        signal = signal.astype(np.float32)
        streamed = resample(lib, signal, rate, 16000, flush_last=False)
        flushed = resample(lib, signal, rate, 16000, flush_last=True)
        for name, values in (("input", signal), ("streamed", streamed), ("flushed", flushed)):
            values.astype("<f4").tofile(os.path.join(OUT, f"{rate}.{name}.f32"))
        print(f"{rate} Hz: {len(signal)} samples -> {len(streamed)} streamed, {len(flushed)} flushed")


if __name__ == "__main__":
    main()
