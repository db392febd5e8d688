#!/usr/bin/env python3
"""Two `asr serve` behind nginx on loopback, with the configuration in docs/serving.md.

    tools/check-serve-nginx.py [--asr .build/release/asr] [--nginx nginx]

Starts two servers on free ports and nginx in front of them (the documented `http` block, its
ports replaced), streams four audio fixtures through nginx at once as sherpa-onnx's decode-file
client does, and checks that each transcript equals `asr transcribe`'s and that both backends
served (nginx's X-Backend header). Needs nginx and the Python packages websockets and soundfile.
"""

import argparse
import asyncio
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile
import websockets

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ["weather-16k.wav", "callback-16k-float.wav", "weather-pause-callback-16k.wav", "long-pause.wav"]


def start_server(asr: str) -> tuple[subprocess.Popen, int]:
    server = subprocess.Popen([asr, "serve", "--port", "0", "--decoding", "greedy"], stderr=subprocess.PIPE, text=True)
    for line in server.stderr:
        match = re.search(r"listening on ws://[^:]+:(\d+)", line)
        if match:
            return server, int(match.group(1))
    raise SystemExit(f"check-serve-nginx: asr serve did not start (exit {server.wait()})")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_configuration(directory: Path, backends: list[int], port: int) -> str:
    """The documented http block with these ports, in a main configuration that writes only under `directory`."""
    text = (ROOT / "docs/serving.md").read_text()
    block = re.search(r"```nginx\n(.*?)```", text, re.S).group(1)
    block = block.replace("127.0.0.1:6006", f"127.0.0.1:{backends[0]}").replace("127.0.0.1:6007", f"127.0.0.1:{backends[1]}")
    block = block.replace("listen 127.0.0.1:8080", f"listen 127.0.0.1:{port}")
    temporary = "\n".join(f"    {kind}_temp_path {directory}/{kind};" for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"])
    return (f"worker_processes 1;\npid {directory}/nginx.pid;\nerror_log {directory}/error.log;\n"
            f"events {{ worker_connections 64; }}\nhttp {{\n    access_log off;\n{temporary}\n{block}}}\n")


async def stream(url: str, fixture: str) -> tuple[str, str]:
    samples, rate = soundfile.read(ROOT / "audio-fixtures" / fixture, dtype="float32")
    assert rate == 16000 and samples.ndim == 1, fixture
    finals = []
    async with websockets.connect(url) as connection:
        backend = connection.response.headers["X-Backend"]
        for offset in range(0, len(samples), 1600):
            await connection.send(samples[offset:offset + 1600].tobytes())
            await asyncio.sleep(0.02)  # faster than real time, slow enough that all four overlap
        await connection.send("Done")
        async for message in connection:
            if message == "Done!":
                break
            result = json.loads(message)
            if result["is_final"] and result["text"]:
                finals.append(result["text"])
    return backend, " ".join(finals)


async def stream_all(url: str) -> list[tuple[str, str]]:
    return await asyncio.gather(*(stream(url, fixture) for fixture in FIXTURES))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--asr", default=str(ROOT / ".build/release/asr"))
    parser.add_argument("--nginx", default="nginx")
    args = parser.parse_args()
    references = {entry["file"]: entry["text"] for entry in map(json.loads, subprocess.run(
        [args.asr, "transcribe", "--format", "json", "--decoding", "greedy", *(str(ROOT / "audio-fixtures" / f) for f in FIXTURES)],
        check=True, capture_output=True, text=True).stdout.splitlines())}

    servers = [start_server(args.asr) for _ in range(2)]
    with tempfile.TemporaryDirectory(prefix="asr-nginx-") as directory:
        port = free_port()
        configuration = Path(directory) / "nginx.conf"
        configuration.write_text(nginx_configuration(Path(directory), [p for _, p in servers], port))
        nginx = subprocess.Popen([args.nginx, "-e", f"{directory}/error.log", "-p", directory, "-c", str(configuration),
                                  "-g", "daemon off;"])
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if nginx.poll() is not None or time.monotonic() > deadline:
                        print((Path(directory) / "error.log").read_text(), file=sys.stderr)
                        raise SystemExit("check-serve-nginx: nginx did not start")
                    time.sleep(0.05)
            results = asyncio.run(stream_all(f"ws://127.0.0.1:{port}"))
        finally:
            nginx.terminate()
            nginx.wait()
            for server, _ in servers:
                server.terminate()
    failures = 0
    for fixture, (backend, text) in zip(FIXTURES, results):
        expected = references[str(ROOT / "audio-fixtures" / fixture)]
        print(f"{fixture}: via {backend}: {text}")
        if text != expected:
            print(f"check-serve-nginx: {fixture}: expected {expected!r}", file=sys.stderr)
            failures += 1
    backends = {backend for backend, _ in results}
    if backends != {f"127.0.0.1:{p}" for _, p in servers}:
        print(f"check-serve-nginx: streams went to {sorted(backends)}, not to both backends", file=sys.stderr)
        failures += 1
    statuses = [server.wait() for server, _ in servers]
    if any(statuses):
        print(f"check-serve-nginx: the servers exited {statuses} on SIGTERM", file=sys.stderr)
        failures += 1
    print("check-serve-nginx: ok" if not failures else f"check-serve-nginx: {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
