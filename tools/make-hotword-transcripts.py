#!/usr/bin/env python3
"""Writes Tests/RecognizerTests/Fixtures/hotword-transcripts.json: sherpa-onnx's modified beam search
(4 paths) transcripts of the 16 kHz audio fixtures with a hotwords file (phrases that match, that
match partly and fail, that share prefixes, with and without their own scores) at two default
scores, for the Swift search's hotwords test. Hotwords are split into pieces by sherpa-onnx's bpe
tokenizer from a bpe.vocab written from the model's bpe.model.

usage: tools/make-hotword-transcripts.py [MODEL_DIR]
"""
import json
import os
import sys
import tempfile

import sentencepiece as spm
import sherpa_onnx
import soundfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_decoding import decode, token_ids  # noqa: E402
from single_thread_onnxruntime import cpu_profile  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "models", "zipformer2-kws-3.3M-gigaspeech")
OUTPUT = os.path.join(ROOT, "Tests", "RecognizerTests", "Fixtures", "hotword-transcripts.json")
FILES = ["weather-16k.wav", "callback-16k-float.wav", "long-pause.wav", "weather-pause-callback-16k.wav"]
HOTWORDS = ["CALL ME BACK :2", "HOME TONIGHT", "PHONE", "SUNDAY :3", "WEST WIND :3", "LIGHTNING :2.5",
            "LIGHT", "OPEN THE DOOR", "WHEN THERE IS", "THE WEATHER TODAY :0.5", "BREEZY :4"]
SCORES = [1.5, 3.0]


def main():
    processor = spm.SentencePieceProcessor(model_file=os.path.join(MODEL, "bpe.model"))
    ids = token_ids(MODEL)
    document = {"reference": f"sherpa-onnx {sherpa_onnx.__version__}", "arithmetic": cpu_profile(),
                "hotwords": HOTWORDS, "runs": []}
    with tempfile.TemporaryDirectory() as directory:
        vocab = os.path.join(directory, "bpe.vocab")
        with open(vocab, "w", encoding="utf-8") as f:
            for i in range(processor.get_piece_size()):
                f.write(f"{processor.id_to_piece(i)}\t{processor.get_score(i)}\n")
        hotwords = os.path.join(directory, "hotwords.txt")
        with open(hotwords, "w", encoding="utf-8") as f:
            f.write("\n".join(HOTWORDS) + "\n")
        for score in SCORES:
            recognizer = sherpa_onnx.OnlineRecognizer.from_transducer(
                tokens=os.path.join(MODEL, "tokens.txt"), encoder=os.path.join(MODEL, "encoder.int8.onnx"),
                decoder=os.path.join(MODEL, "decoder.onnx"), joiner=os.path.join(MODEL, "joiner.int8.onnx"),
                num_threads=1, sample_rate=16000, feature_dim=80, decoding_method="modified_beam_search",
                max_active_paths=4, hotwords_file=hotwords, hotwords_score=score, modeling_unit="bpe",
                bpe_vocab=vocab)
            files = {}
            for name in FILES:
                samples, rate = soundfile.read(os.path.join(ROOT, "audio-fixtures", name), dtype="float32")
                result = decode(recognizer, samples, rate, ids)
                files[name] = {"text": result["text"], "tokens": result["tokens"]}
            document["runs"].append({"hotwords_score": score, "files": files})
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    for run in document["runs"]:
        for name, file in run["files"].items():
            print(run["hotwords_score"], name, file["text"])


if __name__ == "__main__":
    main()
