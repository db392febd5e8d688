#!/usr/bin/env python3
"""Chooses the LM scale for a domain without touching its test set: holds out every Nth line of the
training text, builds an ARPA model (tools/make-arpa.py) from the rest, speaks the held-out lines
with flite (voices slt, rms and awb in turn, 16 kHz) into a Kaldi data dir, and runs `asr eval
--decoding beam` on it without the LM and at each scale and word bonus. Prints the table and the best pair.

usage: tools/tune-lm-scale.py --asr .build/release/asr TEXT [--order 3] [--every 8]
                              [--scales 0.3,0.5,0.7,1.0] [--bonuses 0,1,2,3,4,5] [--model DIR] [--json OUT]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def evaluate(asr, model, data, extra, directory):
    report = os.path.join(directory, "report.json")
    subprocess.run([asr, "eval", "--model", model, "--decoding", "beam", "--json", report, *extra, data],
                   stdout=subprocess.DEVNULL, check=True)
    with open(report) as f:
        return json.load(f)["total"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("text")
    parser.add_argument("--asr", required=True)
    parser.add_argument("--model", default=os.environ.get("ASR_MODEL", os.path.join(
        ROOT, "..", "shared", "models", "zipformer2-kws-3.3M-gigaspeech")))
    parser.add_argument("--order", type=int, default=3)
    parser.add_argument("--every", type=int, default=8)
    parser.add_argument("--scales", default="0.3,0.5,0.7,1.0")
    parser.add_argument("--bonuses", default="0,1,2,3,4,5", help="word bonuses to try with each scale")
    parser.add_argument("--json")
    args = parser.parse_args()

    with open(args.text, encoding="utf-8") as f:
        lines = [line.strip() for line in f if line.strip()]
    dev = [line for i, line in enumerate(lines) if i % args.every == args.every - 1]
    train = [line for i, line in enumerate(lines) if i % args.every != args.every - 1]
    voices = ["slt", "rms", "awb"]
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        with open(os.path.join(directory, "train.txt"), "w") as f:
            f.write("\n".join(train) + "\n")
        arpa = os.path.join(directory, "train.arpa")
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "make-arpa.py"), os.path.join(directory, "train.txt"),
                        str(args.order), arpa], check=True, stdout=subprocess.DEVNULL)
        data = os.path.join(directory, "dev")
        os.makedirs(os.path.join(data, "audio"))
        with open(os.path.join(data, "wav.scp"), "w") as scp, open(os.path.join(data, "text"), "w") as text:
            for i, line in enumerate(dev):
                name = f"dev{i:04d}"
                path = os.path.join(data, "audio", name + ".wav")
                subprocess.run(["flite", "-voice", voices[i % len(voices)], "-t", line, "-o", path], check=True)
                scp.write(f"{name} audio/{name}.wav\n")
                text.write(f"{name} {line}\n")
        results["none"] = evaluate(args.asr, args.model, data, [], directory)
        for scale in args.scales.split(","):
            for bonus in args.bonuses.split(","):
                results[f"{scale}/{bonus}"] = evaluate(args.asr, args.model, data,
                                                       ["--lm", arpa, "--lm-scale", scale, "--lm-word-bonus", bonus], directory)
    print(f"{len(train)} training lines for the LM (order {args.order}), {len(dev)} held out and spoken by flite")
    print(f"{'scale/bonus':>11} {'WER %':>7} {'sub':>4} {'del':>4} {'ins':>4}")
    for scale, total in results.items():
        print(f"{scale:>11} {100 * total['wer']:7.2f} {total['substitutions']:4d} {total['deletions']:4d} {total['insertions']:4d}")
    best = min((s for s in results if s != "none"), key=lambda s: results[s]["wer"])
    print(f"best scale/word bonus: {best}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"dev_lines": len(dev), "train_lines": len(train), "order": args.order,
                       "results": {s: {k: t[k] for k in ("wer", "substitutions", "deletions", "insertions", "words")}
                                   for s, t in results.items()}, "best": best}, f, indent=1)


if __name__ == "__main__":
    main()
