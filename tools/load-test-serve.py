#!/usr/bin/env python3
"""Load test of `asr serve`: N concurrent clients, each pacing a different utterance at real time.

    tools/load-test-serve.py [--asr .build/release/asr] [--decoding greedy|beam] [--clients N]...
                             [--set DIR] [--message-seconds 0.1] [--json REPORT]

Starts `asr serve --port 0 --no-endpoints --max-streams N` for each N, streams N utterances of the set (LibriSpeech
tree or Kaldi data dir) as sherpa-onnx's decode-file client does (0.1 s float32 messages every
0.1 s, then "Done"), and checks each transcript (the final results joined) against `asr transcribe`
of the same file with the same decoding. Reports, per N: partial latency p50/p95 (from sending a
message to receiving the first result whose `samples_received` covers it), server CPU (cores busy
while the clients stream) and RSS (before the clients, peak while they stream, after they leave).
Exits non-zero when a transcript differs. Needs the Python packages websockets and soundfile.
"""

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile
import websockets

ROOT = Path(__file__).resolve().parent.parent


def utterances(directory: Path) -> list[Path]:
    """The set's audio files in a fixed order."""
    scp = directory / "wav.scp"
    if scp.exists():
        return [directory / line.split(maxsplit=1)[1].strip() for line in scp.read_text().splitlines() if line.strip()]
    return sorted(directory.rglob("*.flac"))


def reference_transcripts(asr: str, decoding: str, files: list[Path]) -> dict[str, str]:
    output = subprocess.run([asr, "transcribe", "--format", "json", "--decoding", decoding, *map(str, files)],
                            check=True, capture_output=True, text=True).stdout
    return {entry["file"]: entry["text"] for entry in map(json.loads, output.splitlines())}


def proc_status(pid: int, field: str) -> int:
    """A /proc/PID/status field in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def stream(url: str, path: Path, message_seconds: float, latencies: list[float]) -> str:
    samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
    samples = np.ascontiguousarray(samples.mean(axis=1, dtype=np.float32) if samples.shape[1] > 1 else samples[:, 0])
    step = int(rate * message_seconds)
    pending: list[tuple[int, float]] = []  # (samples sent through this message, send time)
    finals: list[str] = []

    async with websockets.connect(url, max_size=None) as socket:
        async def receive() -> None:
            async for message in socket:
                if message == "Done!":
                    return
                now = time.monotonic()
                result = json.loads(message)
                while pending and pending[0][0] <= result["samples_received"]:
                    latencies.append(now - pending.pop(0)[1])
                if result["is_final"] and result["text"]:
                    finals.append(result["text"])

        receiver = asyncio.create_task(receive())
        if rate != 16000:
            await socket.send(json.dumps({"sample_rate": rate}))
        start = time.monotonic()
        for index, offset in enumerate(range(0, len(samples), step)):
            # Real time: message k leaves at k * message_seconds, however long sending took.
            await asyncio.sleep(max(0.0, start + index * message_seconds - time.monotonic()))
            end = min(offset + step, len(samples))
            pending.append((end, time.monotonic()))
            await socket.send(samples[offset:end].tobytes())
        await socket.send("Done")
        await receiver
    return " ".join(finals)


async def run_clients(url: str, files: list[Path], message_seconds: float, pid: int) -> tuple[list[str], list[float], dict]:
    latencies: list[float] = []
    peak = proc_status(pid, "VmRSS")
    cpu_before, wall_before = cpu_seconds(pid), time.monotonic()
    tasks = [asyncio.create_task(stream(url, path, message_seconds, latencies)) for path in files]
    while not all(task.done() for task in tasks):
        await asyncio.sleep(0.1)
        peak = max(peak, proc_status(pid, "VmRSS"))
    cpu = (cpu_seconds(pid) - cpu_before) / (time.monotonic() - wall_before)
    return [task.result() for task in tasks], latencies, {"cpu_cores": cpu, "rss_peak_mib": peak / 1024}


def start_server(asr: str, decoding: str, clients: int) -> tuple[subprocess.Popen, int]:
    # One segment per stream, as transcribe decodes a file: an endpoint restarts the search, so with
    # endpoints the joined finals may differ from transcribe's text where a pause splits a word.
    server = subprocess.Popen([asr, "serve", "--port", "0", "--no-endpoints", "--decoding", decoding, "--max-streams", str(clients)],
                              stderr=subprocess.PIPE, text=True)
    for line in server.stderr:
        match = re.search(r"listening on ws://[^:]+:(\d+)", line)
        if match:
            return server, int(match.group(1))
    raise SystemExit(f"load-test: asr serve did not start (exit {server.wait()})")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--asr", default=str(ROOT / ".build/release/asr"))
    parser.add_argument("--decoding", default="greedy", choices=["greedy", "beam"])
    parser.add_argument("--clients", type=int, action="append", help="concurrent clients (repeatable; default 1, 8, 32)")
    parser.add_argument("--set", type=Path, default=ROOT.parent / "shared/eval/librispeech-test-other-50")
    parser.add_argument("--message-seconds", type=float, default=0.1)
    parser.add_argument("--json", type=Path, help="write the report here too")
    args = parser.parse_args()
    counts = args.clients or [1, 8, 32]
    files = utterances(args.set)
    if len(files) < max(counts):
        raise SystemExit(f"load-test: {args.set} has {len(files)} utterances, fewer than {max(counts)} clients")
    references = reference_transcripts(args.asr, args.decoding, files[:max(counts)])

    reports, failures = [], 0
    print("clients  audio s  latency p50 ms  p95 ms  server CPU cores  RSS idle MiB  peak MiB  after MiB  transcripts")
    for count in counts:
        server, port = start_server(args.asr, args.decoding, count)
        try:
            idle = proc_status(server.pid, "VmRSS") / 1024
            chosen = files[:count]
            texts, latencies, usage = asyncio.run(run_clients(f"ws://127.0.0.1:{port}", chosen, args.message_seconds, server.pid))
            time.sleep(0.5)
            after = proc_status(server.pid, "VmRSS") / 1024
        finally:
            server.terminate()
            status = server.wait()
        if status != 0:
            print(f"load-test: asr serve exited {status} on SIGTERM", file=sys.stderr)
            failures += 1
        wrong = [(path, text) for path, text in zip(chosen, texts) if text != references[str(path)]]
        for path, text in wrong:
            print(f"load-test: {path}: served {text!r}, transcribe {references[str(path)]!r}", file=sys.stderr)
        failures += len(wrong)
        audio = sum(soundfile.info(path).duration for path in chosen)
        report = {"clients": count, "audio_seconds": round(audio, 1),
                  "latency_p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
                  "latency_p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
                  "server_cpu_cores": round(usage["cpu_cores"], 2), "rss_idle_mib": round(idle, 1),
                  "rss_peak_mib": round(usage["rss_peak_mib"], 1), "rss_after_mib": round(after, 1),
                  "transcripts_equal": count - len(wrong)}
        reports.append(report)
        print(f"{count:7d}  {report['audio_seconds']:7.1f}  {report['latency_p50_ms']:14.1f}  {report['latency_p95_ms']:6.1f}"
              f"  {report['server_cpu_cores']:16.2f}  {idle:12.1f}  {report['rss_peak_mib']:8.1f}  {after:9.1f}"
              f"  {count - len(wrong)} of {count} equal")
    if args.json:
        args.json.write_text(json.dumps({"decoding": args.decoding, "set": str(args.set), "runs": reports}, indent=2) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
