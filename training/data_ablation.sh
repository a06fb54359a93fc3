#!/bin/bash
# What the data bought (issue 15): two runs of the default model's size from scratch, the same steps,
# learning-rate schedule and example mix, sharing the GPU (with --max-steps the schedule follows steps,
# so sharing changes no number): one on v1's sources alone (`prepare --sources v1`: 344 repositories,
# the same ones v1 trained on), one on the whole corpus (shards in /tmp/corpus, as run_device.sh).
#
#   bash training/data_ablation.sh start     # both pipelines, detached (run_device.sh start each)
#   bash training/data_ablation.sh wait S    # at most S seconds, until both are done or failed
#   bash training/data_ablation.sh eval      # `samba eval` (settings $SETTINGS, default c) on both, in parallel
#   bash training/data_ablation.sh pack      # logs, prep.json, results.json (held-out loss) and evals -> $OUT
# Settings: STEPS (800 steps of 16 x 8,192 tokens), LIMIT (eval wall seconds, 480).
set -u
STEPS=${STEPS:-800}
RUNS="v1 all"
work() { echo "/tmp/ablation-$1"; }
case "${1:-}" in
start)
  for r in $RUNS; do
    src=""; [ "$r" = v1 ] && src="--sources v1"
    SAMBA_WORK=$(work "$r") BUDGET=1500 PREP_BUDGET=240 \
      PREP_ARGS="--fim-rate 0.1 --prefix-rate 0.3 --old-fim-rate 0.05 $src" \
      TRAIN_ARGS="--max-steps $STEPS --state $(work "$r")-none.json" bash training/run_device.sh start | tail -n 2
  done
  ;;
wait)
  end=$((SECONDS + ${2:-540}))
  while [ $SECONDS -lt $end ]; do
    n=0; for r in $RUNS; do w=$(work "$r"); { [ -f "$w/DONE" ] || [ -f "$w/FAILED" ]; } && n=$((n + 1)); done
    [ $n = 2 ] && break
    sleep 5
  done
  for r in $RUNS; do echo "== $r"; SAMBA_WORK=$(work "$r") bash training/run_device.sh wait 0 | tail -n 6; done
  ;;
eval)
  for r in $RUNS; do
    (OUT=$(work "$r")/eval MODEL=$(work "$r")/model SETTINGS=${SETTINGS:-c} LIMIT=${LIMIT:-480} bash bench/eval-all.sh 2>&1 | tail -n 3) &
  done
  wait
  ;;
pack)
  [ -n "${OUT:-}" ] || { echo "OUT is not set"; exit 1; }
  files=""
  for r in $RUNS; do
    w=$(work "$r"); b=$(basename "$w")
    for f in prep.json results.json train_log.jsonl pipeline.log eval/eval-all.tar.gz; do [ -f "$w/$f" ] && files="$files $b/$f"; done
  done
  tar cJf "$OUT/ablation.tar.xz" -C /tmp $files && ls -la "$OUT"
  ;;
*)
  echo "usage: $0 start | wait SECONDS | eval | pack"; exit 2
  ;;
esac
