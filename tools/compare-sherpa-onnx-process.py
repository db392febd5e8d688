#!/usr/bin/env python3
"""Whole-process comparison of `asr transcribe` with sherpa-onnx's own streaming command-line
decoder (`sherpa-onnx` from the sherpa-onnx-bin wheel of the installed sherpa-onnx version), as a
user transcribing a file runs each: one process per file, one thread, same model, same wav files.
For each process, peak resident memory (ru_maxrss) and CPU time (user + system, model loading
included) come from wait4.

    tools/compare-sherpa-onnx-process.py SET_OR_FILE... --asr .build/release/asr \\
        --model ../shared/models/zipformer2-kws-3.3M-gigaspeech [--decoding greedy|beam] [--limit N]
        [--sherpa-bin PATH]

A SET is anything tools/compare-sherpa-onnx.py reads. The sherpa-onnx command reads only wav, so
every file is first written as 16-bit wav at its own rate (soundfile) into a temporary directory,
and both commands read those files. Without --sherpa-bin the sherpa-onnx-bin and sherpa-onnx-core
wheels are downloaded once (pip download) into ~/.cache/asr-tools.
"""
import argparse
import glob
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import zipfile

import sherpa_onnx
import soundfile

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("compare", os.path.join(HERE, "compare-sherpa-onnx.py"))
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)


def sherpa_command():
    """(path of the sherpa-onnx executable, its library directory), fetched once."""
    version = sherpa_onnx.__version__
    cache = os.path.expanduser(f"~/.cache/asr-tools/sherpa-onnx-bin-{version}")
    executable = os.path.join(cache, f"sherpa_onnx_bin-{version}.data", "data", "bin", "sherpa-onnx")
    if not os.path.exists(executable):
        os.makedirs(cache, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", cache,
                        f"sherpa-onnx-bin=={version}", f"sherpa-onnx-core=={version}"], check=True)
        for wheel in glob.glob(os.path.join(cache, "*.whl")):
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(cache)
        os.chmod(executable, 0o755)
    return executable, os.path.join(cache, "sherpa_onnx", "lib")


def measure(command, environment=None):
    """(stdout + stderr text, exit status, CPU seconds, peak resident kB) of one process."""
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=environment)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return text, process.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def sherpa_text(output):
    for line in output.splitlines():
        if line.startswith("{") and '"text"' in line:
            return json.loads(line)["text"]
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--asr", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--decoding", choices=["greedy", "beam"], default="greedy")
    parser.add_argument("--limit", type=int, default=0, help="at most N files per set")
    parser.add_argument("--sherpa-bin", help="a sherpa-onnx executable (its libraries on LD_LIBRARY_PATH)")
    args = parser.parse_args()

    if args.sherpa_bin:
        executable, environment = args.sherpa_bin, None
    else:
        executable, library = sherpa_command()
        environment = dict(os.environ, LD_LIBRARY_PATH=library)
    files = []
    for item in args.inputs:
        paths = [item] if os.path.isfile(item) and not item.endswith(".jsonl") else [u[1] for u in compare.read_set(item)]
        files += paths[:args.limit] if args.limit else paths

    model = args.model
    sherpa_base = [executable, f"--tokens={model}/tokens.txt", f"--encoder={model}/encoder.int8.onnx",
                   f"--decoder={model}/decoder.onnx", f"--joiner={model}/joiner.int8.onnx", "--num-threads=1",
                   "--decoding-method=" + ("greedy_search" if args.decoding == "greedy" else "modified_beam_search")]
    asr_base = [args.asr, "transcribe", "--dither", "0", "--model", model, "--decoding", args.decoding]
    totals = {"asr": [0.0, 0], "sherpa-onnx": [0.0, 0]}
    same = failed = 0
    audio_seconds = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        for index, path in enumerate(files):
            samples, rate = soundfile.read(path, dtype="int16", always_2d=True)
            wav = os.path.join(scratch, f"{index}.wav")
            soundfile.write(wav, samples, rate, subtype="PCM_16")
            audio_seconds += len(samples) / rate
            asr_output, asr_status, asr_cpu, asr_peak = measure(asr_base + [wav])
            sherpa_output, sherpa_status, sherpa_cpu, sherpa_peak = measure(sherpa_base + [wav], environment)
            if asr_status != 0 or sherpa_status != 0:
                failed += 1
                print(f"{path}: asr exit {asr_status}, sherpa-onnx exit {sherpa_status}", file=sys.stderr)
                continue
            for name, cpu, peak in (("asr", asr_cpu, asr_peak), ("sherpa-onnx", sherpa_cpu, sherpa_peak)):
                totals[name][0] += cpu
                totals[name][1] = max(totals[name][1], peak)
            same += compare.normalize(asr_output) == compare.normalize(sherpa_text(sherpa_output) or "")

    measured = len(files) - failed
    asr_cpu, asr_peak = totals["asr"]
    sherpa_cpu, sherpa_peak = totals["sherpa-onnx"]
    print(f"{measured} files, {audio_seconds:.1f} s of audio, one process per file, decoding {args.decoding}")
    print("| figure | asr | sherpa-onnx | ratio |")
    print("|---|---|---|---|")
    print(f"| largest peak resident memory | {asr_peak / 1024:.1f} MiB | {sherpa_peak / 1024:.1f} MiB | "
          f"{asr_peak / max(sherpa_peak, 1):.2f} |")
    print(f"| CPU time, all processes (load included) | {asr_cpu:.2f} s | {sherpa_cpu:.2f} s | "
          f"{asr_cpu / max(sherpa_cpu, 1e-9):.2f} |")
    print(f"| CPU per process | {asr_cpu / max(measured, 1) * 1000:.0f} ms | {sherpa_cpu / max(measured, 1) * 1000:.0f} ms | |")
    print(f"same transcript (asr eval's normalization): {same} of {measured} files "
          f"(the sherpa-onnx command pads the end with its own tail, not 0.66 s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
