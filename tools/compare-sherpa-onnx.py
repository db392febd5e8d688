#!/usr/bin/env python3
"""Decode evaluation sets with sherpa-onnx and with `asr eval` in one run; print WER and speed side by side.

    tools/compare-sherpa-onnx.py SET... [--asr .build/release/asr] [--model DIR] [--json OUT]

sherpa-onnx (PyPI) runs OnlineRecognizer.from_transducer with one thread, the feature settings of
the model README, 0.66 s of silence appended before input_finished, greedy search and modified beam
search with 4 paths. Its WER uses the same text normalization as `asr eval` (see normalize()); the WER as the model
README scores it (upper-case, whitespace split) is printed too, to check the reference decode.
`asr eval --json` runs on the same sets (greedy, then beam 4) when --asr is given.
CPU seconds are process CPU time spent decoding (audio already in memory for sherpa-onnx).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import sherpa_onnx
import soundfile

TAIL_PADDING_SECONDS = 0.66


def normalize(text):
    """Mirror of Evaluation.TextNormalizer: upper-case, curly apostrophes to ', every character that
    is not a letter, digit or apostrophe separates words, apostrophes kept only inside words."""
    text = text.upper().replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    words = []
    for piece in re.split(r"[^\w']|_", text):
        piece = piece.strip("'")
        if piece:
            words.append(piece)
    return words


def read_set(path):
    """(id, audio path, reference) of a LibriSpeech tree, Kaldi data dir or JSON-lines manifest."""
    utterances = []
    if os.path.isfile(path):
        base = os.path.dirname(os.path.abspath(path))
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                audio = entry["audio_filepath"]
                utterances.append((f"{path}:{number}", os.path.join(base, audio), entry.get("text", "")))
        return utterances
    if os.path.exists(os.path.join(path, "wav.scp")):
        audio = {}
        with open(os.path.join(path, "wav.scp"), encoding="utf-8") as f:
            for line in f:
                parts = line.split(maxsplit=1)
                if len(parts) == 2:
                    audio[parts[0]] = os.path.join(path, parts[1].strip())
        with open(os.path.join(path, "text"), encoding="utf-8") as f:
            for line in f:
                parts = line.split(maxsplit=1)
                if parts and parts[0] in audio:
                    utterances.append((parts[0], audio[parts[0]], parts[1] if len(parts) > 1 else ""))
        return utterances
    for root, _, files in sorted(os.walk(path)):
        for name in sorted(files):
            if not name.endswith(".trans.txt"):
                continue
            with open(os.path.join(root, name), encoding="utf-8") as f:
                for line in f:
                    parts = line.split(maxsplit=1)
                    if parts:
                        flac = os.path.join(root, parts[0] + ".flac")
                        utterances.append((parts[0], flac, parts[1] if len(parts) > 1 else ""))
    return sorted(utterances)


def edit_distance(reference, hypothesis):
    previous = list(range(len(hypothesis) + 1))
    for i, r in enumerate(reference, 1):
        current = [i] + [0] * len(hypothesis)
        for j, h in enumerate(hypothesis, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1]


def model_files(model):
    """The graphs `asr` picks in a zoo directory: int8 encoder and joiner, fp32 decoder (by glob)."""
    def pick(role, int8):
        names = sorted(n for n in os.listdir(model) if n.startswith(role) and n.endswith(".onnx")
                       and n.endswith(".int8.onnx") == int8)
        if not names:
            names = sorted(n for n in os.listdir(model) if n.startswith(role) and n.endswith(".onnx"))
        return os.path.join(model, names[0])
    return pick("encoder", True), pick("decoder", False), pick("joiner", True)


def make_recognizer(model, method):
    encoder, decoder, joiner = model_files(model)
    return sherpa_onnx.OnlineRecognizer.from_transducer(
        tokens=os.path.join(model, "tokens.txt"), encoder=encoder, decoder=decoder, joiner=joiner,
        num_threads=1, sample_rate=16000, feature_dim=80, low_freq=20.0, high_freq=-400.0, dither=0.0,
        snip_edges=False, decoding_method=method, max_active_paths=4)


def sherpa_decode(recognizer, utterances):
    errors = words = plain_errors = 0
    audio_seconds = cpu_seconds = 0.0
    for _, audio_path, reference in utterances:
        samples, rate = soundfile.read(audio_path, dtype="float32", always_2d=True)
        samples = np.ascontiguousarray(samples.mean(axis=1))
        audio_seconds += len(samples) / rate
        start = time.process_time()
        stream = recognizer.create_stream()
        stream.accept_waveform(rate, samples)
        stream.accept_waveform(rate, np.zeros(int(TAIL_PADDING_SECONDS * rate), dtype=np.float32))
        stream.input_finished()
        while recognizer.is_ready(stream):
            recognizer.decode_stream(stream)
        text = recognizer.get_result(stream)
        cpu_seconds += time.process_time() - start
        ref = normalize(reference)
        errors += edit_distance(ref, normalize(text))
        words += len(ref)
        plain_errors += edit_distance(reference.upper().split(), text.upper().split())
    return {"words": words, "errors": errors, "plain_errors": plain_errors,
            "audio_seconds": audio_seconds, "cpu_seconds": cpu_seconds}


def asr_eval(binary, model, sets, decoding_arguments):
    with tempfile.TemporaryDirectory() as directory:
        report_path = os.path.join(directory, "report.json")
        command = [binary, "eval", "--dither", "0", "--model", model, "--json", report_path, *decoding_arguments, *sets]
        completed = subprocess.run(command, stdout=subprocess.DEVNULL)
        if not os.path.exists(report_path):
            sys.exit(f"compare-sherpa-onnx: {' '.join(command)} failed with status {completed.returncode}")
        with open(report_path) as f:
            report = json.load(f)
    by_name = {entry["name"]: entry for entry in report["sets"]}
    by_name["ALL"] = report["total"]
    return by_name


def percent(errors, words):
    return f"{100.0 * errors / words:6.2f}" if words else "   n/a"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="+")
    parser.add_argument("--asr", help="path to the asr executable; without it only sherpa-onnx runs")
    parser.add_argument("--model", default=os.environ.get("ASR_MODEL", os.path.join(
        os.path.dirname(__file__), "..", "..", "shared", "models", "zipformer2-kws-3.3M-gigaspeech")))
    parser.add_argument("--json", help="write all measured numbers here")
    arguments = parser.parse_args()
    model = os.path.abspath(arguments.model)

    sets = {os.path.basename(os.path.normpath(s)): read_set(s) for s in arguments.sets}
    sherpa = {}
    for method, label in (("greedy_search", "greedy"), ("modified_beam_search", "beam")):
        recognizer = make_recognizer(model, method)
        results = {name: sherpa_decode(recognizer, utterances) for name, utterances in sets.items()}
        results["ALL"] = {key: sum(r[key] for r in results.values())
                          for key in ("words", "errors", "plain_errors", "audio_seconds", "cpu_seconds")}
        sherpa[label] = results
        print(f"sherpa-onnx {label} done", file=sys.stderr)

    ours = {}
    if arguments.asr:
        ours["greedy"] = asr_eval(arguments.asr, model, arguments.sets, ["--decoding", "greedy"])
        ours["beam"] = asr_eval(arguments.asr, model, arguments.sets, ["--decoding", "beam", "--beam", "4"])

    def our_wer(label, name):
        entry = ours.get(label, {}).get(name)
        return f"{100.0 * entry['wer']:6.2f}" if entry else "   n/a"

    print("| set | words | WER greedy ours / sherpa-onnx (%) | WER beam 4 ours / sherpa-onnx (%) "
          "| CPU s greedy ours / sherpa-onnx | RTF greedy ours / sherpa-onnx | RTF ratio greedy "
          "| RTF beam 4 ours / sherpa-onnx |")
    print("|---|---|---|---|---|---|---|---|")
    for name in [*sets.keys(), "ALL"]:
        greedy, beam = sherpa["greedy"][name], sherpa["beam"][name]
        sherpa_rtf = greedy["cpu_seconds"] / greedy["audio_seconds"] if greedy["audio_seconds"] else 0
        mine = ours.get("greedy", {}).get(name)
        our_cpu = f"{mine['cpu_seconds']:.2f}" if mine else "n/a"
        our_rtf = f"{mine['rtf']:.4f}" if mine else "n/a"
        ratio = f"{mine['rtf'] / sherpa_rtf:.2f}" if mine and sherpa_rtf else "n/a"
        sherpa_beam_rtf = beam["cpu_seconds"] / beam["audio_seconds"] if beam["audio_seconds"] else 0
        mine_beam = ours.get("beam", {}).get(name)
        our_beam_rtf = f"{mine_beam['rtf']:.4f}" if mine_beam else "n/a"
        print(f"| {name} | {greedy['words']} | {our_wer('greedy', name)} / {percent(greedy['errors'], greedy['words'])} "
              f"| {our_wer('beam', name)} / {percent(beam['errors'], beam['words'])} "
              f"| {our_cpu} / {greedy['cpu_seconds']:.2f} | {our_rtf} / {sherpa_rtf:.4f} | {ratio} "
              f"| {our_beam_rtf} / {sherpa_beam_rtf:.4f} |")
    print()
    print("sherpa-onnx WER scored as the model README does (upper-case, split on spaces only, so "
          "COLD-HEARTED is one word):")
    for name in [*sets.keys(), "ALL"]:
        greedy, beam = sherpa["greedy"][name], sherpa["beam"][name]
        print(f"  {name}: greedy {percent(greedy['plain_errors'], greedy['words']).strip()} %, "
              f"beam {percent(beam['plain_errors'], beam['words']).strip()} %")
    if arguments.json:
        with open(arguments.json, "w") as f:
            json.dump({"sherpa_onnx": sherpa, "asr": ours}, f, indent=1)


if __name__ == "__main__":
    main()
