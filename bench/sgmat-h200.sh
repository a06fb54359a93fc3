#!/usr/bin/env bash
# The prompt matmul on subgroup matrices (kernels/matmul_sgmat.wgsl) on the GPU machine, in one
# call (about 3 minutes; every step guarded, a failing step prints its error and the rest go on),
# with the engine's defaults (subgroup matrices on where the adapter offers them; nothing to set):
#   1. each prompt matmul kernel alone on Samba-421M's matrices (2048-token chunk, f16 weights):
#      f32, and sgmat at each tile of $TILES (default: the engine's tiles, SGMAT_TILES in
#      src/gpu/ops.ts, best first), with its difference from f32 (pass/fail) and TFLOP/s
#      (bench/matmul-speed.ts);
#   2. Samba-421M prefill at 4K and 16K: f32 and sgmat at each tile of $TILES, one process, the
#      model built once; each with --ablate: the 16K prefill again with one kind of prompt kernel
#      skipped at a time (where the time goes);
#   3. parity against the PyTorch fixtures with the engine's own pick (no SAMBA_* settings);
#   4. the engine's pick's prefill with 4096-token chunks (the engine's default is 2048), if time
#      is left; its line names the kernel and tile the engine picked;
#   5. PyTorch eager bf16 prefill of Samba-421M at 4K and 16K, if time is left (the 2026-12-02
#      run measured 137K / 145K tokens/s);
# then summary.txt. Everything is packed into $OUT/sgmat.tar.gz (with summary.txt beside it).
# History: bench/results/2026-12-02-sgmat-v2 compared 16 variants (+direct: x and W by matrix
# loads straight from their buffers, 22-36 TFLOP/s, removed); 128x128/64x32/32+store+unroll won
# (109 TFLOP/s over the model's products, 16K prefill 72.7K tokens/s, 3.08x f32).
# Here: npm run build (dist/ holds the benches). Device call: carry [".device-lite", "dist",
# ".device-data"], command: bash bench/sgmat-h200.sh
set -uo pipefail
[ -e .device-carry ] || ln -s .device-lite .device-carry
source .device-carry/on-device.sh >/dev/null 2>&1
final=${OUT:-/tmp/out}; out=/tmp/sgmat; rm -rf "$out"; mkdir -p "$out" "$final"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "$out/machine.txt" 2>/dev/null
run() { local name=$1 limit=$2; shift 2; echo "== $name" >&2; local t0=$SECONDS; timeout "$limit" "$@" >> "$out/$name.jsonl" 2>> "$out/stderr.log"; echo "   rc=$? $((SECONDS - t0)) s, $(wc -l < "$out/$name.jsonl") lines" | tee -a "$out/steps.txt" >&2; }
unset SAMBA_GPU_SUBGROUP_MATRIX SAMBA_SGMAT_TILE SAMBA_MATMUL
# The tiles (test/gpu-sgmat.test.ts compiles each of this default list on Dawn's null backend).
TILES=${TILES:-128x128/64x32/32+store+unroll,64x64/32x32/32+store+unroll}

run matmul 100 node dist/matmul-speed.js --tokens 2048 --reps 10 --kernels f32,sgmat --tiles "$TILES"
run prefill 110 node dist/matmul-speed.js --no-products --prefill 4096,16384 --kernels f32,sgmat --tiles "$TILES" --ablate
[ $SECONDS -lt 215 ] && run parity-sgmat 30 node dist/parity.js test/fixtures
[ $SECONDS -lt 220 ] && run prefill-chunk4096 35 node dist/matmul-speed.js --no-products --prefill 4096,16384 --kernels sgmat --chunk 4096
[ $SECONDS -lt 200 ] && PYTHONUNBUFFERED=1 run torch 55 python3 training/bench_torch.py --models samba-421m --lengths 4096,16384 --decode-at "" --modes eager --budget-s 45

node - "$out" > "$out/summary.txt" 2>> "$out/stderr.log" <<'EOF'
const fs = require('fs');
const dir = process.argv[2];
const lines = (n) => (fs.existsSync(`${dir}/${n}.jsonl`) ? fs.readFileSync(`${dir}/${n}.jsonl`, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => { try { return JSON.parse(l); } catch { return {}; } }) : []);
const say = (s) => console.log(s);
say(`machine: ${fs.existsSync(`${dir}/machine.txt`) ? fs.readFileSync(`${dir}/machine.txt`, 'utf8').trim() : '?'}`);
say(`steps: ${fs.existsSync(`${dir}/steps.txt`) ? fs.readFileSync(`${dir}/steps.txt`, 'utf8').trim().split('\n').join('; ') : '?'}`);
for (const name of ['matmul']) {
  const all = lines(name);
  if (!all.length) continue;
  say(`\nmatrix products alone (2048 tokens, f16 weights), TFLOP/s (relative difference from f32, pass):`);
  for (const l of all.filter((l) => l.kind === 'device')) say(`  device: ${l.device}; subgroup matrices: ${l.subgroupMatrix}`);
  const mm = all.filter((l) => l.kind === 'matmul');
  for (const l of mm.filter((l) => !l.matrix)) say(`  ${l.kernel}: ${l.error}`);
  for (const m of [...new Set(mm.filter((l) => l.matrix).map((l) => l.matrix))]) {
    say(`  ${m}`);
    for (const l of mm.filter((l) => l.matrix === m)) say(`    ${l.kernel.padEnd(46)} ${l.error ? `ERROR ${l.error}` : `${String(l.TFLOPs).padStart(6)} (${l.relDiffVsLegacy}, ${l.pass ? 'pass' : 'FAIL'})`}`);
  }
  for (const l of all.filter((l) => l.kind === 'matmul-model')) say(`  whole model's products, ${l.kernel.padEnd(46)} ${l.failed ? `FAILED ${l.failed}` : `${l.TFLOPs} TFLOP/s, ${l.matmulTokensPerS} tokens/s if nothing else ran`}`);
}
const pre = [...lines('prefill'), ...lines('prefill-chunk4096').map((l) => ({ ...l, kernel: `${l.kernel} (chunk 4096)` }))].filter((l) => l.kind === 'prefill');
const flop = pre.find((l) => l.flopPerToken)?.flopPerToken ?? 0;
say(`\nSamba-421M prefill, tokens/s (achieved TFLOP/s of its ${(flop / 1e9).toFixed(3)} GFLOP of matrix products per token, over the whole prefill):`);
for (const k of [...new Set(pre.map((l) => l.kernel))]) {
  const r = pre.filter((l) => l.kernel === k);
  say(`  ${k.padEnd(46)} ${r.map((l) => (l.error ? `ERROR ${l.error}` : `${l.tokens / 1024}K ${l.tokensPerS} (${l.TFLOPs})`)).join('   ')}${r[0]?.matmul ? `   [${r[0].matmul}]` : ''}`);
}
const cell = (k, n) => pre.find((l) => l.kernel === k && l.tokens === n && l.tokensPerS);
for (const k of [...new Set(pre.map((l) => l.kernel))].filter((k) => k !== 'f32')) for (const n of [4096, 16384]) {
  const a = cell('f32', n), b = cell(k, n);
  if (a && b) say(`  ${k} / f32 at ${n / 1024}K: ${(b.tokensPerS / a.tokensPerS).toFixed(2)}x${n === 16384 ? ` (target: 56000 tokens/s; ${b.tokensPerS >= 56000 ? 'met' : 'not met'})` : ''}`);
}
const torch = lines('torch').filter((l) => l.kind === 'prefill');
say(`  pytorch eager bf16: ${torch.map((l) => `${l.tokens / 1024}K ${Math.round(l.tokens_per_s ?? l.tokensPerS ?? l.tokens / l.seconds)}`).join('   ') || '-'}`);
const abl = lines('prefill').filter((l) => l.kind === 'ablate');
if (abl.length) say(`\nwhere the 16K prefill's time goes (the prefill again with one kind of prompt kernel skipped; ms it saves, share of the whole):`);
for (const k of [...new Set(abl.map((l) => l.kernel))]) {
  const r = abl.filter((l) => l.kernel === k);
  const all = r.find((l) => l.without === 'nothing');
  const parts = r.filter((l) => l.without !== 'nothing');
  const rest = all ? all.seconds - parts.reduce((s, l) => s + Math.max(0, l.saves), 0) : NaN;
  say(`  ${k.padEnd(46)} whole ${all ? (all.seconds * 1000).toFixed(0) : '?'} ms: ${parts.map((l) => `${l.without} ${(l.saves * 1000).toFixed(0)} (${(l.share * 100).toFixed(0)}%)`).join(', ')}, rest ${(rest * 1000).toFixed(0)} ms`);
}
say('\nparity against the PyTorch fixtures with the engine\'s own pick (max |logit diff|, gpu rows):');
for (const l of lines('parity-sgmat').filter((l) => l.backend === 'gpu' && l.maxAbsDiff !== undefined)) say(`  ${l.fixture} ${l.weights}: ${l.maxAbsDiff} (argmax ${l.argmaxAgree}/${l.positions})   [${l.matmul ?? '?'}]`);
EOF
cat "$out/summary.txt"
echo "--- stderr (last 30 lines)"; tail -30 "$out/stderr.log"
tar czf "$final/sgmat.tar.gz" -C "$out" .
cp "$out/summary.txt" "$final/" 2>/dev/null
true
