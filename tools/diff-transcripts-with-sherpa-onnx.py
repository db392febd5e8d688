#!/usr/bin/env python3
"""Per-utterance comparison of `asr transcribe` with sherpa-onnx on evaluation sets: WER of both as the
model README scores it (upper-case, whitespace split, jiwer), and every utterance whose transcripts
differ.

    tools/diff-transcripts-with-sherpa-onnx.py ASR_EXECUTABLE greedy|beam [SET...] [--json OUT]
        [--sherpa-json CACHED] [--no-padding] [--asr-flag=--quantize-fp32]

sherpa-onnx runs exactly as tools/compare-sherpa-onnx.py sets it up (one thread, the README's feature
settings, 0.66 s of zeros appended at the file's rate before input_finished, modified beam search
with 4 paths). Sets default to every directory in ../shared/eval. --sherpa-json reuses (or, when
missing, writes) sherpa-onnx's transcripts. --no-padding gives sherpa-onnx no tail padding (for
files that already hold the padding; `asr` always pads). --sherpa-input-scale scales sherpa-onnx's
input samples, to measure how far an inaudible change moves the reference itself.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys

import jiwer
import numpy as np
import soundfile

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("compare", os.path.join(HERE, "compare-sherpa-onnx.py"))
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)
EVAL = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "eval"))


def sherpa_transcripts(model, method, sets, padding, scale=1.0):
    recognizer = compare.make_recognizer(model, method)
    result = {}
    for path in sets:
        for _, audio, _ in compare.read_set(path):
            samples, rate = soundfile.read(audio, dtype="float32", always_2d=True)
            samples = np.ascontiguousarray(samples.mean(axis=1))
            if scale != 1.0:
                samples = (samples * np.float32(scale)).astype(np.float32)
            stream = recognizer.create_stream()
            stream.accept_waveform(rate, samples)
            if padding:
                stream.accept_waveform(rate, np.zeros(int(compare.TAIL_PADDING_SECONDS * rate), dtype=np.float32))
            stream.input_finished()
            while recognizer.is_ready(stream):
                recognizer.decode_stream(stream)
            result[audio] = recognizer.get_result(stream).strip()
    return result


def asr_transcripts(binary, model, mode, sets, flags=()):
    result = {}
    for path in sets:
        files = [audio for _, audio, _ in compare.read_set(path)]
        completed = subprocess.run([binary, "transcribe", "--dither", "0", "--model", model, "--decoding", mode, "--beam", "4",
                                    "--format", "json", *flags, *files], capture_output=True, text=True)
        if completed.stderr.strip():
            print(completed.stderr.strip(), file=sys.stderr)
        for line in completed.stdout.splitlines():
            entry = json.loads(line)
            result[entry["file"]] = entry["text"].strip()
    return result


def errors(references, hypotheses):
    out = jiwer.process_words(references, hypotheses)
    return out.substitutions + out.deletions + out.insertions


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("asr")
    parser.add_argument("mode", choices=["greedy", "beam"])
    parser.add_argument("sets", nargs="*")
    parser.add_argument("--model", default=os.environ.get("ASR_MODEL", os.path.join(
        HERE, "..", "..", "shared", "models", "zipformer2-kws-3.3M-gigaspeech")))
    parser.add_argument("--json", help="write {audio: {set, reference, sherpa_onnx, asr}} here")
    parser.add_argument("--sherpa-json", help="cache of sherpa-onnx's transcripts {audio: text}")
    parser.add_argument("--no-padding", action="store_true")
    parser.add_argument("--asr-flag", action="append", default=[],
                        help="extra flag for `asr transcribe`, e.g. --asr-flag=--quantize-fp32 (repeatable)")
    parser.add_argument("--sherpa-input-scale", type=float, default=1.0,
                        help="multiply sherpa-onnx's samples by this (e.g. 1.000001) to see how much its own "
                             "transcripts move under an inaudible change")
    arguments = parser.parse_args()
    model = os.path.abspath(arguments.model)
    # Absolute paths: audio paths key the transcripts (and the cache).
    sets = [os.path.abspath(s) for s in arguments.sets] or sorted(
        os.path.join(EVAL, d) for d in os.listdir(EVAL) if os.path.isdir(os.path.join(EVAL, d)))

    if arguments.sherpa_json and os.path.exists(arguments.sherpa_json):
        with open(arguments.sherpa_json) as f:
            sherpa = json.load(f)
    else:
        method = "greedy_search" if arguments.mode == "greedy" else "modified_beam_search"
        sherpa = sherpa_transcripts(model, method, sets, not arguments.no_padding, arguments.sherpa_input_scale)
        if arguments.sherpa_json:
            with open(arguments.sherpa_json, "w") as f:
                json.dump(sherpa, f, indent=0)
    ours = asr_transcripts(arguments.asr, model, arguments.mode, sets, arguments.asr_flag)

    report = {}
    for path in sets:
        name = os.path.basename(os.path.normpath(path))
        items = compare.read_set(path)
        references = [reference.strip().upper() for _, _, reference in items]
        theirs = [sherpa.get(audio, "").upper() for _, audio, _ in items]
        mine = [ours.get(audio, "").upper() for _, audio, _ in items]
        words = sum(len(r.split()) for r in references)
        e_theirs, e_mine = errors(references, theirs), errors(references, mine)
        differing = [(utterance, r, t, m) for (utterance, _, _), r, t, m in zip(items, references, theirs, mine) if t != m]
        print(f"{name}: {len(items)} utterances, {words} words; WER sherpa-onnx {100 * e_theirs / words:.2f} % "
              f"({e_theirs}), asr {100 * e_mine / words:.2f} % ({e_mine}); {len(differing)} transcripts differ")
        for utterance, r, t, m in differing:
            print(f"  {utterance}\n    reference:   {r}\n    sherpa-onnx: {t}\n    asr:         {m}")
        for (utterance, audio, _), r, t, m in zip(items, references, theirs, mine):
            report[audio] = {"set": name, "id": utterance, "reference": r, "sherpa_onnx": t, "asr": m}
    if arguments.json:
        with open(arguments.json, "w") as f:
            json.dump(report, f, indent=0)


if __name__ == "__main__":
    main()
