#!/usr/bin/env python3
"""Writes Tests/EvaluationTests/Fixtures/biased-wer-golden.json: WER, U-WER and B-WER counts that
the contextual-biasing benchmark's own score.py (facebookresearch/fbai-speech,
is21_deep_bias/score.py, MIT) gives for random reference/hypothesis pairs over a small vocabulary
with rare words, for the Swift BiasedWordCounts test.

usage: tools/make-biased-wer-golden.py PATH/TO/score.py
"""
import argparse
import contextlib
import importlib.util
import io
import json
import os
import random
import sys
import tempfile

spec = importlib.util.spec_from_file_location("score", sys.argv[1])
score = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score)
score.logger.setLevel("WARNING")

VOCABULARY = ["the", "a", "lobster", "pint", "of", "sherry", "cream", "yolks", "one", "half", "eggs"]
RARE = ["lobster", "pint", "sherry", "yolks"]

rng = random.Random(20261203)
cases = []
for _ in range(600):
    reference = [rng.choice(VOCABULARY) for _ in range(rng.randint(1, 9))]
    hypothesis = list(reference)
    for _ in range(rng.randint(0, 4)):
        edit = rng.choice("sdi")
        position = rng.randint(0, len(hypothesis))
        if edit == "i" or not hypothesis:
            hypothesis.insert(position, rng.choice(VOCABULARY))
        elif position < len(hypothesis):
            if edit == "s":
                hypothesis[position] = rng.choice(VOCABULARY)
            else:
                del hypothesis[position]
    rare = set(rng.sample(RARE, rng.randint(0, len(RARE))))
    cases.append({"reference": reference, "hypothesis": hypothesis, "rare": sorted(rare)})

# Each case through score.py's own main (one utterance per run), its printed counts parsed.
with tempfile.TemporaryDirectory() as directory:
    refs, hyps = os.path.join(directory, "refs.tsv"), os.path.join(directory, "hyps.tsv")
    for case in cases:
        with open(refs, "w") as f:
            f.write(f"u\t{' '.join(case['reference'])}\t{json.dumps(case['rare'])}\n")
        with open(hyps, "w") as f:
            f.write(f"u\t{' '.join(case['hypothesis'])}\n")
        output = io.StringIO()
        try:
            with contextlib.redirect_stdout(output):
                score.main(argparse.Namespace(refs=refs, hyps=hyps, lenient=False))
        except AssertionError:
            continue  # score.py cannot print a rate without biased (or unbiased) reference words
        for line in output.getvalue().splitlines():
            name, fields = line.split(": ", 1)
            values = dict(field.split("=") for field in fields.split(", "))
            key = {"WER": "wer", "U-WER": "u_wer", "B-WER": "b_wer"}[name]
            case[key] = [int(values[k]) for k in ("ref_words", "subs", "dels", "ins")]

cases = [case for case in cases if "wer" in case]
out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "Tests", "EvaluationTests", "Fixtures", "biased-wer-golden.json")
with open(out, "w") as f:
    f.write('{"generator": "fbai-speech is21_deep_bias/score.py", "fields": "[words, sub, del, ins]",\n"cases": [\n')
    f.write(",\n".join(json.dumps(c) for c in cases))
    f.write("\n]}\n")
print(f"{out}: {len(cases)} cases")
