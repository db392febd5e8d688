#!/usr/bin/env python3
"""Writes Tests/RecognizerTests/Fixtures/sentencepiece-golden.json: texts and the pieces and ids
Python's sentencepiece gives them with the model's bpe.model, for the Swift unigram tokenizer's test.

Texts: words of the contextual-biasing lists (upper case, as the model's vocabulary is, and some in
lower case, which the vocabulary does not cover), ordinary words, and edge cases for the normalizer
(spaces, NFKC-mapped characters, malformed-looking input, unknown characters).

usage: tools/make-sentencepiece-golden.py [MODEL_DIR] [BIASING_TSV]
"""
import json
import os
import sys

import sentencepiece as spm

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
model_dir = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    "ASR_MODEL", os.path.join(root, "..", "shared", "models", "zipformer2-kws-3.3M-gigaspeech"))
tsv = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    root, "..", "shared", "decoding", "biasing", "librispeech-test-other-50.biasing_100.tsv")

processor = spm.SentencePieceProcessor(model_file=os.path.join(model_dir, "bpe.model"))

biasing = []
with open(tsv, encoding="utf-8") as f:
    for line in f:
        fields = line.rstrip("\n").split("\t")
        for word in json.loads(fields[2]) + json.loads(fields[3]):
            if word not in biasing:
                biasing.append(word)
# Every 8th biasing word keeps the fixture small but spread over the whole list.
words = [w.upper() for w in biasing[::8]] + biasing[:40]
ordinary = ("THE WEATHER TODAY IS SUNNY WITH A LIGHT BREEZE FROM THE WEST I'M DON'T "
            "RECOGNITION SPEECH TRANSDUCER HOTWORDS ZIPFORMER SHERPA KALDI 2026 A B C").split()
edge_cases = [
    "", " ", "   HELLO   WORLD  ", "HELLO\tWORLD", "HELLO WORLD", "NEW YORK CITY",
    "ＨＥＬＬＯ", "ﬁNE", "CAFÉ", "café", "Ⅻ", "X²", "naïve façade", "日本語", "HELLO, WORLD!",
    "<unk>", "<blk>HELLO", "A<sos/eos>B", "\u00a0NBSP\u3000IDEOGRAPHIC", "ZERO\u200bWIDTH",
    "\ufffdREPLACEMENT", "TAB\tAND\nNEWLINE", "'QUOTED'", "O'CONNOR'S",
]
cases = []
for text in edge_cases + words + ordinary:
    pieces = processor.encode(text, out_type=str)
    ids = processor.encode(text, out_type=int)
    cases.append({"text": text, "pieces": pieces, "ids": ids})

out = os.path.join(root, "Tests", "RecognizerTests", "Fixtures", "sentencepiece-golden.json")
with open(out, "w", encoding="utf-8") as f:
    f.write('{"generator": "sentencepiece %s", "model": "bpe.model of zipformer2-kws-3.3M-gigaspeech",\n"cases": [\n' % spm.__version__)
    f.write(",\n".join(json.dumps(case, ensure_ascii=False) for case in cases))
    f.write("\n]}\n")
print(f"{out}: {len(cases)} texts")
