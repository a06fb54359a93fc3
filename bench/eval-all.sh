#!/usr/bin/env bash
# The full `samba eval --tasks completion` on the GPU machine: 200 targets x settings a, b, c for each
# repository of training/data/eval-repos.json, in parallel processes (each repository split into
# shards of whole files, `--shard I/N`), all under one wall limit.
#
# Here, once:  bash scripts/fetch-eval-repos.sh .device-data/eval-repos && npm run build
# Device tool: the tracked files and .device-carry (Node, 23 MiB of it) no longer fit one call's
# 64 MiB with dist: first a call that carries Node alone into /tmp (a folder with node.tar.xz,
# e.g. .device-node: `mkdir -p /tmp/dev-node && tar xJf .device-node/node.tar.xz -C /tmp/dev-node`),
# then at once (the machine stays warm 30 s) carry [".device-lite" (.device-carry without
# node.tar.xz), "dist", ".device-data"], command: ln -s .device-lite .device-carry; bash bench/eval-all.sh
# Settings (environment): TARGETS (200), SETTINGS (a,b,c), LIMIT (wall seconds for everything, 540), MODEL
# (models/default), SHARDS (processes per repository; default by size, 17 in all), EVAL_FLAGS (more
# `samba eval` flags, e.g. "--budget-tokens 16000"), ONLY (repository folders to run, default all),
# BACKEND (gpu; cpu to try the script on a machine without one), REPOS (the folder of repositories,
# .device-data/eval-repos), CLI (the build to run, dist/cli.js).
# Writes to $OUT: eval-<repo>.jsonl (every finished target, all shards) and eval-<repo>.json (the
# shards' --json documents merged: targets, seconds), shards/eval-<repo>.<k>of<n>.{json,jsonl,log}
# per process, machine.txt. A shard cut by the limit loses only the file it was on (--details is
# written per file); its .json is missing then, and eval-<repo>.json holds the other shards' targets.
# Back here, the tables pooled as one run, and the time per target by stage:
#   node out/src/eval/report-cli.js <files_at>/eval-*.jsonl
set -uo pipefail
source .device-carry/on-device.sh >/dev/null 2>&1
out=${OUT:-/tmp/out}; mkdir -p "$out/shards"
TARGETS=${TARGETS:-200}
LIMIT=${LIMIT:-540}
MODEL=${MODEL:-models/default}
REPOS=${REPOS:-.device-data/eval-repos}
CLI=${CLI:-dist/cli.js}
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "$out/machine.txt" 2>/dev/null
echo "$(nproc) cores" >> "$out/machine.txt"
# Shards by the work each repository's workspace states need (tokens re-read over 200 targets:
# cobra 1.40M, table-core 1.17M, email 1.01M, semver 0.82M, packaging 0.29M, immer 0.22M, json5 0.03M).
# json5 has 2: with the GPU's 2,048-token block its one process did not finish parse.js (132 of its
# 200 targets) within LIMIT=280 (stop 36); a second shard takes the other files.
declare -A SH=([deb_golang-github-spf13-cobra-dev]=3 [npm_tanstack_table-core]=3 [python_email]=3 [npm_semver]=2 [deb_python3-packaging]=2 [npm_immer]=2 [npm_json5]=2)
t0=$SECONDS
pids=()
# (dl/ is fetch-eval-repos.sh's download scratch, not a repository)
dirs=(); for r in ${ONLY:-$(ls "$REPOS" | grep -vx dl)}; do dirs+=("$REPOS/$r"); done
for dir in "${dirs[@]}"; do
  repo=$(basename "$dir")
  n=${SHARDS:-${SH[$repo]:-2}}
  for k in $(seq 1 "$n"); do
    base="$out/shards/eval-$repo.${k}of$n"
    # The limit less a margin for the merge below; SIGTERM first, then SIGKILL 5 s later.
    timeout -k 5 $((LIMIT - 20)) node "$CLI" eval --model "$MODEL" --backend "${BACKEND:-gpu}" --repos "$dir" --tasks completion \
      --targets "$TARGETS" --settings "${SETTINGS:-a,b,c}" --shard "$k/$n" ${EVAL_FLAGS:-} \
      --json "$base.json" --details "$base.jsonl" > /dev/null 2> "$base.log" &
    pids+=($!)
  done
done
echo "started ${#pids[@]} processes" >&2
for p in "${pids[@]}"; do wait "$p"; done
echo "all done or cut in $((SECONDS - t0)) s" >&2
# One .jsonl and one .json per repository, from its shards.
for dir in "${dirs[@]}"; do
  repo=$(basename "$dir")
  cat "$out/shards/eval-$repo".*of*.jsonl > "$out/eval-$repo.jsonl" 2>/dev/null
  node -e '
    const fs = require("fs");
    const [outFile, ...parts] = process.argv.slice(1);
    const docs = parts.filter((f) => fs.existsSync(f)).map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
    if (!docs.length) process.exit(0);
    const d = docs[0];
    fs.writeFileSync(outFile, JSON.stringify({ model: d.model, fingerprint: d.fingerprint, backend: d.backend, device: d.device, options: { ...d.options, shard: undefined },
      shards: docs.length, seconds: Math.max(...docs.map((x) => x.seconds)), targets: docs.flatMap((x) => x.targets) }, null, 1));
  ' "$out/eval-$repo.json" "$out/shards/eval-$repo".*of*.json
  done_n=$(cat "$out/eval-$repo.jsonl" 2>/dev/null | wc -l)
  echo "$repo: $done_n targets finished; $(grep -h 'targets (' "$out/shards/eval-$repo".*of*.log 2>/dev/null | tail -1)" >&2
done
echo "wall $((SECONDS - t0)) s" >&2
# The device tool brings back at most 8 files from $OUT: one archive of everything.
if [ -n "${OUT:-}" ] && [ "$out" = "$OUT" ]; then
  tar czf /tmp/eval-all.tar.gz -C "$out" . && rm -rf "${out:?}"/* && mv /tmp/eval-all.tar.gz "$out/eval-all.tar.gz"
  echo "packed into \$OUT/eval-all.tar.gz (tar xzf it here, then report-cli)" >&2
fi
