#!/usr/bin/env bash
# int8 against f16 weights: parity (with the i8 rows), decode and prefill of the 421M shapes at
# 1K/16K/64K with f16 and int8 storage (the ratio in one call), f16 before the int8 change (the
# matvec reads its scales: f16 must not lose), and where an int8 token's time goes at 64K.
#   carry: [".device-carry", ".bench-new", ".bench-old"]   command: bash bench/int8-vs-f16-on-device.sh
set -uo pipefail
source bench/on-device-common.sh
L=1024,16384,65536
run parity 60 node $NEW/parity.js test/fixtures
for w in f16 i8; do
  run engine-new 120 node $NEW/engine-speed.js --shape samba-421m --weights $w --lengths $L --decode-at $L --decode-tokens 64
done
run engine-old 90 node $OLD/engine-speed.js --shape samba-421m --weights f16 --lengths $L --decode-at $L --decode-tokens 64
for w in f16 i8; do
  run profile 60 node $NEW/decode-profile.js --shape samba-421m --weights $w --context 65536 --reps 20
done
run profile-old 60 node $OLD/decode-profile.js --shape samba-421m --context 65536 --reps 20
for w in f16 i8; do
  run engine-new 150 node $NEW/engine-speed.js --shape transformer-421m --weights $w --lengths $L --decode-at $L --decode-tokens 64
done
tail -20 "$out/stderr.log" >&2
