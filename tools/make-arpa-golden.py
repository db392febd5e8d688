#!/usr/bin/env python3
"""Writes Tests/RecognizerTests/Fixtures/an4-200-4gram.arpa (tools/make-arpa.py, order 4, from the
first 200 lines of the AN4 LM text) and arpa-golden.json: KenLM's per-word log10 probabilities
(`Model.full_scores`, <s> and </s> included) for held-out lines of that text, shuffled word
sequences and sentences with words outside the vocabulary, for the Swift ARPA reader's test.

usage: tools/make-arpa-golden.py [AN4_TEXT]
"""
import json
import os
import random
import subprocess
import sys
import tempfile

import kenlm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEXT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "decoding", "lm", "an4-train-748.txt")
FIXTURES = os.path.join(ROOT, "Tests", "RecognizerTests", "Fixtures")

with open(TEXT, encoding="utf-8") as f:
    lines = [line.split() for line in f if line.split()]
arpa = os.path.join(FIXTURES, "an4-200-4gram.arpa")
with tempfile.TemporaryDirectory() as directory:
    train = os.path.join(directory, "train.txt")
    with open(train, "w") as f:
        f.write("\n".join(" ".join(words) for words in lines[:200]) + "\n")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "make-arpa.py"), train, "4", arpa], check=True)

model = kenlm.Model(arpa)
rng = random.Random(4)
vocabulary = sorted({w for words in lines[:200] for w in words})
sentences = [words for words in lines[200:260]]
sentences += [rng.sample(vocabulary, rng.randint(1, 8)) for _ in range(40)]
sentences += [["ENTER", "LOBSTER", "FIVE"], ["ZEBRA"], ["RUBOUT", "QUIXOTIC", "QUIXOTIC", "SEVEN"]]
cases = []
for words in sentences:
    sentence = " ".join(words)
    scores = [round(score, 6) for score, _, _ in model.full_scores(sentence, bos=True, eos=True)]
    cases.append({"words": words, "log10": scores})
with open(os.path.join(FIXTURES, "arpa-golden.json"), "w") as f:
    f.write('{"reference": "kenlm %s full_scores, bos and eos", "model": "an4-200-4gram.arpa",\n"cases": [\n'
            % getattr(kenlm, "__version__", "0.3.0"))
    f.write(",\n".join(json.dumps(c) for c in cases))
    f.write("\n]}\n")
print(f"{len(cases)} sentences")
