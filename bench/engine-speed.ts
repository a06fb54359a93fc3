// Prefill and decode speed of the engine on one model; prints one JSON line per measurement.
// usage: node out/bench/engine-speed.js [--model DIR | --shape samba-421m|transformer-421m]
//        [--backend gpu|cpu] [--weights f16|f32] [--lengths 1024,4096] [--decode-context 1024] [--decode-tokens 32]
import { parseArgs } from 'node:util';
import { loadModel } from '../src/model/load';
import { createEngine, type Backend } from '../src/engine/create';
import { argmax } from '../src/engine/sampling';
import { randomModel } from './random-model';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      shape: { type: 'string' },
      backend: { type: 'string', default: 'gpu' },
      weights: { type: 'string', default: 'f16' },
      lengths: { type: 'string', default: '1024,4096' },
      'decode-context': { type: 'string', default: '1024' },
      'decode-tokens': { type: 'string', default: '32' },
    },
  });
  const model = values.model ? await loadModel(values.model) : randomModel(values.shape ?? 'samba-421m');
  const engine = await createEngine(model, { backend: values.backend as Backend, weights: values.weights as 'f16' | 'f32' });
  const V = model.config.vocabSize;
  const tokens = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919 + 13) % V);
  const base = { model: values.model ?? values.shape ?? 'samba-421m', backend: engine.backend, device: engine.deviceName, weights: values.weights };
  const lengths = values.lengths!.split(',').map(Number);
  const capacity = Math.max(...lengths, Number(values['decode-context']) + Number(values['decode-tokens']));
  await engine.prefill(tokens(16), engine.newState({ capacity })); // warm-up: pipelines and buffers
  for (const n of lengths) {
    const state = engine.newState({ capacity });
    const t0 = performance.now();
    await engine.prefill(tokens(n), state);
    const s = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ ...base, kind: 'prefill', tokens: n, seconds: +s.toFixed(4), tokensPerS: Math.round(n / s) }));
  }
  const ctx = Number(values['decode-context']), m = Number(values['decode-tokens']);
  const state = engine.newState({ capacity });
  let logits = await engine.prefill(tokens(ctx), state);
  const t0 = performance.now();
  for (let i = 0; i < m; i++) logits = await engine.step(argmax(logits), state);
  const s = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ ...base, kind: 'decode', context: ctx, tokens: m, seconds: +s.toFixed(4), tokensPerS: +(m / s).toFixed(1) }));
  engine.dispose();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
