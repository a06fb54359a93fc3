#!/usr/bin/env bash
# Prompt matrix products on the GPU machine, in one call (about 3-4 minutes, under 300 s):
#   1. what Dawn offers there (shader-f16, subgroups, subgroup matrices) with and without toggles;
#   2. each prompt matmul kernel alone on Samba-421M's matrices (2048-token chunk): TFLOP/s;
#   3. Samba-421M prefill at 4K and 16K, before (legacy: kernels/linear_tiled.wgsl) and after
#      (f32: kernels/matmul_f32.wgsl; f16: kernels/matmul_f16.wgsl, the engine's pick where the
#      device has shader-f16), one process, the model built once; the default model likewise;
#   4. parity against the PyTorch fixtures with the engine's own pick (f16 arithmetic where the
#      device has shader-f16) and with f32;
#   5. PyTorch eager (bf16) prefill of Samba-421M at 4K and 16K on the same GPU;
# then a summary table. Everything lands in $OUT (JSON lines per step, summary.txt, stderr.log).
# Build here first (npm run build; bash ../shared/device/prepare.sh), then in the device call:
#   carry: [".device-carry", "dist"]      command: bash bench/matmul-h200.sh
set -uo pipefail
source .device-carry/on-device.sh >/dev/null 2>&1
out=${OUT:-/tmp/out}; mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "$out/machine.txt" 2>/dev/null
run() { local name=$1 limit=$2; shift 2; echo "== $name" >&2; local t0=$SECONDS; timeout "$limit" "$@" >> "$out/$name.jsonl" 2>> "$out/stderr.log"; echo "   rc=$? $((SECONDS - t0)) s, $(wc -l < "$out/$name.jsonl") lines" >&2; }

run features 20 node dist/adapter-features.js
# The products alone; then Samba-421M (random weights, built once) prefilled by each kernel in one process.
run matmul 40 node dist/matmul-speed.js --tokens 2048 --reps 20
run prefill 100 node dist/matmul-speed.js --no-products --prefill 4096,16384
run default 25 node dist/matmul-speed.js --no-products --prefill 4096,16384 --model models/default
run parity-auto 30 node dist/parity.js test/fixtures
SAMBA_MATMUL=f32 run parity-f32 20 node dist/parity.js test/fixtures
PYTHONUNBUFFERED=1 run torch 55 python3 training/bench_torch.py --models samba-421m --lengths 4096,16384 --decode-at "" --modes eager --budget-s 45

node - "$out" > "$out/summary.txt" <<'EOF'
const fs = require('fs');
const dir = process.argv[2];
const lines = (n) => (fs.existsSync(`${dir}/${n}.jsonl`) ? fs.readFileSync(`${dir}/${n}.jsonl`, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)) : []);
const say = (s) => console.log(s);
say(`machine: ${fs.existsSync(`${dir}/machine.txt`) ? fs.readFileSync(`${dir}/machine.txt`, 'utf8').trim() : '?'}`);
for (const f of lines('features')) say(`toggles [${f.toggles}]: shader-f16 ${JSON.stringify(f.request?.['shader-f16'])}, subgroups ${JSON.stringify(f.request?.subgroups)}, subgroup matrices ${JSON.stringify(f.subgroupMatrixConfigs)}`);
const model = lines('matmul').filter((l) => l.kind === 'matmul-model');
const flop = model[0]?.flopPerToken ?? lines('prefill')[0]?.flopPerToken ?? 0;
say('\nmatrix products alone (2048 tokens), TFLOP/s per kernel (f32 peak of an H200 about 67):');
const mm = lines('matmul').filter((l) => l.kind === 'matmul');
for (const m of [...new Set(mm.map((l) => l.matrix))]) say(`  ${m.padEnd(32)} ${mm.filter((l) => l.matrix === m).map((l) => `${l.kernel} ${l.TFLOPs} (diff ${l.relDiffVsLegacy})`).join(' | ')}`);
for (const l of model) say(`  whole model's products, ${l.kernel}: ${l.TFLOPs} TFLOP/s, ${l.matmulTokensPerS} tokens/s if nothing else ran`);
say(`\nSamba-421M prefill, tokens/s (achieved TFLOP/s of its ${(flop / 1e9).toFixed(3)} GFLOP of matrix products per token, over the whole prefill):`);
const pre = (name) => lines(name).filter((l) => l.kind === 'prefill');
const cell = (name, k, n) => pre(name).find((l) => l.kernel === k && l.tokens === n);
for (const k of ['legacy', 'f32', 'f16']) {
  const cells = [4096, 16384].map((n) => cell('prefill', k, n)).map((l) => (l ? `${l.tokensPerS} (${l.TFLOPs})` : '-'));
  if (cells.some((c) => c !== '-')) say(`  ${k.padEnd(7)} 4K ${cells[0]}   16K ${cells[1]}`);
}
const torch = lines('torch').filter((l) => l.kind === 'prefill');
say(`  pytorch eager bf16: ${torch.map((l) => `${l.tokens / 1024}K ${Math.round(l.tokens_per_s ?? l.tokensPerS ?? l.tokens / l.seconds)}`).join('   ') || '-'}`);
for (const k of ['f32', 'f16']) for (const n of [4096, 16384]) {
  const a = cell('prefill', 'legacy', n), b = cell('prefill', k, n);
  if (a && b) say(`  ${k} / legacy at ${n / 1024}K: ${(b.tokensPerS / a.tokensPerS).toFixed(2)}x`);
}
say('\ndefault model prefill, tokens/s:');
for (const k of ['legacy', 'f32', 'f16']) {
  const r = pre('default').filter((l) => l.kernel === k);
  if (r.length) say(`  ${k.padEnd(7)} ${r.map((l) => `${l.tokens / 1024}K ${l.tokensPerS}`).join('   ')}`);
}
say('\nparity against the PyTorch fixtures (max |logit diff|, gpu rows):');
for (const k of ['auto', 'f32']) for (const l of lines(`parity-${k}`).filter((l) => l.backend === 'gpu' && l.maxAbsDiff !== undefined)) say(`  ${k.padEnd(5)} ${l.fixture} ${l.weights}: ${l.maxAbsDiff} (argmax ${l.argmaxAgree}/${l.positions})`);
EOF
cat "$out/summary.txt"
tail -20 "$out/stderr.log" >&2
