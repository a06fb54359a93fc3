import * as assert from 'node:assert/strict';
import { loadModel } from '../src/model/load';
import { createGpuEngine } from '../src/gpu/engine';
import { createCpuEngine } from '../src/cpu/engine';
import { continueFrom } from '../src/engine/generate';
import type { Engine, EngineState } from '../src/engine/engine';
import { fixtureDir } from './helpers/fixtures';

async function tokens(engine: Engine, prompt: number[], state: EngineState, temperature: number): Promise<number[]> {
  const out: number[] = [];
  for await (const t of continueFrom(engine, await engine.prefill(prompt, state), state, { maxTokens: 16, temperature, seed: 7 })) out.push(t);
  return out;
}

describe('generation', function () {
  this.timeout(120_000);

  it('greedy on a GPU engine takes the argmax there (no logits read back) and gives the CPU reference\'s tokens', async () => {
    const model = await loadModel(fixtureDir('samba-tiny'));
    const prompt = Array.from({ length: 20 }, (_, i) => (i * 13 + 3) % model.config.vocabSize);
    const cpu = createCpuEngine(model);
    const want = await tokens(cpu, prompt, cpu.newState(), 0);
    const gpu = await createGpuEngine(model);
    try {
      let steps = 0;
      const step = gpu.step.bind(gpu);
      gpu.step = (t, s) => (steps++, step(t, s));
      const got = await tokens(gpu, prompt, gpu.newState(), 0);
      assert.deepEqual(got, want);
      assert.equal(steps, 0, 'greedy decoding read logits back');
      // Sampling needs the logits: it steps with them.
      await tokens(gpu, prompt, gpu.newState(), 0.8);
      assert.equal(steps, 15);
    } finally {
      await gpu.dispose();
    }
  });
});
