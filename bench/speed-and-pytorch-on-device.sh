#!/usr/bin/env bash
# Engine speed against PyTorch on the GPU machine in one call (under 10 minutes): our engine on the
# 421M shapes (prefill 1K-128K, decode at 1K/16K/64K), the same engine before a change when a
# second build is carried, parity, the decoding matvec and attention kernels alone, and PyTorch (training/samba.py, eager and torch.compile) on the same GPU.
# Each build is a folder with dist/ and kernels/ (copy them from a checkout after `npm run build`):
#   carry: [".device-carry", ".bench-new", ".bench-old"]      command: bash bench/speed-and-pytorch-on-device.sh
set -uo pipefail
source bench/on-device-common.sh
run engine-new 80 node $NEW/engine-speed.js --shape samba-421m --lengths 1024,4096,16384,65536,131072 --decode-at 1024,16384,65536
[ -f "$OLD/engine-speed.js" ] && run engine-old 45 node $OLD/engine-speed.js --shape samba-421m --lengths 1024 --decode-at 1024
run parity 40 node $NEW/parity.js test/fixtures
run matvec 40 node $NEW/matvec-speed.js --reps 200
run attention 60 node $NEW/attention-speed.js
export PYTHONUNBUFFERED=1
run torch "${TORCH_S:-150}" python3 training/bench_torch.py --budget-s $(( ${TORCH_S:-150} - 15 ))
run engine-new "${TRANSFORMER_S:-170}" node $NEW/engine-speed.js --shape transformer-421m --lengths 1024,4096,16384,65536,131072 --decode-at 1024,16384,65536
[ -f "$OLD/engine-speed.js" ] && run engine-old 60 node $OLD/engine-speed.js --shape transformer-421m --lengths 1024,16384 --decode-at 1024,16384
tail -30 "$out/stderr.log" >&2
