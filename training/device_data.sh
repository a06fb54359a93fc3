#!/bin/bash
# Moves the training corpus onto the GPU machine, one device call at a time (device tool `run`).
#
#   bash training/device_data.sh receive N   # copy the carried shard N (and any hashes*.json.xz) into /tmp/corpus/
#   bash training/device_data.sh harvest     # collect the machine's own site-packages (device_corpus.py)
#   bash training/device_data.sh status      # what /tmp/corpus holds
#
# A call carries at most 64 MiB (the repository included), so each call carries one shard of at most
# 25 MiB. Files under /tmp survive between calls made back to back while the machine is warm; carried
# paths do not. hashes.json.xz (keys of every Python file in the shards, and of the evaluation
# repositories) is final only when corpus.py has finished, so the harvest comes with the last shard:
#   call 1:  carry training/data/shards/shard-01.jsonl.xz;  bash training/device_data.sh receive 1
#   call 2:  carry training/data/shards/shard-02.jsonl.xz;  bash training/device_data.sh receive 2
#   ...
#   call N:  carry shard-NN.jsonl.xz and training/data/shards/hashes.json.xz;
#            bash training/device_data.sh receive N && bash training/device_data.sh harvest
# then train on every /tmp/corpus/*.jsonl.xz (harvest compresses device-python.jsonl: prepare reads *.jsonl.xz).
# An incremental pass (corpus.py --add v3) adds shards 05, 06 ... and hashes-v3.json.xz, which covers the
# Python of every shard, old and new: carry it with the last shard (or with the harvest call); harvest
# uses the newest hashes-vN.json.xz in /tmp/corpus, else hashes.json.xz. A harvest made before the new
# shards were received must be made again (its de-duplication did not know their Python).
set -eu
C=${SAMBA_CORPUS:-/tmp/corpus}
S=training/data/shards
mkdir -p "$C"
case "${1:-}" in
receive)
  n=$(printf '%02d' "${2:?receive needs the shard number, e.g. receive 1}")
  f="$S/shard-$n.jsonl.xz"
  if [ ! -f "$f" ]; then
    echo "device_data.sh: $f was not carried: name it in the call's carry (training/data/shards/shard-$n.jsonl.xz)" >&2
    exit 1
  fi
  xz -t "$f" || { echo "device_data.sh: $f is corrupt (xz -t failed): rebuild it with training/corpus.py" >&2; exit 1; }
  cp "$f" "$C/"
  for h in "$S"/hashes*.json.xz; do [ -f "$h" ] && cp "$h" "$C/"; done
  echo "received $f ($(du -h "$C/shard-$n.jsonl.xz" | cut -f1)); $C holds:"
  ls -la "$C"
  ;;
harvest)
  for h in "$S"/hashes*.json.xz; do [ -f "$h" ] && cp "$h" "$C/"; done
  hashes=$(ls "$C"/hashes-v*.json.xz 2>/dev/null | sort -V | tail -n 1)
  hashes=${hashes:-$C/hashes.json.xz}
  [ -f "$hashes" ] || { echo "device_data.sh: $C/hashes.json.xz is missing: carry it with shard 1 (receive 1) first" >&2; exit 1; }
  echo "harvest: de-duplicating against $hashes"
  python3 training/device_corpus.py --hashes "$hashes" --out "$C" | tail -n 40
  # train.py prepare reads *.jsonl.xz only (session 1 compressed this by hand).
  rm -f "$C/device-python.jsonl.xz" && xz -T0 -1 "$C/device-python.jsonl"
  if [ -n "${OUT:-}" ]; then cp "$C/device_manifest.json" "$OUT/"; fi
  ls -la "$C"
  ;;
status)
  ls -la "$C"
  ;;
*)
  echo "usage: bash training/device_data.sh receive N | harvest | status" >&2
  exit 2
  ;;
esac
