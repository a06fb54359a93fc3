// Prefill and decode speed of the engine on one model; prints one JSON line per measurement.
// usage: node dist/engine-speed.js [--model DIR | --shape samba-421m|transformer-421m]
//        [--backend gpu|cpu] [--weights f16|f32|i8] [--lengths 1024,4096,16384,65536]
//        [--decode-at 1024,16384,65536] [--decode-tokens 32] [--chunk N]
// Each prefill of a length in --decode-at is followed, from the same state, by decoding:
// "decode" (logits read back every token, argmax on the host), "decode-argmax" (argmax on the
// GPU, 4 bytes read back) and, on the GPU, "decode-gpu" (greedy loop on the GPU, one read-back).
// Each line carries the memory the state holds at that length (KV cache or recurrent state).
import { cliArgs } from '../src/cli-args';
import { loadModel } from '../src/model/load';
import { createEngine, type Backend } from '../src/backend/create';
import { argmax } from '../src/engine/sampling';
import { createGpuEngine, type GpuEngine } from '../src/gpu/engine';
import { stateBytes } from '../src/engine/state';
import { randomModel, SHAPES } from './random-model';
import { hostTimer } from './host-timer';
import { gpuMemory } from '../src/gpu/memory';


const USAGE = `usage: node dist/engine-speed.js [--model DIR | --shape samba-421m|transformer-421m]
       [--backend gpu|cpu] [--weights f16|f32|i8] [--lengths 1024,4096,16384,65536]
       [--decode-at 1024,16384,65536] [--decode-tokens 32] [--chunk N]`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    model: { type: 'string' },
    shape: { type: 'string', choices: Object.keys(SHAPES) },
    backend: { type: 'string', default: 'gpu', choices: ['gpu', 'cpu'] },
    weights: { type: 'string', default: 'f16', choices: ['f16', 'f32', 'i8'] },
    lengths: { type: 'ints', default: [1024, 4096], min: 1, max: 1 << 20 },
    'decode-at': { type: 'ints', default: [1024], min: 1, max: 1 << 20 },
    'decode-tokens': { type: 'int', default: 32, min: 1, max: 1 << 16 },
    chunk: { type: 'int', min: 1, max: 1 << 16 },
  });
  const model = values.model ? await loadModel(values.model) : randomModel(values.shape ?? 'samba-421m');
  const weights = values.weights as 'f16' | 'f32' | 'i8';
  const engine =
    values.backend === 'gpu'
      ? await createGpuEngine(model, { weights, ...(values.chunk ? { chunk: Number(values.chunk) } : {}) })
      : await createEngine(model, { backend: values.backend as Backend, weights });
  const c = model.config;
  const V = c.vocabSize;
  const tokens = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919 + 13) % V);
  // GPU bytes once loaded: the weights and the activation buffers (no state yet).
  const loadedBytes = engine.backend === 'gpu' ? gpuMemory((engine as GpuEngine).gpuDevice).liveBytes : undefined;
  const base = { model: values.model ?? values.shape ?? 'samba-421m', backend: engine.backend, device: engine.deviceName, weights: values.weights, loadedBytes };
  const lengths = [...values.lengths];
  const decodeAt = new Set(values['decode-at']);
  for (const n of decodeAt) if (!lengths.includes(n)) lengths.push(n);
  lengths.sort((a, b) => a - b);
  const m = Number(values['decode-tokens']);
  // Warm-up: pipelines, buffers, both prefill and decode paths.
  {
    const s = engine.newState({ capacity: 4096 });
    let l = await engine.prefill(tokens(300), s);
    for (let i = 0; i < 4; i++) l = await engine.step(argmax(l), s);
    engine.release(s);
  }
  for (const n of lengths) {
    const capacity = n + 5 * m + 8;
    const state = engine.newState({ capacity });
    const mem = { stateBytes: stateBytes(c, capacity) };
    const t0 = performance.now();
    let logits = await engine.prefill(tokens(n), state);
    const s = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ ...base, kind: 'prefill', tokens: n, seconds: +s.toFixed(4), tokensPerS: Math.round(n / s), ...mem }));
    if (!decodeAt.has(n)) {
      engine.release(state);
      continue;
    }
    let t1 = performance.now();
    let tok = argmax(logits);
    for (let i = 0; i < m; i++) logits = await engine.step((tok = argmax(logits)), state);
    let d = (performance.now() - t1) / 1000;
    console.log(JSON.stringify({ ...base, kind: 'decode', context: n, tokens: m, seconds: +d.toFixed(4), tokensPerS: +(m / d).toFixed(1), ...mem }));
    if (engine.backend === 'gpu') {
      const g = engine as GpuEngine;
      tok = argmax(logits);
      t1 = performance.now();
      for (let i = 0; i < m; i++) tok = await g.stepArgmax(tok, state);
      d = (performance.now() - t1) / 1000;
      console.log(JSON.stringify({ ...base, kind: 'decode-argmax', context: n + m, tokens: m, seconds: +d.toFixed(4), tokensPerS: +(m / d).toFixed(1), ...mem }));
      // Three greedy runs (the host side is noisy on a shared machine): the median, and all three.
      const runs: { s: number; hostMs: number }[] = [];
      for (let r = 0; r < 3; r++) {
        const host = hostTimer(g);
        t1 = performance.now();
        await g.greedy(tok, m, state);
        runs.push({ s: (performance.now() - t1) / 1000, hostMs: host.stop() });
      }
      const med = [...runs].sort((a, b) => a.s - b.s)[1];
      console.log(JSON.stringify({ ...base, kind: 'decode-gpu', context: n + 2 * m, tokens: m, seconds: +med.s.toFixed(4), tokensPerS: +(m / med.s).toFixed(1), hostMsPerToken: +(med.hostMs / m).toFixed(3), runsTokensPerS: runs.map((x) => +(m / x.s).toFixed(1)), ...mem }));
    }
    engine.release(state);
  }
  engine.dispose();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
