// Parity of the engines against the PyTorch fixtures, as figures: max |logit difference| per fixture,
// backend and weight storage. Bundled to dist/parity.js so it runs anywhere Node and Dawn do (the H100 too).
// usage: node dist/parity.js [fixtures dir]
import * as path from 'node:path';
import { readReference } from '../test/helpers/fixtures';
import { loadModel } from '../src/model/load';
import { createEngine } from '../src/backend/create';
import { argmax } from '../src/engine/sampling';
import { createGpuEngine } from '../src/gpu/engine';
import { promptVsPerToken } from './prompt-check';
import { cliArgs } from '../src/cli-args';

const USAGE = 'usage: node dist/parity.js [fixtures dir]';

async function main(): Promise<void> {
  const { positionals } = cliArgs(USAGE, {}, process.argv.slice(2), true);
  if (positionals.length > 1) {
    process.stderr.write(`error: one fixtures folder at most, not ${positionals.length}\n${USAGE}\n`);
    process.exit(2);
  }
  const root = path.resolve(positionals[0] ?? 'test/fixtures');
  for (const name of ['samba-tiny', 'transformer-tiny', 'mamba-hf-tiny']) {
    const ref = readReference(name, root);
    const model = await loadModel(path.join(root, name));
    const V = model.config.vocabSize;
    // i8: int8 storage on the GPU; the CPU then runs int8's values (src/backend/create.ts).
    for (const [backend, weights] of [['cpu', 'f32'], ['gpu', 'f32'], ['gpu', 'f16'], ['cpu', 'i8'], ['gpu', 'i8']] as const) {
      const engine = await createEngine(model, { backend, weights });
      const logits = await engine.prefill(ref.tokens, engine.newState({ capacity: ref.tokens.length }), { allLogits: true });
      let maxDiff = 0, argmaxAgree = 0;
      ref.logits.forEach((row, t) => {
        row.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(logits[t * V + i] - v))));
        if (argmax(row) === argmax(logits.subarray(t * V, (t + 1) * V))) argmaxAgree++;
      });
      // The GPU's prompt matmul kernel (src/gpu/ops.ts pickMatmul), for the sgmat benches.
      const matmul = (engine as { matmul?: string }).matmul;
      console.log(JSON.stringify({ fixture: name, backend, weights, device: engine.deviceName, ...(matmul ? { matmul } : {}), positions: ref.tokens.length, maxAbsDiff: +maxDiff.toExponential(3), argmaxAgree }));
      engine.dispose();
    }
  }
  // Greedy decoding on the GPU (argmax fed back on the device) against the CPU reference's
  // greedy loop, 24 tokens after each fixture's prompt.
  for (const name of ['samba-tiny', 'transformer-tiny', 'mamba-hf-tiny']) {
    const ref = readReference(name, root);
    const model = await loadModel(path.join(root, name));
    const cpu = await createEngine(model, { backend: 'cpu' });
    const cs = cpu.newState({ capacity: ref.tokens.length + 32 });
    let l = await cpu.prefill(ref.tokens, cs);
    const want: number[] = [];
    for (let i = 0; i < 24; i++) {
      want.push(argmax(l));
      l = await cpu.step(want[i], cs);
    }
    const gpu = await createGpuEngine(model, { weights: 'f32' });
    const gs = gpu.newState({ capacity: ref.tokens.length + 32 });
    const first = argmax(await gpu.prefill(ref.tokens, gs));
    const got = [first, ...(await gpu.greedy(first, 23, gs))];
    const agree = got.findIndex((t, i) => t !== want[i]);
    console.log(JSON.stringify({ fixture: name, check: 'GPU greedy loop vs CPU greedy', device: gpu.deviceName, tokens: 24, sameUntil: agree < 0 ? 24 : agree }));
    await gpu.dispose();
    cpu.dispose();
  }
  // The prompt kernels against the per-token kernels, on a prompt longer than one 64-token tile.
  for (const name of ['samba-tiny', 'transformer-tiny']) {
    const model = await loadModel(path.join(root, name));
    for (const { chunk, maxAbsDiff } of await promptVsPerToken(model, (o) => createGpuEngine(model, o))) {
      console.log(JSON.stringify({ fixture: name, check: 'prompt kernels vs per-token kernels', chunk, positions: 150, maxAbsDiff: +maxAbsDiff.toExponential(3) }));
    }
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
