#!/usr/bin/env python3
"""sherpa-onnx's hotwords on the LibriSpeech contextual-biasing benchmark (Le et al. 2021), beside
`asr eval --biasing-list`: each utterance is decoded with modified beam search, once without
biasing and once with its own biasing list as hotwords (create_stream(hotwords=...), the words
upper-cased as the model's pieces are, split by sherpa-onnx's own bpe tokenizer from a bpe.vocab
written from bpe.model); ours with `--asr`, twice: as it runs by default (hotword bonuses take part in
the beam's choice of candidates) and with `--hotwords-after-pruning` (sherpa-onnx's order, whose
transcripts should equal sherpa-onnx's). Audio at another rate than 16 kHz is resampled by each
recognizer itself. Scored as the benchmark's score.py does: the TSV reference split on
spaces, the hypothesis lower-cased, an alignment with costs 0/4/3/3 (match, substitution,
insertion, deletion); U-WER over reference words outside the utterance's rare-word list, B-WER over
those in it (an insertion counts for B-WER when the inserted word is in the list).

usage: tools/compare-sherpa-onnx-hotwords.py TSV SET [--asr .build/release/asr] [--json OUT]
                                             [--hyps DIR]
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import sentencepiece as spm
import sherpa_onnx
import soundfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_decoding import TAIL_PADDING_SECONDS  # noqa: E402


def read_biasing_list(path):
    entries = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 4:
                sys.exit(f"{path}:{number}: expected 4 tab-separated fields")
            entries.append({"id": fields[0], "reference": fields[1], "rare": set(json.loads(fields[2])),
                            "biasing": json.loads(fields[3])})
    return entries


def align(refs, hyps):
    """score.py's alignment: (code, ref index, hyp index) from the start, codes m/s/i/d."""
    rows, cols = len(refs) + 1, len(hyps) + 1
    score = [[0.0] * cols for _ in range(rows)]
    back = [[None] * cols for _ in range(rows)]
    for i in range(rows):
        for j in range(cols):
            if i == 0 and j == 0:
                continue
            if i == 0:
                score[i][j], back[i][j] = score[i][j - 1] + 3, (i, j - 1)
                continue
            if j == 0:
                score[i][j], back[i][j] = score[i - 1][j] + 3, (i - 1, j)
                continue
            best, previous = score[i - 1][j - 1] + (0 if refs[i - 1] == hyps[j - 1] else 4), (i - 1, j - 1)
            if score[i][j - 1] + 3 < best:
                best, previous = score[i][j - 1] + 3, (i, j - 1)
            if score[i - 1][j] + 3 < best:
                best, previous = score[i - 1][j] + 3, (i - 1, j)
            score[i][j], back[i][j] = best, previous
    steps = []
    i, j = rows - 1, cols - 1
    while (i, j) != (0, 0):
        pi, pj = back[i][j]
        if pi == i - 1 and pj == j:
            steps.append(("d", i - 1, j - 1))
        elif pi == i and pj == j - 1:
            steps.append(("i", i - 1, j - 1))
        else:
            steps.append(("m" if refs[i - 1] == hyps[j - 1] else "s", i - 1, j - 1))
        i, j = pi, pj
    return steps[::-1]


def score(entries, hyps):
    counts = {name: {"words": 0, "sub": 0, "del": 0, "ins": 0} for name in ("wer", "u_wer", "b_wer")}
    for entry in entries:
        refs, hyp = entry["reference"].split(), hyps[entry["id"]].lower().split()
        for code, r, h in align(refs, hyp):
            word = hyp[h] if code == "i" else refs[r]
            group = "b_wer" if word in entry["rare"] else "u_wer"
            for name in ("wer", group):
                if code != "i":
                    counts[name]["words"] += 1
                if code != "m":
                    counts[name][{"s": "sub", "d": "del", "i": "ins"}[code]] += 1
    for c in counts.values():
        c["rate"] = (c["sub"] + c["del"] + c["ins"]) / c["words"] if c["words"] else 0.0
    return counts


def audio_paths(set_path):
    return {os.path.splitext(os.path.basename(p))[0]: p
            for p in glob.glob(os.path.join(set_path, "**", "*.flac"), recursive=True)}


def make_recognizer(model, beam, hotwords_score, bpe_vocab):
    def pick(role, int8):
        names = sorted(n for n in os.listdir(model) if n.startswith(role) and n.endswith(".onnx")
                       and n.endswith(".int8.onnx") == int8)
        return os.path.join(model, names[0])
    return sherpa_onnx.OnlineRecognizer.from_transducer(
        tokens=os.path.join(model, "tokens.txt"), encoder=pick("encoder", True), decoder=pick("decoder", False),
        joiner=pick("joiner", True), num_threads=1, sample_rate=16000, feature_dim=80, low_freq=20.0,
        high_freq=-400.0, dither=0.0, snip_edges=False, decoding_method="modified_beam_search",
        max_active_paths=beam, hotwords_score=hotwords_score, modeling_unit="bpe", bpe_vocab=bpe_vocab)


def decode(recognizer, samples, rate, hotwords):
    # Audio at another rate is resampled by sherpa-onnx itself (its resampler, not ours).
    stream = recognizer.create_stream(hotwords) if hotwords else recognizer.create_stream()
    stream.accept_waveform(rate, samples)
    stream.accept_waveform(rate, np.zeros(int(TAIL_PADDING_SECONDS * rate), dtype=np.float32))
    stream.input_finished()
    while recognizer.is_ready(stream):
        recognizer.decode_stream(stream)
    return recognizer.get_result(stream)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tsv")
    parser.add_argument("set")
    parser.add_argument("--model", default=os.environ.get("ASR_MODEL", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "models", "zipformer2-kws-3.3M-gigaspeech")))
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--hotwords-score", type=float, default=1.5)
    parser.add_argument("--asr", help="also run `asr eval --biasing-list` with this executable and compare")
    parser.add_argument("--json", help="write the measured numbers here")
    parser.add_argument("--hyps", help="write each run's hypotheses (utt-id<TAB>text) into this directory")
    args = parser.parse_args()

    entries = read_biasing_list(args.tsv)
    paths = audio_paths(args.set)
    entries = [e for e in entries if e["id"] in paths]
    processor = spm.SentencePieceProcessor(model_file=os.path.join(args.model, "bpe.model"))
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        bpe_vocab = os.path.join(directory, "bpe.vocab")
        with open(bpe_vocab, "w", encoding="utf-8") as f:
            for i in range(processor.get_piece_size()):
                f.write(f"{processor.id_to_piece(i)}\t{processor.get_score(i)}\n")
        recognizer = make_recognizer(args.model, args.beam, args.hotwords_score, bpe_vocab)
        for label, biased in (("sherpa-onnx", False), ("sherpa-onnx hotwords", True)):
            hyps, audio_seconds, cpu_seconds = {}, 0.0, 0.0
            for entry in entries:
                samples, rate = soundfile.read(paths[entry["id"]], dtype="float32")
                audio_seconds += len(samples) / rate
                start = time.process_time()
                hotwords = "/".join(w.upper() for w in entry["biasing"]) if biased else None
                hyps[entry["id"]] = decode(recognizer, samples, rate, hotwords)
                cpu_seconds += time.process_time() - start
            results[label] = {"scores": score(entries, hyps), "rtf": cpu_seconds / audio_seconds, "hyps": hyps}

        if args.asr:
            # Transcripts through `asr transcribe` (per utterance with its list as a hotwords file), so
            # they are compared with sherpa-onnx's independently of `asr eval`; the figures `asr eval`
            # reports itself (and its RTF) come from its JSON report.
            common = [args.asr, "transcribe", "--dither", "0", "--model", args.model, "--decoding", "beam", "--beam", str(args.beam)]
            ids = [e["id"] for e in entries]
            lines = subprocess.run(common + [paths[i] for i in ids], capture_output=True, text=True,
                                   check=True).stdout.splitlines()
            plain = {i: line.split("\t", 1)[1] if "\t" in line else "" for i, line in zip(ids, lines)}
            hotwords_file = os.path.join(directory, "hotwords.txt")
            # Ours as it runs by default (bonuses before the beam's choice) and in sherpa-onnx's order.
            for label, order in (("asr hotwords", []), ("asr hotwords, after pruning", ["--hotwords-after-pruning"])):
                biased = {}
                for entry in entries:
                    with open(hotwords_file, "w", encoding="utf-8") as f:
                        f.write("\n".join(entry["biasing"]) + "\n")
                    biased[entry["id"]] = subprocess.run(
                        common + order + ["--hotwords", hotwords_file, "--hotwords-score", str(args.hotwords_score),
                                          paths[entry["id"]]], capture_output=True, text=True, check=True).stdout.strip()
                results[label] = {"hyps": biased, "extra": ["--biasing-list", args.tsv] + order}
            results["asr"] = {"hyps": plain, "extra": []}
            for label in ("asr", "asr hotwords", "asr hotwords, after pruning"):
                report = os.path.join(directory, "report.json")
                subprocess.run([args.asr, "eval", "--dither", "0", "--model", args.model, "--decoding", "beam", "--beam", str(args.beam),
                                "--hotwords-score", str(args.hotwords_score), "--jobs", "1", "--json", report,
                                *results[label]["extra"], args.set], stdout=subprocess.DEVNULL, check=True)
                with open(report) as f:
                    total = json.load(f)["total"]
                hyps = results[label]["hyps"]
                results[label] = {"scores": score(entries, hyps), "rtf": total["rtf"], "hyps": hyps,
                                  "asr_eval": {k: total[k] for k in ("wer", "u_wer", "b_wer") if k in total}}

    print(f"{len(entries)} utterances, beam {args.beam}, hotwords score {args.hotwords_score}")
    print(f"{'run':28} {'WER %':>7} {'U-WER %':>8} {'B-WER %':>8} {'RTF':>7}")
    for label in [l for l in ("sherpa-onnx", "asr", "sherpa-onnx hotwords", "asr hotwords, after pruning",
                              "asr hotwords") if l in results]:
        result = results[label]
        s = result["scores"]
        print(f"{label:28} {100 * s['wer']['rate']:7.2f} {100 * s['u_wer']['rate']:8.2f} "
              f"{100 * s['b_wer']['rate']:8.2f} {result['rtf']:7.4f}")
    if args.asr:
        for ours, theirs in (("asr", "sherpa-onnx"), ("asr hotwords, after pruning", "sherpa-onnx hotwords"),
                             ("asr hotwords", "sherpa-onnx hotwords")):
            same = sum(results[ours]["hyps"].get(e["id"], "").upper() == results[theirs]["hyps"][e["id"]].upper()
                       for e in entries)
            print(f"{ours} vs {theirs}: {same} of {len(entries)} transcripts identical")
        for label in ("asr", "asr hotwords", "asr hotwords, after pruning"):
            print(f"{label}: asr eval itself reports " + ", ".join(
                f"{k} {100 * v:.2f} %" for k, v in results[label]["asr_eval"].items()))
    if args.hyps:
        os.makedirs(args.hyps, exist_ok=True)
        for label, result in results.items():
            with open(os.path.join(args.hyps, label.replace(", ", "-").replace(" ", "-") + ".txt"), "w", encoding="utf-8") as f:
                for entry in entries:
                    f.write(f"{entry['id']}\t{result['hyps'].get(entry['id'], '')}\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({label: {k: v for k, v in r.items() if k != "hyps"} for label, r in results.items()}, f, indent=1)


if __name__ == "__main__":
    main()
