#!/usr/bin/env python3
"""Biasing lists in the LibriSpeech contextual-biasing format (Le et al. 2021) for any evaluation set,
made as that benchmark makes its own: an utterance's rare words are its reference words outside the
5,000 most common words of LibriSpeech training (`common_words_5k.txt`), and its biasing list is
those rare words plus distractors drawn at random from all other rare words (`all_rare_words.txt`)
up to SIZE words. Both word files are in facebookresearch/fbai-speech, is21_deep_bias/words/.
Output lines: utt-id<TAB>reference (lower case)<TAB>["rare", ...]<TAB>["biasing", "list", ...].

usage: tools/make-biasing-list.py SET common_words_5k.txt all_rare_words.txt [--size 100] [--seed 1] > out.tsv
SET is a Kaldi data dir (`text`) or a LibriSpeech tree (`*.trans.txt`).
"""
import argparse
import glob
import json
import os
import random
import sys


def references(path):
    files = [os.path.join(path, "text")] if os.path.exists(os.path.join(path, "text")) else \
        sorted(glob.glob(os.path.join(path, "**", "*.trans.txt"), recursive=True))
    if not files:
        sys.exit(f"{path}: neither a Kaldi data dir (text) nor a LibriSpeech tree (*.trans.txt)")
    for name in files:
        with open(name, encoding="utf-8") as f:
            for line in f:
                fields = line.split(maxsplit=1)
                if fields:
                    yield fields[0], (fields[1] if len(fields) > 1 else "").lower().split()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("set")
    parser.add_argument("common_words")
    parser.add_argument("rare_words")
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(args.common_words, encoding="utf-8") as f:
        common = {line.strip() for line in f if line.strip()}
    with open(args.rare_words, encoding="utf-8") as f:
        pool = [line.strip() for line in f if line.strip()]
    generator = random.Random(args.seed)
    for utterance, words in sorted(references(args.set)):
        rare = sorted({word for word in words if word not in common})
        chosen = set(rare)
        while len(chosen) < args.size:
            chosen.add(generator.choice(pool))
        print("\t".join([utterance, " ".join(words), json.dumps(rare), json.dumps(sorted(chosen))]))


if __name__ == "__main__":
    main()
