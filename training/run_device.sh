#!/bin/bash
# Driver for the GPU machine (device tool `run`, repository root as working directory; the corpus
# travels with `carry: ["training/data/corpus"]`).
#
#   bash training/run_device.sh start            # launch prepare -> train -> export, detached
#   bash training/run_device.sh wait SECONDS     # wait for it to finish (or die), print the log
#   bash training/run_device.sh collect          # copy the results into $OUT
#   bash training/run_device.sh full             # all of it in the foreground, then collect
#
# The pipeline runs under setsid so that it outlives the command that started it; the machine
# must be kept busy (a next `run` within its idle window) until `collect`.
set -u
W=${SAMBA_WORK:-/tmp/samba-work}
case "${1:-}" in
start)
  mkdir -p "$W"
  nvidia-smi --query-gpu=name,memory.used,memory.total,clocks.max.sm --format=csv
  python3 -c "import torch, triton, tokenizers; print('torch', torch.__version__, 'triton', triton.__version__, 'tokenizers', tokenizers.__version__)"
  setsid bash -c "
    echo \$\$ > '$W/pid'
    export PYTHONUNBUFFERED=1
    python3 training/train.py prepare --work '$W' ${PREP_ARGS:-} &&
    python3 training/train.py train --work '$W' --budget ${BUDGET:-780} ${TRAIN_ARGS:-} &&
    python3 training/train.py export --work '$W' --out '$W/model' ${EXPORT_ARGS:-} &&
    touch '$W/DONE' || touch '$W/FAILED'
  " > "$W/pipeline.log" 2>&1 < /dev/null &
  sleep 2
  echo "started pid $(cat "$W/pid")"
  ;;
wait)
  end=$((SECONDS + ${2:-540}))
  while [ $SECONDS -lt $end ]; do
    if [ -f "$W/DONE" ] || [ -f "$W/FAILED" ]; then break; fi
    if ! kill -0 "$(cat "$W/pid")" 2>/dev/null; then echo "pipeline process is gone"; break; fi
    sleep 10
  done
  ls "$W"
  grep -E "scan|tune|check|model:|stream|tokenizer|held-out|train done" "$W/pipeline.log" | cut -c1-400 | head -40
  echo ...
  tail -n 25 "$W/pipeline.log" | cut -c1-600
  [ -n "${OUT:-}" ] && cp "$W/pipeline.log" "$OUT/" && { [ -f "$W/train_log.jsonl" ] && cp "$W/train_log.jsonl" "$OUT/"; true; }
  ;;
full)
  # everything in the foreground, for one call of at most 10 minutes: keep BUDGET + ~150 s under it
  mkdir -p "$W"
  nvidia-smi --query-gpu=name,memory.used,memory.total,clocks.max.sm --format=csv
  export PYTHONUNBUFFERED=1
  { python3 training/train.py prepare --work "$W" ${PREP_ARGS:-} &&
    python3 training/train.py train --work "$W" --budget ${BUDGET:-430} ${TRAIN_ARGS:-} &&
    cp "$W/train_log.jsonl" "$OUT/" &&
    python3 training/train.py export --work "$W" --out "$W/model" ${EXPORT_ARGS:-}; } 2>&1 | tee "$W/pipeline.log" | grep -v "^[0-9:]* step=" 
  bash "$0" collect
  ;;
collect)
  cp "$W"/model/*.safetensors "$OUT/"
  files=""
  for f in model/config.json model/model.safetensors.index.json model/tokenizer.json results.json \
           train_log.jsonl pipeline.log prep.json default-model-reference.json; do
    [ -f "$W/$f" ] && files="$files $f"
  done
  tar czf "$OUT/bundle.tar.gz" -C "$W" $files
  ls -la "$OUT"
  ;;
*)
  echo "usage: $0 start|wait SECONDS|collect"; exit 2
  ;;
esac
