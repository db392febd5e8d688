#!/usr/bin/env python3
"""Builds a word n-gram language model with interpolated modified Kneser-Ney smoothing (Chen and
Goodman 1998, as KenLM's lmplz estimates it) from a text file, one sentence per line, and writes it
as ARPA.

Counts: the highest order counts n-grams; lower orders count distinct left extensions (continuation
counts), except n-grams that start with <s>, which keep their raw counts. Three discounts per order
from the counts of counts (D_j = j - (j+1) Y n_{j+1} / n_j, Y = n_1 / (n_1 + 2 n_2)), lmplz's fallback
(0.5, 1, 1.5) where the counts of counts do not define them. Unigrams interpolate with the uniform
distribution over the vocabulary (<unk> included, so unseen words get the leftover mass).

usage: tools/make-arpa.py TEXT ORDER OUT.arpa
"""
import collections
import math
import sys


def discounts(adjusted):
    counts_of_counts = collections.Counter(min(c, 4) for c in adjusted.values())
    n = [counts_of_counts.get(j, 0) for j in range(5)]
    try:
        y = n[1] / (n[1] + 2 * n[2])
        found = [j - (j + 1) * y * n[j + 1] / n[j] for j in (1, 2, 3)]
        if all(0 < d < j for d, j in zip(found, (1, 2, 3))):
            return found
    except ZeroDivisionError:
        pass
    return [0.5, 1.0, 1.5]


def build(sentences, order):
    counts = [collections.Counter() for _ in range(order + 1)]
    for words in sentences:
        padded = ["<s>"] + words + ["</s>"]
        for i in range(1, len(padded)):
            ngram = tuple(padded[max(0, i - order + 1):i + 1])
            counts[len(ngram)][ngram] += 1
            # Shorter n-grams at the start of the sentence (they begin with <s>) keep raw counts.
    adjusted = [collections.Counter() for _ in range(order + 1)]
    adjusted[order] = counts[order]
    for k in range(order - 1, 0, -1):
        for ngram in adjusted[k + 1]:
            adjusted[k][ngram[1:]] += 1
        for ngram, c in counts[k].items():
            if ngram[0] == "<s>":
                adjusted[k][ngram] = c
    vocabulary = {w for (w,) in adjusted[1]} | {"<unk>"}
    vocabulary.discard("<s>")
    probabilities, backoffs = {}, {}
    lower = {(): None}
    for k in range(1, order + 1):
        d = discounts(adjusted[k])
        by_context = collections.defaultdict(list)
        for ngram, c in adjusted[k].items():
            if ngram[-1] != "<s>":
                by_context[ngram[:-1]].append((ngram, c))
        for context, entries in by_context.items():
            total = sum(c for _, c in entries)
            kinds = [sum(1 for _, c in entries if min(c, 3) == j) for j in (1, 2, 3)]
            gamma = sum(dj * nj for dj, nj in zip(d, kinds)) / total
            backoffs[context] = gamma
            for ngram, c in entries:
                lower_probability = 1 / len(vocabulary) if k == 1 else probabilities[ngram[1:]]
                probabilities[ngram] = (c - d[min(c, 3) - 1]) / total + gamma * lower_probability
        if k == 1:
            probabilities[("<unk>",)] = backoffs[()] / len(vocabulary)
    return probabilities, backoffs


def write(path, probabilities, backoffs, order):
    by_order = collections.defaultdict(list)
    for ngram in probabilities:
        by_order[len(ngram)].append(ngram)
    by_order[1].append(("<s>",))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\\data\\\n")
        for k in range(1, order + 1):
            f.write(f"ngram {k}={len(by_order[k])}\n")
        for k in range(1, order + 1):
            f.write(f"\n\\{k}-grams:\n")
            for ngram in sorted(by_order[k]):
                probability = -99.0 if ngram == ("<s>",) else math.log10(probabilities[ngram])
                line = f"{probability:.6f}\t{' '.join(ngram)}"
                if k < order and ngram in backoffs and backoffs[ngram] > 0:
                    line += f"\t{math.log10(backoffs[ngram]):.6f}"
                elif k < order and ngram in backoffs:
                    line += "\t0"
                f.write(line + "\n")
        f.write("\n\\end\\\n")


def main():
    text, order, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(text, encoding="utf-8") as f:
        sentences = [line.split() for line in f if line.split()]
    probabilities, backoffs = build(sentences, order)
    write(out, probabilities, backoffs, order)
    print(f"{out}: order {order}, {len(sentences)} sentences, "
          + ", ".join(f"{sum(1 for n in probabilities if len(n) == k)} {k}-grams" for k in range(1, order + 1)))


if __name__ == "__main__":
    main()
