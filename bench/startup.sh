#!/usr/bin/env bash
# Start-up to a ready workspace context: the model's load and the first read of an N-file
# workspace, with the open asked right after the load (the extension's way since stop 30: the
# folder is scanned, read and tokenized while the model loads) against after it ends (before).
# One fresh process per start, the two ways alternating, ROUNDS rounds per size, one call.
# Here: npm run build && LOCAL=1 ARGS="--backend cpu" SIZES=64,256 bash bench/startup.sh
# On the GPU machine (Node in /tmp/dev-node, as for the other benches): a call carrying
# [".device-lite", "dist"] with: bash bench/startup.sh        (rows: $OUT/startup.jsonl)
set -uo pipefail
if [ -z "${LOCAL:-}" ]; then
  [ -d .device-carry ] || ln -s .device-lite .device-carry
  source .device-carry/on-device.sh >/dev/null 2>&1
fi
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
out=${OUT:-/tmp/out}; mkdir -p "$out"
[ -z "${LOCAL:-}" ] && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "$out/machine.txt" 2>/dev/null
sizes=${SIZES:-64,1024,4096}
for size in ${sizes//,/ }; do
  for r in $(seq "${ROUNDS:-3}"); do
    for mode in sequential together; do
      node dist/workspace-speed.js ${ARGS:-} --sizes "$size" --start "$mode" 2>>"$out/stderr.log" | tee -a "$out/startup.jsonl"
    done
  done
done
