#!/bin/sh
# Makes audio-fixtures/long-pause.wav: two spoken sentences (espeak-ng) with 3 s of silence between
# them, 16 kHz mono 16-bit. The endpoint tests expect it to split into two segments.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
espeak-ng -v en-us -s 150 -w "$work/first.wav" "the weather is nice today"
espeak-ng -v en-us -s 150 -w "$work/second.wav" "please open the door"
sox "$work/first.wav" -r 16000 -c 1 -b 16 "$work/first16.wav"
sox "$work/second.wav" -r 16000 -c 1 -b 16 "$work/second16.wav"
sox -n -r 16000 -c 1 -b 16 "$work/pause.wav" trim 0 3.0
sox "$work/first16.wav" "$work/pause.wav" "$work/second16.wav" "$root/audio-fixtures/long-pause.wav"
soxi "$root/audio-fixtures/long-pause.wav"
