import * as assert from 'node:assert/strict';
import { acquireGpu, type GpuContext } from '../src/gpu/device';
import { PipelineCache, type WeightDtype } from '../src/gpu/kernels';
import { Ops, pickMatmul, type MatmulKernel } from '../src/gpu/ops';
import { Recorder } from '../src/gpu/recorder';
import { createBuffer, readFloats } from '../src/gpu/tensor';
import { parseConfig } from '../src/model/config';
import { SambaError } from '../src/model/errors';
import { matmulCase } from './helpers/matmul-case';
import { randomModelOf, SHAPES } from '../bench/random-model';
import { createCpuEngine } from '../src/cpu/engine';
import { createGpuEngine } from '../src/gpu/engine';

// The prompt matrix product (Ops.linear with more than 4 tokens) by each kernel, against a plain
// matrix product on the host of the weights as stored (f32, f16, int8). Runs on lavapipe: tiny
// shapes, but each crosses the kernels' tile edges (tokens and rows past 128, inputs not a
// multiple of the 16-input step, several row blocks, x rows with a stride and an offset).

type Case = { label: string; rows: number; cols: number; T: number; xStride?: number; xOff?: number; accumulate?: boolean; bias?: boolean; dtype: WeightDtype; maxBinding?: number; kernel: string };

// `kernel`: the pipeline that must run (the f32/f16 kernels need whole vec4s of x, else linear_tiled).
const CASES: Case[] = [
  { label: '200x100, 150 tokens, f32 weights, bias', rows: 200, cols: 100, T: 150, bias: true, dtype: 'f32', kernel: 'matmul' },
  { label: '130x20 (dt_proj-like: x stride 44), 37 tokens, f16 weights, accumulate', rows: 130, cols: 20, T: 37, xStride: 44, accumulate: true, dtype: 'f16', kernel: 'matmul' },
  { label: '96x64 (x offset 8, stride 80), 129 tokens, int8 weights, bias + accumulate', rows: 96, cols: 64, T: 129, xStride: 80, xOff: 8, accumulate: true, bias: true, dtype: 'i8', kernel: 'matmul' },
  { label: '300x48 in row blocks of 64, 140 tokens, f16 weights', rows: 300, cols: 48, T: 140, dtype: 'f16', maxBinding: 64 * 24 * 4, kernel: 'matmul' },
  { label: '70x30 (x stride 30: no vec4s), 20 tokens, f16 weights', rows: 70, cols: 30, T: 20, xStride: 30, dtype: 'f16', kernel: 'linear_tiled' },
];

describe('prompt matmul kernels', function () {
  let ctx: GpuContext;
  before(async () => {
    ctx = await acquireGpu();
  });
  after(() => ctx?.device.destroy());

  // Every kernel that can run here: f16 arithmetic only where the adapter has shader-f16 (lavapipe does).
  const kernels = (): MatmulKernel[] => ['legacy', 'f32', ...(ctx.f16 ? (['f16'] as const) : [])];

  for (const cs of CASES) {
    it(`${cs.label}: every kernel matches the host product`, async () => {
      const { device } = ctx;
      const c = parseConfig(SHAPES['samba-421m'], 'samba-421m') // only its scan sizes are read by Ops;
      const { rows, T } = cs;
      const { W, x, bias, y0, want, scale, xStride, xOff } = matmulCase(device, cs, ctx.maxBinding);
      if (cs.maxBinding) assert.ok(W.blocks.length > 1, 'the case must split W into row blocks');
      for (const kernel of kernels()) {
        const rec = new Recorder(device);
        const pipes = new PipelineCache(device, 'f32');
        const used: string[] = [];
        const get = pipes.get.bind(pipes);
        pipes.get = (name, consts, d) => (used.push(name), get(name, consts, d));
        const spare = { dummy: createBuffer(device, 16, 'dummy'), scratchA: createBuffer(device, 16, 'a'), scratchB: createBuffer(device, 16, 'b') };
        const ops = new Ops(rec, pipes, c, spare, { minGroups: 1, maxGroups: 4, workgroup: 256, inputVec4s: 64 }, 64, device.limits, kernel);
        const y = createBuffer(device, T * rows * 4, 'y');
        device.queue.writeBuffer(y, 0, y0);
        used.length = 0;
        ops.linear(W, x, y, T, { xStride, xOff, accumulate: cs.accumulate, bias });
        rec.submit();
        const got = await readFloats(device, y, T * rows);
        let d = 0;
        for (let i = 0; i < got.length; i++) d = Math.max(d, Math.abs(got[i] - want[i]) || (Number.isNaN(got[i]) ? Infinity : 0));
        // f32 arithmetic: float rounding only; f16 arithmetic: inputs rounded to f16 and 16-term
        // partial sums in f16 (about 1e-3 of the output's scale).
        const tol = kernel === 'f16' ? 1e-2 * scale : 1e-5 * Math.max(1, scale);
        const ran = used.filter((n) => n === 'linear_tiled' || n.startsWith('matmul_'));
        const expect = cs.kernel === 'linear_tiled' || kernel === 'legacy' ? 'linear_tiled' : `matmul_${kernel}`;
        console.log(`      ${kernel}: ran ${ran.join(',')}, max |diff| ${d.toExponential(2)} (outputs up to ${scale.toFixed(2)})`);
        assert.deepEqual([...new Set(ran)], [expect]);
        assert.ok(d <= tol, `${kernel}: max diff ${d} above ${tol}`);
        rec.dispose();
        [y, spare.dummy, spare.scratchA, spare.scratchB].forEach((b) => b.destroy());
      }
      W.blocks.forEach((b) => (b.buffer.destroy(), b.scales?.destroy()));
      x.destroy();
      bias?.buffer.destroy();
    });
  }

  it('the engine prefills like the CPU reference with the f32 kernel, and within f16 rounding with the f16 kernel', async function () {
    // Widths multiples of 4 (the new kernels run) except dt_proj's x stride (6 + 2 * 12 = 30: linear_tiled).
    const model = randomModelOf({ model_type: 'samba', hidden_size: 100, intermediate_size: 200, num_hidden_layers: 2, num_attention_heads: 5, num_key_value_heads: 1, head_dim: 20, sliding_window: 64, state_size: 12, time_step_rank: 6 });
    const V = model.config.vocabSize;
    const tokens = Array.from({ length: 150 }, (_, i) => (i * 37 + 11) % V);
    const cpu = createCpuEngine(model);
    const want = await cpu.prefill(tokens, cpu.newState({ capacity: 256 }), { allLogits: true });
    let scale = 0;
    for (const v of want) scale = Math.max(scale, Math.abs(v));
    for (const matmul of kernels()) {
      const e = await createGpuEngine(model, { matmul, chunk: 150 });
      const got = await e.prefill(tokens, e.newState({ capacity: 256 }), { allLogits: true });
      e.dispose();
      let d = 0;
      for (let i = 0; i < got.length; i++) d = Math.max(d, Math.abs(got[i] - want[i]) || (Number.isNaN(got[i]) ? Infinity : 0));
      console.log(`      ${matmul}: max |diff| ${d.toExponential(2)} (logits up to ${scale.toFixed(2)})`);
      assert.ok(d <= (matmul === 'f16' ? 1e-2 : 1e-4) * Math.max(1, scale), `${matmul}: max diff ${d}`);
    }
  });

  it('picks f16 arithmetic only on a GPU with shader-f16, f32 where its workgroup memory fits, and names the setting when asked for what cannot run', () => {
    const saved = process.env.SAMBA_MATMUL;
    delete process.env.SAMBA_MATMUL;
    try {
      const KiB = 1024;
      assert.equal(pickMatmul(undefined, false, true, 48 * KiB), 'f16');
      assert.equal(pickMatmul(undefined, false, false, 48 * KiB), 'f32');
      assert.equal(pickMatmul(undefined, true, true, 32 * KiB), 'f32');
      // WebGPU's guaranteed minimum, 16 KiB: the f32 kernel's double buffers do not fit.
      assert.equal(pickMatmul(undefined, true, true, 16 * KiB), 'legacy');
      assert.equal(pickMatmul('legacy', false, true, 48 * KiB), 'legacy');
      assert.throws(() => pickMatmul('f16', false, false, 48 * KiB), (e: unknown) => e instanceof SambaError && /shader-f16.*"f32"/.test(e.message));
      assert.throws(() => pickMatmul('f32', false, false, 16 * KiB), (e: unknown) => e instanceof SambaError && /32768 bytes of workgroup memory, above this GPU's 16384/.test(e.message));
      process.env.SAMBA_MATMUL = 'f64';
      assert.throws(() => pickMatmul(undefined, false, true, 48 * KiB), (e: unknown) => e instanceof SambaError && /"f64".*SAMBA_MATMUL.*legacy, f32, f16/.test(e.message));
      process.env.SAMBA_MATMUL = 'legacy';
      assert.equal(pickMatmul(undefined, false, true, 48 * KiB), 'legacy');
    } finally {
      if (saved === undefined) delete process.env.SAMBA_MATMUL;
      else process.env.SAMBA_MATMUL = saved;
    }
  });
});
