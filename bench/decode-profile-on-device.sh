#!/usr/bin/env bash
# Where decoding's time goes on the GPU machine (bench/decode-profile.ts), with the engine's decode
# speed before and after a change in the same call. Builds as for issue5-on-device.sh:
#   carry: [".device-carry", ".bench-new", ".bench-old"]   command: bash bench/decode-profile-on-device.sh
set -uo pipefail
source .device-carry/on-device.sh >/dev/null 2>&1
out=${OUT:-/tmp/out}; mkdir -p "$out"
NEW=${NEW:-.bench-new/dist}
OLD=${OLD:-.bench-old/dist}
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$out/machine.txt"
run() { local name=$1 limit=$2; shift 2; echo "== $name" >&2; local t0=$SECONDS; timeout "$limit" "$@" >> "$out/$name.jsonl" 2>> "$out/stderr.log"; echo "   rc=$? $((SECONDS - t0)) s" >&2; }
for i in 1 2; do
  [ -f "$OLD/engine-speed.js" ] && run engine-old 60 node $OLD/engine-speed.js --shape samba-421m --lengths 1024 --decode-at 1024 --decode-tokens 64
  run engine-new 60 node $NEW/engine-speed.js --shape samba-421m --lengths 1024 --decode-at 1024 --decode-tokens 64
done
[ "${MATVEC:-1}" = 1 ] && run matvec-new 40 node $NEW/matvec-speed.js --reps 100
[ "${MATVEC:-1}" = 1 ] && [ -f "$OLD/matvec-speed.js" ] && run matvec-old 40 node $OLD/matvec-speed.js --reps 100
run profile 90 node $NEW/decode-profile.js --shape samba-421m --context 1024
[ "${LONG:-1}" = 1 ] && run profile 90 node $NEW/decode-profile.js --shape samba-421m --context 65536
[ "${TRANSFORMER:-1}" = 1 ] && run profile 120 node $NEW/decode-profile.js --shape transformer-421m --context 65536
tail -20 "$out/stderr.log" >&2
