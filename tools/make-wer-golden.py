#!/usr/bin/env python3
"""Score the committed (reference, hypothesis) pairs with jiwer, the independent WER implementation,
and write the counts the Evaluation tests compare against.

    tools/make-wer-golden.py   # reads Tests/EvaluationTests/Fixtures/wer-pairs.tsv, writes wer-golden.json

Pairs are already normalized text (upper case words), so only the alignment is under test here.
CER is jiwer's default: characters of the text, spaces included.
It also normalizes the lines of normalization-cases.txt with tools/compare-sherpa-onnx.py's
normalize(), so the test can check that the script and TextNormalizer score the same words.
"""
import importlib.metadata
import json
import os

import importlib.util

import jiwer

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "Tests", "EvaluationTests", "Fixtures")


def main():
    pairs = []
    with open(os.path.join(FIXTURES, "wer-pairs.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                reference, hypothesis = line.split("\t")
                pairs.append((reference, hypothesis))

    entries = []
    for reference, hypothesis in pairs:
        words = jiwer.process_words(reference, hypothesis)
        characters = jiwer.process_characters(reference, hypothesis)
        entries.append({
            "reference": reference, "hypothesis": hypothesis,
            "substitutions": words.substitutions, "deletions": words.deletions,
            "insertions": words.insertions, "hits": words.hits, "wer": words.wer,
            "character_substitutions": characters.substitutions, "character_deletions": characters.deletions,
            "character_insertions": characters.insertions, "cer": characters.cer,
        })
    corpus_words = jiwer.process_words([r for r, _ in pairs], [h for _, h in pairs])
    corpus_characters = jiwer.process_characters([r for r, _ in pairs], [h for _, h in pairs])
    spec = importlib.util.spec_from_file_location(
        "compare", os.path.join(os.path.dirname(__file__), "compare-sherpa-onnx.py"))
    compare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compare)
    with open(os.path.join(FIXTURES, "normalization-cases.txt"), encoding="utf-8") as f:
        normalization = [{"raw": line.rstrip("\n"), "words": compare.normalize(line.rstrip("\n"))} for line in f]

    golden = {
        "jiwer_version": importlib.metadata.version("jiwer"),
        "pairs": entries,
        "normalization": normalization,
        "corpus": {"substitutions": corpus_words.substitutions, "deletions": corpus_words.deletions,
                   "insertions": corpus_words.insertions, "wer": corpus_words.wer, "cer": corpus_characters.cer},
    }
    with open(os.path.join(FIXTURES, "wer-golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
