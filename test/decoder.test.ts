import * as assert from 'node:assert/strict';
import { loadModel } from '../src/model/load';
import { createGpuEngine } from '../src/gpu/engine';
import { createDecoder, decoderState } from '../src/backend/decoder';
import { argmax } from '../src/engine/sampling';
import { ModelSession } from '../src/worker/session';
import { fixtureDir, maxAbsDiffFlat } from './helpers/fixtures';

// On a software adapter (lavapipe, as on CI) prompts run on WebGPU and tokens are generated on
// the CPU reference; the state moves across once per request.
describe('CPU decoder for a software GPU adapter', function () {
  this.timeout(120_000);

  for (const name of ['transformer-tiny', 'mamba-hf-tiny'] as const) {
    it(`${name}: the moved state decodes like the GPU's own (logits of 12 greedy steps)`, async function () {
      const model = await loadModel(fixtureDir(name));
      const gpu = await createGpuEngine(model, { weights: 'f16' });
      try {
        const decoder = await createDecoder(gpu, model);
        if (!gpu.software) {
          assert.equal(decoder, undefined, 'a hardware adapter decodes itself');
          this.skip(); // nothing moves on a hardware adapter
        }
        assert.equal(decoder?.backend, 'cpu');
        const prompt = Array.from({ length: 30 }, (_, i) => (i * 37 + 5) % model.config.vocabSize);
        const state = gpu.newState();
        let ref = await gpu.prefill(prompt, state);
        const moved = await decoderState(gpu, decoder, state);
        let worst = 0;
        let next = argmax(ref);
        for (let i = 0; i < 12; i++) {
          const a = await gpu.step(next, state);
          const b = await decoder!.step(next, moved);
          worst = Math.max(worst, maxAbsDiffFlat(a, b));
          ref = a;
          next = argmax(a);
        }
        assert.ok(worst < 1e-3, `max |logit diff| ${worst}`);
        decoder!.release(moved);
        await decoder!.dispose();
      } finally {
        await gpu.dispose();
      }
    });
  }

  it('a session on a software adapter generates on the CPU, and completes as a CPU-only session does', async function () {
    const req = { path: 'src/a.ts', prefix: 'export function cube(x: number) {\n  return ', suffix: '\n}\n', maxTokens: 12, lineBudgetMs: 60_000, deadlineMs: 60_000 };
    const hybrid = new ModelSession();
    const cpu = new ModelSession();
    try {
      const s = await hybrid.load({ modelDir: fixtureDir('transformer-tiny'), backend: 'gpu' });
      await cpu.load({ modelDir: fixtureDir('transformer-tiny'), backend: 'cpu' });
      if (!s.deviceName.includes('llvmpipe')) this.skip(); // a hardware adapter decodes itself (tested above)
      assert.equal(s.backend, 'gpu');
      assert.match(s.decoder ?? '', /CPU/);
      const a = await hybrid.complete(req);
      const b = await cpu.complete(req);
      assert.ok(a.generated > 0);
      assert.equal(a.raw, b.raw);
    } finally {
      await hybrid.dispose();
      await cpu.dispose();
    }
  });
});
