#!/usr/bin/env python3
"""Writes the seeds of the tokenizer-files fuzz harness (tools/fuzz/corpus/tokenizer-files): small
unigram models trained by Python's sentencepiece on a few sentences, with an identity normalizer,
with a custom normalization map (a few rules, so its double-array trie stays small) and with byte
fallback, and a tokens.txt of a few pieces.

usage: tools/make-tokenizer-fuzz-seeds.py
"""
import io
import os
import tempfile

import sentencepiece as spm

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
corpus = os.path.join(root, "tools", "fuzz", "corpus", "tokenizer-files")
os.makedirs(corpus, exist_ok=True)

sentences = ["THE WEATHER IS NICE TODAY", "CALL ME BACK LATER", "HELLO WORLD", "TURN ON THE LIGHTS",
             "PLAY SOME MUSIC", "WHAT TIME IS IT", "SET A TIMER FOR TEN MINUTES",
             "\uff26\uff55\uff4c\uff4c \uff57\uff49\uff44\uff54\uff48 \u2460"] * 20

with tempfile.TemporaryDirectory() as scratch:
    # Rules as sentencepiece's TSV: source code points, tab, target code points.
    rules = os.path.join(scratch, "rules.tsv")
    with open(rules, "w") as f:
        f.write("FF21\t41\nFF46\t46\n2460\t31\n3000\t20\n")
    variants = {
        "identity": dict(normalization_rule_name="identity", vocab_size=40),
        "rules": dict(normalization_rule_tsv=rules, vocab_size=40),
        "byte-fallback": dict(normalization_rule_name="identity", byte_fallback=True, vocab_size=300),
    }
    for name, options in variants.items():
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(sentence_iterator=iter(sentences), model_writer=model, model_type="unigram",
                                       hard_vocab_limit=False, minloglevel=2, **options)
        with open(os.path.join(corpus, name + ".model"), "wb") as f:
            f.write(model.getvalue())
        print(name, len(model.getvalue()), "bytes")

pieces = ["<blk>", "<sos/eos>", "<unk>", "\u2581THE", "\u2581", "S", "WEATHER", "A"]
with open(os.path.join(corpus, "tokens.txt"), "w", encoding="utf-8") as f:
    f.writelines(f"{piece} {index}\n" for index, piece in enumerate(pieces))
