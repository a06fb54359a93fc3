#!/bin/bash
# Driver for the GPU machine (device tool `run`, repository root as working directory). The corpus
# shards must already be in /tmp/corpus/*.jsonl.xz (the data helper's calls put them there; the v1
# corpus training/data/corpus/corpus.jsonl.xz is read too when it is carried).
#
#   bash training/run_device.sh start          # golden check -> prepare -> smoke + train (BUDGET s) -> export, detached
#   bash training/run_device.sh wait SECONDS   # wait (at most SECONDS) for it to finish or die; print where it stands;
#                                              # when it is done and $OUT is set, collect at once (below)
#   bash training/run_device.sh collect        # model shards, train_log.jsonl, results.json, bundle.tar.gz -> $OUT
#   bash training/run_device.sh eval-gpu [DIR] # `node dist/cli.js eval --model DIR --json $OUT/eval.json` (if built)
#
# Settings (environment): BUDGET training seconds (default 600); INIT a model folder to continue
# from (e.g. models/default; same config); PREP_BUDGET prepare seconds (default 240: batches not
# done by then are left out, logged); PREP_ARGS, TRAIN_ARGS, EXPORT_ARGS extra flags of
# training/train.py. The pipeline runs under setsid so that it outlives the command that started
# it: keep the machine busy (the next `run` within its idle window) until `collect`.
set -u
W=${SAMBA_WORK:-/tmp/samba-work}
TOK=models/default/tokenizer.json

case "${1:-}" in
start)
  if [ -f "$W/pid" ] && kill -0 "$(cat "$W/pid")" 2>/dev/null; then
    echo "a pipeline is already running (pid $(cat "$W/pid")); wait for it or kill it first"; exit 1
  fi
  rm -rf "$W"; mkdir -p "$W"
  shards=$(ls /tmp/corpus/*.jsonl.xz training/data/corpus/corpus.jsonl.xz 2>/dev/null)
  if [ -z "$shards" ]; then
    echo "no corpus: /tmp/corpus/*.jsonl.xz is empty and training/data/corpus/corpus.jsonl.xz is not carried"; exit 1
  fi
  echo "corpus shards:"; ls -la $shards | awk '{print "  " $5 "  " $9}'
  [ -n "${INIT:-}" ] && { [ -f "$INIT/config.json" ] || { echo "INIT=$INIT has no config.json"; exit 1; }; }
  nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv,noheader
  python3 -c "import torch, triton, tokenizers; print('torch', torch.__version__, 'triton', triton.__version__, 'tokenizers', tokenizers.__version__)" || exit 1
  echo "cores $(nproc), free disk $(df -h /tmp | awk 'NR==2{print $4}')"
  setsid bash -c "
    echo \$\$ > '$W/pid'
    export PYTHONUNBUFFERED=1
    stage() { echo \$1 > '$W/stage'; echo \"\$(date +%H:%M:%S) == \$1\"; }
    stage golden && { python3 -m unittest -v training/test_prompt_golden.py training/test_transforms.py > '$W/golden.log' 2>&1;
      rc=\$?; grep -E \"^FAIL|^ERROR|skipped '|^Ran|^OK\" '$W/golden.log' | head -n 30; [ \$rc = 0 ] && ! grep -q 'skipped=' '$W/golden.log'; } &&
    stage prepare && python3 training/train.py prepare --work '$W' --tokenizer $TOK --prep-budget ${PREP_BUDGET:-240} ${PREP_ARGS:-} &&
    stage train && python3 training/train.py train --work '$W' --budget ${BUDGET:-600} ${INIT:+--init $INIT} ${TRAIN_ARGS:-} &&
    stage export && python3 training/train.py export --work '$W' --out '$W/model' ${EXPORT_ARGS:-} &&
    stage done && touch '$W/DONE' || { echo \"FAILED in stage \$(cat '$W/stage')\"; touch '$W/FAILED'; }
  " > "$W/pipeline.log" 2>&1 < /dev/null &
  sleep 3
  echo "started pid $(cat "$W/pid"); BUDGET=${BUDGET:-600} PREP_BUDGET=${PREP_BUDGET:-240} INIT=${INIT:-none}"
  tail -n 5 "$W/pipeline.log"
  ;;
wait)
  end=$((SECONDS + ${2:-540}))
  while [ $SECONDS -lt $end ]; do
    if [ -f "$W/DONE" ] || [ -f "$W/FAILED" ]; then break; fi
    if ! kill -0 "$(cat "$W/pid" 2>/dev/null)" 2>/dev/null; then echo "pipeline process is gone"; break; fi
    sleep 5
  done
  [ -f "$W/DONE" ] && echo "DONE"; [ -f "$W/FAILED" ] && echo "FAILED"
  echo "stage: $(cat "$W/stage" 2>/dev/null)"
  grep -E "^[0-9:]+ == |corpus:|tokenizer:|train stream|budget|prepare done|scan:|smoke|model:|init:|compile|out of GPU|eval \{|train done|held-out f32|train-stream|reference|export done|FAILED|Error|error" \
    "$W/pipeline.log" | grep -v " step=" | cut -c1-400 | tail -n 40
  echo ...
  grep " step=" "$W/pipeline.log" | tail -n 3 | cut -c1-300
  tail -n 4 "$W/pipeline.log" | grep -v " step=" | cut -c1-600
  # The weights live only in $W until a call brings them back: a machine taken back mid-lease
  # (session 8) loses them. So the call that sees DONE brings them back too.
  if [ -f "$W/DONE" ] && [ -n "${OUT:-}" ]; then echo "collecting into \$OUT"; bash "$0" collect; fi
  ;;
collect)
  [ -n "${OUT:-}" ] || { echo "OUT is not set"; exit 1; }
  if [ ! -f "$W/model/config.json" ]; then echo "no exported model in $W/model (stage: $(cat "$W/stage" 2>/dev/null))"; fi
  cp "$W"/model/*.safetensors "$OUT/" 2>/dev/null
  for f in train_log.jsonl results.json; do [ -f "$W/$f" ] && cp "$W/$f" "$OUT/"; done
  files=""
  for f in model/config.json model/model.safetensors.index.json model/tokenizer.json results.json state.json \
           train_log.jsonl pipeline.log prep.json default-model-reference.json; do
    [ -f "$W/$f" ] && files="$files $f"
  done
  [ -n "$files" ] && tar czf "$OUT/bundle.tar.gz" -C "$W" $files
  ls -la "$OUT"
  ;;
eval-gpu)
  [ -n "${OUT:-}" ] || { echo "OUT is not set"; exit 1; }
  model=${2:-$W/model}
  if [ ! -f dist/cli.js ]; then echo "eval-gpu: dist/cli.js is missing (npm run build here, carry dist/ and node_modules/)"; exit 2; fi
  if ! node dist/cli.js eval --help >/dev/null 2>&1; then echo "eval-gpu: this build's CLI has no 'eval' command"; exit 2; fi
  timeout ${EVAL_TIMEOUT:-540} node dist/cli.js eval --model "$model" --json "$OUT/eval.json" ${EVAL_ARGS:-} 2>&1 | tail -n 40
  ;;
*)
  echo "usage: $0 start|wait SECONDS|collect|eval-gpu [MODEL_DIR]"; exit 2
  ;;
esac
