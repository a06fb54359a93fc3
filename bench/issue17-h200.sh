#!/usr/bin/env bash
# Issue 17's H200 figures in one device call (about 7 minutes):
#   1. bench/matmul-h200.sh: what Dawn offers, each prompt matmul kernel, Samba-421M prefill legacy /
#      f32 / f16 against PyTorch eager bf16, parity;
#   2. workspace reading and edits, before (main at 6258215, before long passes: .before/, built
#      there with `npm run build` and copied with kernels/ and package.json) and after, 64 to 4,096
#      files, one process each, alternating.
# Here: npm run build; the .before/ folder as above. Device call: carry [".device-lite" or
# ".device-carry", "dist", ".before"], command: bash bench/issue17-h200.sh
set -uo pipefail
[ -d .device-carry ] || ln -s .device-lite .device-carry
source .device-carry/on-device.sh >/dev/null 2>&1
final=${OUT:-/tmp/out}; out=/tmp/issue17; rm -rf "$out"; mkdir -p "$out" "$final"
# At most 8 files come back from a call: everything is packed into one archive at the end.
export OUT=$out
SIZES=${SIZES:-64,256,1024,4096}
bash bench/matmul-h200.sh
for who in before after; do
  js=dist/workspace-speed.js; [ $who = before ] && js=.before/dist/workspace-speed.js
  echo "== workspace $who" >&2
  t0=$SECONDS
  timeout 150 node "$js" --backend gpu --sizes "$SIZES" --keystrokes 20 > "$out/workspace-$who.jsonl" 2>> "$out/stderr.log"
  echo "   rc=$? $((SECONDS - t0)) s" >&2
done
cat "$out"/workspace-*.jsonl >&2
tar czf "$final/issue17.tar.gz" -C "$out" .
cp "$out/summary.txt" "$final/" 2>/dev/null
