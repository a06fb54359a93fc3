#!/usr/bin/env bash
# The CPU engine under each value of one environment setting, alternating in rounds: `samba bench`
# (decode.jsonl) and, with REPO (voluptuous's source), an editing session (session.jsonl and each
# session's tables) under OUT. "unset" leaves the setting out (the engine's default).
#   VAR=SAMBA_CPU_STEP_THREADS VALUES="unset 2 1" ROUNDS=3 DIST=dist OUT=/tmp/out [REPO=DIR] [NODE=node] [PROMPT=1024] bash bench/cpu-settings.sh
# Stop 64: VAR=SAMBA_CPU_STEP_THREADS (a decode step's threads: timed when unset; the engine's
# thread count is the behaviour before), and VAR=SAMBA_CPU_INT8 VALUES="1 0" (int8 products).
set -euo pipefail
VAR=${VAR:?the environment setting to vary}
VALUES=${VALUES:?its values, or unset}
DIST=${DIST:-dist}
NODE=${NODE:-node}
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-/tmp/cpu-settings}
mkdir -p "$OUT"
for round in $(seq "$ROUNDS"); do
  for v in $VALUES; do
    if [ "$v" = unset ]; then unset "$VAR"; else export "$VAR=$v"; fi
    line=$("$NODE" "$DIST/cli.js" bench --backend cpu --prompt-tokens "${PROMPT:-1024}" --decode-tokens 400 | tail -1)
    echo "{\"round\":$round,\"$VAR\":\"$v\",\"bench\":$line}" | tee -a "$OUT/decode.jsonl"
    if [ -n "${REPO:-}" ]; then
      "$NODE" "$DIST/editing-session.js" --backend cpu --repo "$REPO" --file voluptuous/validators.py --line 668 --layout new --read-ahead off > "$OUT/session-$round-$v.txt" 2> "$OUT/session-$round-$v.err"
      line=$(grep '^{"kind":"editing-session"' "$OUT/session-$round-$v.txt")
      echo "{\"round\":$round,\"$VAR\":\"$v\",\"session\":$line}" >> "$OUT/session.jsonl"
      grep '^| keystroke\|^| enter\|^| new-line' "$OUT/session-$round-$v.txt" | sed "s/^/$v /"
      grep -o '^1 first [0-9]* ms' "$OUT/session-$round-$v.err" | sed "s/^/$v /" || true
    fi
  done
done
unset "$VAR"
