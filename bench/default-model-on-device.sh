#!/usr/bin/env bash
# Everything measured on the GPU machine for the embedded default model, in one call (under 10 min):
# the evaluation of the model card (next line with and without the repository state, perplexity by
# position, passkey), workspace indexing and keystroke latency at engine level, the cross-file case,
# and raw engine speed. Run from the repository root with the device tool:
#   carry: [".device-carry", "dist", ".device-data"]   (.device-data/heldout from training/heldout_repos.py)
#   command: bash bench/default-model-on-device.sh
set -uo pipefail
source .device-carry/on-device.sh >/dev/null 2>&1
out=${OUT:-/tmp/out}; mkdir -p "$out"
M=models/default
R=.device-data/heldout/npm_immer,.device-data/heldout/npm_semver,.device-data/heldout/python_email
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$out/machine.txt"
run() { local name=$1 limit=$2; shift 2; echo "== $name" >&2; timeout "$limit" "$@" > "$out/$name.jsonl" 2>> "$out/stderr.log"; echo "   rc=$? $(wc -l < "$out/$name.jsonl") lines" >&2; }
# parity: see bench/RESULTS.md (run separately)
run engine-speed 40 node dist/engine-speed.js --model $M --weights f16 --lengths 1024,4096,16384 --decode-at 1024 --decode-tokens 128
run workspace 60 node dist/workspace-speed.js --model $M --sizes 16,64,256 --keystrokes 30
run cross-file 50 node dist/cross-file.js --model $M --cases 60
run eval-nextline 100 node dist/cli.js eval --model $M --repos $R --tasks nextline --samples 100 --backend gpu
run eval-ppl 40 node dist/cli.js eval --model $M --repos $R --tasks ppl --max-len 16384 --ppl-seqs 2 --backend gpu
run eval-passkey 50 node dist/cli.js eval --model $M --repos $R --tasks passkey --passkey-lengths 1024,2048,4096,8192,16384 --passkey-trials 3 --backend gpu
tail -50 "$out/stderr.log" >&2
