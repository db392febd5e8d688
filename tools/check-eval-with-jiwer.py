#!/usr/bin/env python3
"""Recompute an `asr eval` run's totals with jiwer from its --details file and compare with its --json.

    asr eval --json report.json --details details.txt SET...
    tools/check-eval-with-jiwer.py details.txt report.json

The details hold the normalized reference and hypothesis of every utterance (gaps written ***),
so jiwer sees exactly the words asr scored; S/D/I, WER and CER must agree to the last digit.
"""
import json
import sys

import jiwer


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    details_path, report_path = sys.argv[1:]
    references, hypotheses = [], []
    with open(details_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("REF: "):
                references.append(" ".join(w for w in line[5:].split() if w != "***"))
            elif line.startswith("HYP: "):
                hypotheses.append(" ".join(w for w in line[5:].split() if w != "***"))
    words = jiwer.process_words(references, hypotheses)
    characters = jiwer.process_characters(references, hypotheses)
    with open(report_path) as f:
        total = json.load(f)["total"]
    rows = [
        ("substitutions", words.substitutions, total["substitutions"]),
        ("deletions", words.deletions, total["deletions"]),
        ("insertions", words.insertions, total["insertions"]),
        ("wer", words.wer, total["wer"]),
        ("cer", characters.cer, total["cer"]),
    ]
    print(f"{len(references)} utterances")
    mismatches = 0
    for name, theirs, ours in rows:
        same = abs(theirs - ours) < 1e-12
        mismatches += not same
        print(f"{name:14} jiwer {theirs!s:22} asr {ours!s:22} {'same' if same else 'DIFFERENT'}")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
