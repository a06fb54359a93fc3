#!/usr/bin/env bash
# How many threads a CPU decode step uses: timed by the engine (StepWidth, the default) against
# fixed counts (SAMBA_CPU_STEP_THREADS), alternating in rounds. A fixed count equal to the engine's
# threads is the behaviour before the timing. Writes decode.jsonl (`samba bench`) and, with REPO
# (voluptuous's source), session.jsonl (editing-session.js's summary line) under OUT.
#   ROUNDS=3 WIDTHS="1 2" DIST=dist OUT=/tmp/step-threads [REPO=DIR] bash bench/step-threads.sh
set -euo pipefail
DIST=${DIST:-dist}
ROUNDS=${ROUNDS:-3}
WIDTHS=${WIDTHS:-1 2}
OUT=${OUT:-/tmp/step-threads}
mkdir -p "$OUT"
for round in $(seq "$ROUNDS"); do
  for w in auto $WIDTHS; do
    if [ "$w" = auto ]; then unset SAMBA_CPU_STEP_THREADS; else export SAMBA_CPU_STEP_THREADS=$w; fi
    line=$(node "$DIST/cli.js" bench --backend cpu --prompt-tokens 1024 --decode-tokens 400 | tail -1)
    echo "{\"round\":$round,\"steps\":\"$w\",\"bench\":$line}" | tee -a "$OUT/decode.jsonl"
    if [ -n "${REPO:-}" ]; then
      node "$DIST/editing-session.js" --backend cpu --repo "$REPO" --file voluptuous/validators.py --line 668 --layout new --read-ahead off > "$OUT/session-$round-$w.txt"
      line=$(grep '^{"kind":"editing-session"' "$OUT/session-$round-$w.txt")
      echo "{\"round\":$round,\"steps\":\"$w\",\"session\":$line}" >> "$OUT/session.jsonl"
      grep '^| keystroke\|^| enter\|^| new-line' "$OUT/session-$round-$w.txt" | sed "s/^/$w /"
    fi
  done
done
unset SAMBA_CPU_STEP_THREADS
