#!/usr/bin/env python3
"""Re-implements sherpa-onnx's streaming modified beam search on onnxruntime's encoder, decoder and
joiner, to tell search semantics from numeric noise: run on an evaluation set, it should reproduce
sherpa-onnx's transcripts exactly.

    tools/modified-beam-search-reference.py SET_DIR [--paths 4] [--joiner shared|per-row]
        [--json OUT] [--sherpa SHERPA_JSON]
    tools/modified-beam-search-reference.py AUDIO --fixture OUT.bin

What it mirrors (sherpa-onnx 2.0.1 online-transducer-modified-beam-search-decoder.cc, hypothesis.cc,
math.h): features as sherpa-onnx computes them (kaldi-native-fbank, 0.66 s of zeros appended), one
encoder call per 45 frames advancing 32, start context [-1, blank]; per encoder frame all active
paths go through the joiner as ONE batch (--joiner shared, the reference; the int8 joiner's
DynamicQuantizeLinear then takes one scale over every path's row) or one row per call
(--joiner per-row); float log-softmax, each path's score added in float, top-k over all
(path, token) pairs; blank and <unk> add no token; equal token sequences merge by log-add in double;
the result is the path with the best score / (2 + tokens).
With --fixture it writes, for one audio file, onnxruntime's encoder frames and the reference search's
results on them, so a test can run our search on exactly the reference's encoder output.
With --sherpa (sherpa-onnx's transcripts keyed by absolute audio path) it lists the utterances whose
transcripts differ.
"""
import argparse
import importlib.util
import json
import os
import sys

import kaldi_native_fbank as knf
import numpy as np
import onnxruntime as ort
import soundfile

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("compare", os.path.join(HERE, "compare-sherpa-onnx.py"))
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)

TAIL_PADDING_SECONDS = 0.66


def session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])


class Model:
    def __init__(self, directory):
        self.encoder = session(os.path.join(directory, "encoder.int8.onnx"))
        self.decoder = session(os.path.join(directory, "decoder.onnx"))
        self.joiner = session(os.path.join(directory, "joiner.int8.onnx"))
        meta = self.encoder.get_modelmeta().custom_metadata_map
        self.chunk_length, self.chunk_shift = int(meta["T"]), int(meta["decode_chunk_len"])
        self.state_inputs = [i for i in self.encoder.get_inputs() if i.name != "x"]
        self.output_names = [o.name for o in self.encoder.get_outputs()]
        self.pieces = {}
        with open(os.path.join(directory, "tokens.txt"), encoding="utf-8") as f:
            for line in f:
                piece, index = line.rstrip("\n").rsplit(" ", 1)
                self.pieces[int(index)] = piece
        self.unk = next((i for i, p in self.pieces.items() if p == "<unk>"), -1)

    def initial_states(self):
        return {i.name: np.zeros(i.shape, dtype=np.int64 if "int64" in i.type else np.float32)
                for i in self.state_inputs}

    def encode(self, x, states):
        results = dict(zip(self.output_names, self.encoder.run(self.output_names, {"x": x, **states})))
        return results["encoder_out"][0], {name: results["new_" + name] for name in states}

    def text(self, tokens):
        return "".join(self.pieces[t] for t in tokens if self.pieces[t] != "<unk>").replace("\u2581", " ").strip()


def fbank(samples, rate):
    opts = knf.FbankOptions()
    opts.frame_opts.dither = 0
    opts.frame_opts.snip_edges = False
    opts.frame_opts.samp_freq = 16000
    opts.mel_opts.num_bins = 80
    opts.mel_opts.high_freq = -400
    computer = knf.OnlineFbank(opts)
    computer.accept_waveform(rate, samples.tolist())
    computer.accept_waveform(rate, [0.0] * int(TAIL_PADDING_SECONDS * rate))
    computer.input_finished()
    return np.stack([computer.get_frame(i) for i in range(computer.num_frames_ready)]).astype(np.float32)


def log_softmax(rows):
    """Float log-softmax as math.h computes it: exp and log in double, sums and results in float."""
    m = rows.max(axis=1, keepdims=True)
    e = np.exp((rows - m).astype(np.float64)).astype(np.float32)
    total = np.zeros((rows.shape[0], 1), dtype=np.float32)
    for k in range(rows.shape[1]):  # sequential float accumulation
        total += e[:, k:k + 1]
    offset = (m.astype(np.float64) + np.log(total.astype(np.float64))).astype(np.float32)
    return (rows - offset).astype(np.float32)


def log_add(x, y):
    if x < y:
        x, y = y, x
    diff = y - x
    return x + np.log1p(np.exp(diff)) if diff >= -36.0436533891171535515 else x


def encoder_frames(model, samples, rate):
    """onnxruntime's encoder output for the whole utterance, chunk by chunk with carried caches."""
    frames = fbank(samples, rate)
    states = model.initial_states()
    outputs, processed = [], 0
    while processed + model.chunk_length < len(frames):
        encoder_out, states = model.encode(frames[processed:processed + model.chunk_length][None], states)
        processed += model.chunk_shift
        outputs.append(encoder_out)
    return np.concatenate(outputs) if outputs else np.zeros((0, 320), np.float32)


def search(model, frames, paths, joiner_mode):
    """Returns the active paths {token sequence with the start context: log-probability}."""
    hyps = {(-1, 0): 0.0}  # token sequence (start context included) -> log-probability (double)
    for frame in frames:
        prev = list(hyps.items())
        contexts = np.array([ys[-2:] for ys, _ in prev], dtype=np.int64)
        decoder_out = model.decoder.run(None, {"y": contexts})[0]
        encoder_rows = np.repeat(frame[None], len(prev), axis=0)
        if joiner_mode == "shared":
            logits = model.joiner.run(None, {"encoder_out": encoder_rows, "decoder_out": decoder_out})[0]
        else:
            logits = np.concatenate([model.joiner.run(None, {"encoder_out": encoder_rows[i:i + 1],
                                                             "decoder_out": decoder_out[i:i + 1]})[0]
                                     for i in range(len(prev))])
        scores = log_softmax(logits)
        scores += np.array([[np.float32(lp)] for _, lp in prev], dtype=np.float32)
        flat = scores.reshape(-1)
        vocabulary = scores.shape[1]
        top = np.argsort(-flat, kind="stable")[:paths]
        hyps = {}
        for k in top:
            ys, _ = prev[k // vocabulary]
            token = int(k % vocabulary)
            if token != 0 and token != model.unk:
                ys = ys + (token,)
            score = float(flat[k])
            hyps[ys] = log_add(hyps[ys], score) if ys in hyps else score
    return hyps


def best_tokens(hyps):
    return list(max(hyps.items(), key=lambda item: item[1] / len(item[0]))[0][2:])


def decode(model, samples, rate, paths, joiner_mode):
    return model.text(best_tokens(search(model, encoder_frames(model, samples, rate), paths, joiner_mode)))


def write_fixture(model, audio, path, paths):
    """Encoder frames of `audio` (onnxruntime) and what the reference search makes of them: greedy tokens
    (one path), beam tokens, and every final beam path's tokens and log-probability."""
    from tensor_bundle import write_bundle
    samples, rate = soundfile.read(audio, dtype="float32", always_2d=True)
    frames = encoder_frames(model, np.ascontiguousarray(samples.mean(axis=1)), rate)
    greedy = best_tokens(search(model, frames, 1, "shared"))
    beam = search(model, frames, paths, "shared")
    tensors = [("encoder_out", frames), ("greedy.tokens", np.array(greedy, dtype=np.int64)),
               ("beam.tokens", np.array(best_tokens(beam), dtype=np.int64))]
    for index, (ys, log_prob) in enumerate(sorted(beam.items(), key=lambda item: -item[1])):
        tensors.append((f"beam.path{index}.tokens", np.array(ys[2:], dtype=np.int64)))
        tensors.append((f"beam.path{index}.log_probability", np.array([log_prob], dtype=np.float32)))
    write_bundle(path, tensors)
    print(f"{path}: {len(frames)} frames; greedy '{model.text(greedy)}'; beam '{model.text(best_tokens(beam))}'")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", help="an evaluation set; with --fixture, one audio file")
    parser.add_argument("--paths", type=int, default=4)
    parser.add_argument("--joiner", choices=["shared", "per-row"], default="shared")
    parser.add_argument("--model", default=os.path.join(HERE, "..", "..", "shared", "models",
                                                         "zipformer2-kws-3.3M-gigaspeech"))
    parser.add_argument("--json", help="write {audio path: transcript} here")
    parser.add_argument("--sherpa", help="JSON {audio path: text} of sherpa-onnx transcripts to compare with "
                                         "(as tools/diff-transcripts-with-sherpa-onnx.py --sherpa-json writes)")
    parser.add_argument("--fixture", help="write the search fixture of one audio file here (a tensor bundle)")
    arguments = parser.parse_args()
    model = Model(arguments.model)
    if arguments.fixture:
        write_fixture(model, arguments.set, arguments.fixture, arguments.paths)
        return
    reference = {}
    if arguments.sherpa:
        with open(arguments.sherpa) as f:
            reference = json.load(f)
    transcripts, differing = {}, 0
    for _, audio, _ in compare.read_set(arguments.set):
        samples, rate = soundfile.read(audio, dtype="float32", always_2d=True)
        samples = np.ascontiguousarray(samples.mean(axis=1))
        text = decode(model, samples, rate, arguments.paths, arguments.joiner)
        transcripts[audio] = text
        expected = reference.get(audio)
        if isinstance(expected, dict):
            expected = expected.get("hyp", "")
        if expected is not None and expected.strip() != text:
            differing += 1
            print(f"{audio}\n  sherpa-onnx: {expected.strip()}\n  this:        {text}")
    print(f"{len(transcripts)} utterances, {differing} differ from the given sherpa-onnx transcripts")
    if arguments.json:
        with open(arguments.json, "w") as f:
            json.dump(transcripts, f, indent=0)


if __name__ == "__main__":
    main()
