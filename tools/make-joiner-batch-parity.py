#!/usr/bin/env python3
"""Makes Tests/RecognizerTests/Fixtures/joiner-batch-parity.bin with onnxruntime (one thread): the int8
joiner run on one batch of rows, as sherpa-onnx's modified beam search runs it over the active paths.

Its DynamicQuantizeLinear takes one scale and zero point over the whole batch, so a row's logits
depend on the other rows; the fixture holds both the batched logits and the one-row-per-call ones.
Contents: `encoder_out` [1, 320] (a speech frame of audio-fixtures/weather-16k.wav, chunk 2 frame 3),
`decoder_out` [4, 320] (decoder.onnx on four contexts), `logit.batch<N>` [N, 500] for the first N
decoder rows joined in one call (N = 2, 3, 4), `logit.rows` [4, 500] one row per call.

usage: tools/make-joiner-batch-parity.py [MODEL_DIR]
"""
import os
import sys

import kaldi_native_fbank as knf
import numpy as np
import onnxruntime as ort
import soundfile as sf

from tensor_bundle import write_bundle

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "models", "zipformer2-kws-3.3M-gigaspeech")
OUTPUT = os.path.join(ROOT, "Tests", "RecognizerTests", "Fixtures", "joiner-batch-parity.bin")
CONTEXTS = [[-1, 0], [0, 17], [17, 233], [233, 41]]


def session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])


def main():
    samples, rate = sf.read(os.path.join(ROOT, "audio-fixtures", "weather-16k.wav"), dtype="float32")
    assert rate == 16000
    opts = knf.FbankOptions()
    opts.frame_opts.dither = 0
    opts.frame_opts.snip_edges = False
    opts.mel_opts.num_bins = 80
    opts.mel_opts.high_freq = -400
    computer = knf.OnlineFbank(opts)
    computer.accept_waveform(16000, samples.tolist())
    computer.input_finished()
    frames = np.stack([computer.get_frame(i) for i in range(computer.num_frames_ready)]).astype(np.float32)

    encoder = session(os.path.join(MODEL, "encoder.int8.onnx"))
    meta = encoder.get_modelmeta().custom_metadata_map
    length, shift = int(meta["T"]), int(meta["decode_chunk_len"])
    states = {i.name: np.zeros(i.shape, dtype=np.int64 if "int64" in i.type else np.float32)
              for i in encoder.get_inputs() if i.name != "x"}
    names = [o.name for o in encoder.get_outputs()]
    for chunk in range(3):
        results = dict(zip(names, encoder.run(names, {"x": frames[chunk * shift:chunk * shift + length][None], **states})))
        states = {name: results["new_" + name] for name in states}
    frame = results["encoder_out"][0, 3:4]

    decoder_out = session(os.path.join(MODEL, "decoder.onnx")).run(None, {"y": np.array(CONTEXTS, dtype=np.int64)})[0]
    joiner = session(os.path.join(MODEL, "joiner.int8.onnx"))
    tensors = [("encoder_out", frame), ("decoder_out", decoder_out)]
    for rows in (2, 3, 4):
        logits = joiner.run(None, {"encoder_out": np.repeat(frame, rows, axis=0), "decoder_out": decoder_out[:rows]})[0]
        tensors.append((f"logit.batch{rows}", logits))
    single = np.concatenate([joiner.run(None, {"encoder_out": frame, "decoder_out": decoder_out[i:i + 1]})[0]
                             for i in range(len(CONTEXTS))])
    tensors.append(("logit.rows", single))
    print("largest batched-vs-single difference per row:",
          np.abs(tensors[-2][1] - single).max(axis=1))
    write_bundle(OUTPUT, tensors)


if __name__ == "__main__":
    main()
