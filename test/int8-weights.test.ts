import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ModelWorkerClient } from '../src/worker/client';
import { loadModel } from '../src/model/load';
import type { Model, Tensor } from '../src/model/weights';
import { createGpuEngine } from '../src/gpu/engine';
import { createCpuEngine } from '../src/cpu/engine';
import { GROUP, int8Model, int8Values, quantizeRow } from '../src/model/quantize';
import { floatToHalf } from '../src/gpu/tensor';
import { halfToFloat } from '../src/model/safetensors';
import { FIXTURES } from './helpers/fixtures';
import { randomModelOf } from '../bench/random-model';
import { maxDiff } from './helpers/workspace';

/** The values a tensor stored as f16 is read back as. */
function f16Values(t: Tensor): Tensor {
  return { ...t, data: t.data.map((x) => halfToFloat(floatToHalf(x))) };
}

/** What the GPU engine computes with in "i8" mode: int8 matrices, the embedding and dt_proj in f16. */
function asStoredI8(model: Model): Model {
  const q = int8Model(model);
  const w = q.weights;
  const embed = f16Values(w.embed);
  const blocks = w.blocks.map((b) => (b.mixer.kind === 'mamba' ? { ...b, mixer: { kind: 'mamba' as const, mamba: { ...b.mixer.mamba, dtProj: f16Values(b.mixer.mamba.dtProj) } } } : b));
  return { ...q, weights: { ...w, embed, lmHead: w.lmHead === w.embed ? embed : w.lmHead, blocks } };
}

describe('int8 weights', function () {
  this.timeout(120_000);

  it('quantizes a row in groups of 32 with one scale each, padding with zeros', () => {
    const cols = 40;
    const row = Float32Array.from({ length: cols }, (_, k) => (k === 3 ? -2.54 : k === 35 ? 0.5 : (k % 7) * 0.01));
    const q = new Int8Array(64);
    const scales = new Float32Array(2);
    quantizeRow(row, cols, q, scales);
    assert.equal(scales[0], Math.fround(2.54 / 127));
    assert.equal(q[3], -127);
    assert.equal(scales[1], Math.fround(0.5 / 127));
    assert.equal(q[35], 127);
    assert.deepEqual([...q.subarray(cols)], new Array(64 - cols).fill(0));
    const back = int8Values({ name: 'w', shape: [1, cols], data: row, sourceDtype: 'F32' }).data;
    for (let k = 0; k < cols; k++) assert.ok(Math.abs(back[k] - row[k]) <= scales[Math.floor(k / GROUP)] / 2 + 1e-7, `element ${k}`);
  });

  // The GPU's int8 kernels (decoding matvec and prompt tiles) against the CPU reference run on the
  // values int8 storage reads back: the same arithmetic up to the order of sums.
  for (const name of ['samba-tiny', 'transformer-tiny', 'mamba-hf-tiny']) {
    it(`${name}: the GPU with int8 weights gives the CPU reference's logits on the values it stores`, async () => {
      const model = await loadModel(path.join(FIXTURES, name));
      const cpu = await createCpuEngine(asStoredI8(model));
      const gpu = await createGpuEngine(model, { weights: 'i8' });
      try {
        const tokens = [1, 5, 9, 2, 7, 3, 11, 4, 8, 6, 10, 12];
        const sc = cpu.newState(), sg = gpu.newState();
        // A prompt (tiled kernels), then tokens one by one (matvec).
        const [lc, lg] = [await cpu.prefill(tokens.slice(0, 8), sc), await gpu.prefill(tokens.slice(0, 8), sg)];
        let worst = maxDiff(lc, lg);
        for (const t of tokens.slice(8)) worst = Math.max(worst, maxDiff(await cpu.prefill([t], sc), await gpu.prefill([t], sg)));
        assert.ok(worst < 2e-5, `max |diff| ${worst}`);
      } finally {
        await gpu.dispose();
        await cpu.dispose();
      }
    });
  }

  it('covers rows that are not whole groups and several lane widths (a random 96-wide model)', async () => {
    const model = randomModelOf({ model_type: 'samba', hidden_size: 96, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 24, intermediate_size: 80, sliding_window: 16, vocab_size: 70, time_step_rank: 5 });
    const cpu = await createCpuEngine(asStoredI8(model));
    const gpu = await createGpuEngine(model, { weights: 'i8', matvecGroups: 64 });
    try {
      const sc = cpu.newState(), sg = gpu.newState();
      let worst = maxDiff(await cpu.prefill([3, 1, 4, 1, 5, 9, 2, 6], sc), await gpu.prefill([3, 1, 4, 1, 5, 9, 2, 6], sg));
      for (const t of [5, 3, 5]) worst = Math.max(worst, maxDiff(await cpu.prefill([t], sc), await gpu.prefill([t], sg)));
      assert.ok(worst < 2e-5, `max |diff| ${worst}`);
    } finally {
      await gpu.dispose();
      await cpu.dispose();
    }
  });
});

describe('int8 weights in the model worker (samba.engine.weights)', function () {
  this.timeout(120_000);
  it('loads with int8, completes, and keeps its saved states apart from f16 ones', async () => {
    const storageDir = mkdtempSync(path.join(tmpdir(), 'samba-i8-'));
    const root = mkdtempSync(path.join(tmpdir(), 'samba-i8-ws-'));
    writeFileSync(path.join(root, 'a.ts'), 'export const a = 1;\n'.repeat(30));
    const files = async (weights: 'f16' | 'int8') => {
      const client = new ModelWorkerClient();
      try {
        await client.request('load', { modelDir: path.join(FIXTURES, 'samba-tiny'), backend: 'auto', weights, storageDir });
        await client.request('open', { root, filter: {}, budgetTokens: 0 });
        const r = await client.request('complete', { path: 'b.ts', prefix: 'export const b = ', suffix: '\n', maxTokens: 4, lineBudgetMs: 10_000, deadlineMs: 10_000 });
        assert.ok(r.generated > 0);
      } finally {
        await client.terminate();
      }
      return new Set(readdirSync(storageDir, { recursive: true }) as string[]);
    };
    const sst = (names: Set<string>) => [...names].filter((n) => n.endsWith('.sst'));
    const f16 = sst(await files('f16'));
    const i8 = sst(await files('int8'));
    assert.equal(f16.length, 1);
    assert.equal(i8.length, 1);
    assert.notEqual(i8[0], f16[0], 'int8 states are saved under their own key');
  });
});
