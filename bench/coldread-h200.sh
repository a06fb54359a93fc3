#!/usr/bin/env bash
# Issue 17's cold read (target: 250K tokens/s with the default model, linear from 64 to 4,096 files)
# before and after, side by side in one device call (about 3 minutes), with where the time goes:
# `workspace-speed.js`'s `cold` field (reading the folder apart from the pass, the host's wait for
# the GPU in the pass (readGpuWaitMs; after only), CPU time, the device calls per file) and a CPU profile of the
# pass at 4,096 files, summarized there (host functions by self time).
#
# Here, once: bash bench/coldread-h200.sh prepare [BASE]   (BASE: the commit to compare, default 0b0cbfa, before the pass's host work)
#   bundles BASE's engine with this bench (so both sides report the breakdown) into .coldread-before/,
#   and builds this tree (npm run build). The device needs Node in /tmp/dev-node (a call of its own
#   carrying .device-node, as for the other benches), then a call carrying
#   [".device-lite", "dist", ".coldread-before"] with the command: bash bench/coldread-h200.sh
# Results under $OUT: coldread-before.jsonl, coldread-after.jsonl (one JSON line per size and round),
# profile-4096.txt, machine.txt, stderr.log.
set -uo pipefail
if [ "${1:-}" = prepare ]; then
  set -e
  base=${2:-0b0cbfa}
  tmp=$(mktemp -d)
  git archive "$base" | tar -x -C "$tmp"
  cp bench/workspace-speed.ts "$tmp/bench/"
  ln -s "$PWD/node_modules" "$tmp/node_modules"
  (cd "$tmp" && node -e "require('esbuild').buildSync({entryPoints:['bench/workspace-speed.ts'],bundle:true,platform:'node',target:'node20',format:'cjs',external:['vscode','webgpu'],outfile:'dist/workspace-speed.js',logLevel:'warning'})")
  rm -rf .coldread-before && mkdir -p .coldread-before/dist
  cp "$tmp/dist/workspace-speed.js" .coldread-before/dist/ && cp -r "$tmp/kernels" "$tmp/package.json" .coldread-before/
  echo "$(git rev-parse --short "$base")" > .coldread-before/BASE
  rm -rf "$tmp"
  npm run build >/dev/null
  echo "before: $(cat .coldread-before/BASE) in .coldread-before/; after: dist/ of $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (uncommitted changes)')"
  exit 0
fi
# ARGS: workspace-speed.js's (default --backend gpu; add --warmup 16 to read 16 files first, apart).
# BEFORE_ARGS: the before side is this build with these arguments instead of .coldread-before (no
# prepare needed), e.g. BEFORE_ARGS="--backend gpu --no-stream": the folder read whole, then the pass.
# LOCAL=1: on this machine (Node and Dawn already here), e.g. LOCAL=1 ARGS="--backend gpu --shrink" SIZES=64,256 on lavapipe.
if [ -z "${LOCAL:-}" ]; then
  [ -d .device-carry ] || ln -s .device-lite .device-carry
  source .device-carry/on-device.sh >/dev/null 2>&1
fi
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
out=${OUT:-/tmp/out}; mkdir -p "$out"
SIZES=${SIZES:-64,256,1024,4096}
ARGS=${ARGS:---backend gpu}
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "$out/machine.txt" 2>/dev/null || echo "no nvidia-smi" > "$out/machine.txt"
echo "before: ${BEFORE_ARGS:-$(cat .coldread-before/BASE 2>/dev/null)}" >> "$out/machine.txt"
# Two rounds, alternating, so a warm-up or a noisy neighbour shows as a difference between rounds.
for round in 1 2; do
  for who in before after; do
    js=dist/workspace-speed.js; args=$ARGS
    if [ $who = before ]; then
      if [ -n "${BEFORE_ARGS:-}" ]; then args=$BEFORE_ARGS; else js=.coldread-before/dist/workspace-speed.js; fi
    fi
    t0=$SECONDS
    timeout "${TIMEOUT:-120}" node "$js" $args --sizes "$SIZES" --keystrokes 0 >> "$out/coldread-$who.jsonl" 2>> "$out/stderr.log"
    echo "round $round $who: rc=$? $((SECONDS - t0)) s" >&2
  done
done
# Where the host's time goes in the pass after the change, at the largest size (PROFILE=0: not).
[ "${PROFILE:-1}" = 0 ] && exit 0
big=${SIZES##*,}
rm -rf /tmp/coldread-prof
timeout "${TIMEOUT:-90}" node --cpu-prof --cpu-prof-dir=/tmp/coldread-prof dist/workspace-speed.js $ARGS --sizes "$big" --keystrokes 0 >> "$out/coldread-after-profiled.jsonl" 2>> "$out/stderr.log"
node - /tmp/coldread-prof > "$out/profile-$big.txt" 2>> "$out/stderr.log" <<'EOF'
// The main thread's profile (the largest file): self time by function, and inclusive time.
const fs = require('node:fs'), path = require('node:path');
const dir = process.argv[2];
const file = fs.readdirSync(dir).map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const self = new Map(), incl = new Map();
let total = 0;
p.samples.forEach((id, i) => {
  const dt = p.timeDeltas[i] ?? 0;
  total += dt;
  self.set(name(byId.get(id)), (self.get(name(byId.get(id))) ?? 0) + dt);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(byId.get(cur));
    if (!seen.has(k)) incl.set(k, (incl.get(k) ?? 0) + dt), seen.add(k);
  }
});
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, t]) => `${(t / 1000).toFixed(0).padStart(8)} ms  ${n}`).join('\n');
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled\n--- self\n${top(self, 40)}\n--- inclusive\n${top(incl, 60)}`);
EOF
cat "$out"/coldread-*.jsonl >&2
