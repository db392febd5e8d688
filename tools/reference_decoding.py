"""What the tools/ scripts share to make reference data: sherpa-onnx's features and token ids, and
one sherpa-onnx decode of a whole file as the project compares it (0.66 s of zeros appended)."""
import os

import kaldi_native_fbank as knf
import numpy as np

TAIL_PADDING_SECONDS = 0.66


def fbank(samples):
    """kaldi-native-fbank with sherpa-onnx's settings (16 kHz, 80 bins, no dither, snip_edges off)."""
    opts = knf.FbankOptions()
    opts.frame_opts.dither = 0
    opts.frame_opts.snip_edges = False
    opts.frame_opts.samp_freq = 16000
    opts.mel_opts.num_bins = 80
    opts.mel_opts.high_freq = -400
    computer = knf.OnlineFbank(opts)
    computer.accept_waveform(16000, samples.tolist())
    computer.input_finished()
    return np.stack([computer.get_frame(i) for i in range(computer.num_frames_ready)]).astype(np.float32)


def token_ids(model_dir):
    """Token id of each piece of tokens.txt, as sherpa-onnx results spell it ("▁" as a space)."""
    ids = {}
    with open(os.path.join(model_dir, "tokens.txt"), encoding="utf-8") as f:
        for line in f:
            piece, index = line.rstrip("\n").rsplit(" ", 1)
            piece = piece.replace("\u2581", " ")
            if piece in ids:
                raise ValueError(f"{model_dir}/tokens.txt: piece {piece!r} is ambiguous once \u2581 becomes a space")
            ids[piece] = int(index)
    return ids


def decode(recognizer, samples, rate, ids):
    """sherpa-onnx's tokens, text and token times for one file, tail padding included."""
    stream = recognizer.create_stream()
    stream.accept_waveform(rate, samples)
    stream.accept_waveform(rate, np.zeros(int(TAIL_PADDING_SECONDS * rate), dtype=np.float32))
    stream.input_finished()
    while recognizer.is_ready(stream):
        recognizer.decode_stream(stream)
    res = recognizer.get_result_all(stream)
    return {"tokens": [ids[t] for t in res.tokens], "text": res.text,
            "timestamps": [round(float(t), 4) for t in res.timestamps]}
