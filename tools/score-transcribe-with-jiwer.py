#!/usr/bin/env python3
"""Word error rate of `asr transcribe --format json` on the shared evaluation sets, scored by jiwer
(upper-cased, as the model README's reference numbers are). An independent check of `asr eval`.

usage: tools/score-transcribe-with-jiwer.py ASR_EXECUTABLE greedy|beam [SET...]
(the model comes from $ASR_MODEL; sets default to every directory in ../shared/eval)
"""
import glob, json, os, subprocess, sys, jiwer
EVAL = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared", "eval")
asr, mode = sys.argv[1], sys.argv[2]
sets = sys.argv[3:] or sorted(d for d in os.listdir(EVAL) if os.path.isdir(os.path.join(EVAL, d)))
def items(name):
    root = os.path.join(EVAL, name)
    out = []
    if os.path.exists(os.path.join(root, "wav.scp")):
        refs = dict(l.rstrip("\n").split(" ", 1) for l in open(os.path.join(root, "text")) if l.strip())
        for l in open(os.path.join(root, "wav.scp")):
            if l.strip():
                u, p = l.split(None, 1)
                out.append((u, os.path.join(root, p.strip()), refs[u]))
    else:
        for t in glob.glob(os.path.join(root, "**", "*.trans.txt"), recursive=True):
            for l in open(t):
                if l.strip():
                    u, ref = l.rstrip("\n").split(" ", 1)
                    out.append((u, os.path.join(os.path.dirname(t), u + ".flac"), ref))
    return out
allr, allh = [], []
for name in sets:
    its = items(name)
    res = subprocess.run([asr, "transcribe", "--decoding", mode, "--format", "json"] + [p for _, p, _ in its],
                         capture_output=True, text=True)
    hyps = {}
    for line in res.stdout.splitlines():
        o = json.loads(line); hyps[o["file"]] = o["text"].upper()
    if res.stderr.strip(): print(res.stderr.strip(), file=sys.stderr)
    refs = [r.upper() for _, _, r in its]; hs = [hyps.get(p, "") for _, p, _ in its]
    o = jiwer.process_words(refs, hs)
    words = sum(len(r.split()) for r in refs)
    print(f"{name:28s} utts {len(its):4d} words {words:5d} WER {100*o.wer:6.2f} % (S {o.substitutions} D {o.deletions} I {o.insertions})")
    allr += refs; allh += hs
o = jiwer.process_words(allr, allh)
print(f"{'all':28s} utts {len(allr):4d} words {sum(len(r.split()) for r in allr):5d} WER {100*o.wer:6.2f} % (S {o.substitutions} D {o.deletions} I {o.insertions})")
