#!/usr/bin/env bash
# Decoding at long contexts and where its time goes: our engine's decoding on the 421M shapes at 1K/16K/64K of context
# (Samba and the GQA transformer; prefill at those lengths on the way), Samba before a change when
# a second build is carried, parity (fixtures, prompt vs per-token kernels, GPU greedy loop vs the
# CPU's), and where a Samba token's time goes at 64K (bench/decode-profile.ts). Builds as for
# speed-and-pytorch-on-device.sh:
#   carry: [".device-carry", ".bench-new", ".bench-old"]   command: bash bench/decode-profile-on-device.sh
set -uo pipefail
source bench/on-device-common.sh
run parity 60 node $NEW/parity.js test/fixtures
run engine-new 90 node $NEW/engine-speed.js --shape samba-421m --lengths 1024,16384,65536 --decode-at 1024,16384,65536 --decode-tokens 64
[ -f "$OLD/engine-speed.js" ] && run engine-old 60 node $OLD/engine-speed.js --shape samba-421m --lengths 1024 --decode-at 1024 --decode-tokens 64
run profile 60 node $NEW/decode-profile.js --shape samba-421m --context 65536 --reps 20
[ -f "$OLD/decode-profile.js" ] && run profile-old 60 node $OLD/decode-profile.js --shape samba-421m --context 65536 --reps 20
run floor 60 node $NEW/dispatch-floor.js
run engine-new 120 node $NEW/engine-speed.js --shape transformer-421m --lengths 1024,16384,65536 --decode-at 1024,16384,65536 --decode-tokens 64
tail -20 "$out/stderr.log" >&2
