#!/usr/bin/env python3
"""Writes a large, well-formed ARPA file of random n-grams (every n-gram's context and suffix
present, random log10 probabilities and back-off weights) to measure how fast and in how much
memory `asr` loads a model of a given size. Not a language model of anything.

usage: tools/make-synthetic-arpa.py OUT.arpa [VOCABULARY=100000] [BIGRAMS=1500000] [TRIGRAMS=2000000]
"""
import random
import sys

out = sys.argv[1]
vocabulary, bigram_count, trigram_count = (int(a) for a in (sys.argv[2:] + ["100000", "1500000", "2000000"][len(sys.argv) - 2:]))
rng = random.Random(1)
words = ["<s>", "</s>", "<unk>"] + [f"W{i}" for i in range(vocabulary)]
bigrams = set()
while len(bigrams) < bigram_count:
    bigrams.add((rng.randrange(len(words)), rng.randrange(1, len(words))))
bigram_list = sorted(bigrams)
successors = {}
for a, b in bigram_list:
    successors.setdefault(a, []).append(b)
trigrams = set()
while len(trigrams) < trigram_count:
    a, b = bigram_list[rng.randrange(len(bigram_list))]
    if b in successors:
        # The suffix (b, c) is a bigram, as KenLM's files guarantee.
        trigrams.add((a, b, rng.choice(successors[b])))
with open(out, "w") as f:
    f.write(f"\\data\\\nngram 1={len(words)}\nngram 2={len(bigrams)}\nngram 3={len(trigrams)}\n\n\\1-grams:\n")
    for w in words:
        f.write(f"{-rng.uniform(1, 6):.6f}\t{w}\t{-rng.uniform(0, 1):.6f}\n")
    f.write("\n\\2-grams:\n")
    for a, b in bigram_list:
        f.write(f"{-rng.uniform(0.5, 4):.6f}\t{words[a]} {words[b]}\t{-rng.uniform(0, 1):.6f}\n")
    f.write("\n\\3-grams:\n")
    for a, b, c in sorted(trigrams):
        f.write(f"{-rng.uniform(0.1, 3):.6f}\t{words[a]} {words[b]} {words[c]}\n")
    f.write("\n\\end\\\n")
