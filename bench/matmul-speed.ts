// The prompt matrix products alone (Ops.linear for a prefill chunk, as the engine records them),
// on Samba-421M's matrices with f16 weights, for each prompt matmul kernel the device can run
// (legacy linear_tiled, matmul_f32, matmul_f16 where the device has shader-f16). Per matrix: GPU
// time per dispatch (reps dispatches in one pass, best of five passes after warming the clocks),
// achieved TFLOP/s (2 * T * rows * cols per product), and the largest difference from the legacy
// kernel's output relative to its largest value. Then per kernel a "model" line: the matrix
// products of one token of Samba-421M (6 Mamba + 6 attention layers, 12 MLPs, no LM head), their
// time per token at this chunk, and the achieved rate over them. With --prefill, then the
// engine's prefill of one prompt of each length per kernel, as engine-speed.js measures it, on one
// model built once (--model DIR, else random Samba-421M weights, f16 storage), with the
// achieved rate of its matrix products over the whole prefill. One JSON line each.
// Subgroup matrices (sgmat, kernels/matmul_sgmat.wgsl) where the device has them (unless
// SAMBA_GPU_SUBGROUP_MATRIX=0): at the engine's tile (kernel "sgmat"), or once per tile of --tiles
// ("TMxTN/WMxWN/TK" with options +store, +unroll, see SGMAT_TILES in src/gpu/ops.ts): kernel
// "sgmat:TILE". A kernel that does
// not compile or errs prints an "error" line and the rest go on. Each product line says whether it
// passed (difference from legacy within 1e-5 for f32 arithmetic, 1e-2 for f16 inputs).
// With --ablate, where the prefill's time goes: after each kernel's prefills, the longest prompt
// again with one kind of prompt kernel skipped at a time (products, norms + SwiGLU, conv, scan,
// attention with RoPE and the KV writes, embedding), best of two each; the time a kind saves is
// its share (the outputs are garbage then, the work of the rest is not data-dependent); what no
// kind saves is the copies, the LM head, and the host's recording and waiting.
// --chunk sets the engine's prefill chunk (tokens per forward; the engine's default 2048).
// usage: node dist/matmul-speed.js [--tokens 2048] [--reps 20] [--kernels legacy,f32,f16,sgmat]
//        [--tiles 128x128/64x32/32+store+unroll,...] [--prefill 4096,16384] [--model DIR] [--no-products]
//        [--ablate] [--chunk 2048]
import { cliArgs } from '../src/cli-args';
import { parseConfig } from '../src/model/config';
import { acquireGpu, type GpuContext } from '../src/gpu/device';
import { createGpuEngine } from '../src/gpu/engine';
import { loadModel } from '../src/model/load';
import type { Model } from '../src/model/weights';
import { PipelineCache } from '../src/gpu/kernels';
import { Ops, sgmatConsts, type MatmulKernel } from '../src/gpu/ops';
import { Recorder } from '../src/gpu/recorder';
import { createBuffer, readFloats, uploadWeight } from '../src/gpu/tensor';
import { randomModel, SHAPES } from './random-model';

// name, rows, cols, x stride (0: cols), products per token of the model
const MATRICES: [name: string, rows: number, cols: number, xStride: number, perToken: number][] = [
  ['in_proj 6144x1536', 6144, 1536, 0, 6],
  ['x_proj 128x3072', 128, 3072, 0, 6],
  ['dt_proj 3072x96 (x stride 128)', 3072, 96, 128, 6],
  ['out_proj 1536x3072', 1536, 3072, 0, 6],
  ['qkv 4608x1536', 4608, 1536, 0, 6],
  ['attn out 1536x1536', 1536, 1536, 0, 6],
  ['mlp gate_up 8192x1536', 8192, 1536, 0, 12],
  ['mlp down 1536x4096', 1536, 4096, 0, 12],
];

const USAGE = `usage: node dist/matmul-speed.js [--tokens 2048] [--reps 20] [--kernels legacy,f32,f16,sgmat]
       [--tiles 128x128/64x32/32+store+unroll,...] [--prefill 4096,16384] [--model DIR] [--no-products] [--ablate] [--chunk 2048]`;

/** Kinds of prompt kernels and the Ops methods that record them (prompt paths only). */
const KINDS: Record<string, string[]> = {
  products: ['linearTiled'],
  'norms+swiglu': ['rmsnorm', 'swiglu'],
  conv: ['conv'],
  scan: ['scan'],
  attention: ['attention', 'rope', 'kvWrite'],
  embed: ['embed'],
};

/** A kernel to measure: MatmulKernel, or "sgmat:TILE" (plain "sgmat": the engine's tile). */
type Variant = string;
const kernelOf = (v: Variant) => v.split(':')[0] as MatmulKernel;
const tileOf = (v: Variant): string | undefined => v.split(':')[1];
const errorText = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0];

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, {
    tokens: { type: 'int', default: 2048, min: 5, max: 1 << 16 },
    reps: { type: 'int', default: 20, min: 1, max: 100_000 },
    kernels: { type: 'string' },
    tiles: { type: 'string' },
    prefill: { type: 'ints', min: 5, max: 1 << 20 },
    model: { type: 'string' },
    'no-products': { type: 'boolean' },
    ablate: { type: 'boolean' },
    chunk: { type: 'int', min: 16, max: 1 << 16 },
  });
  const ctx = await acquireGpu();
  console.log(JSON.stringify({ kind: 'device', device: ctx.adapterName, f16: ctx.f16, subgroupMatrix: ctx.subgroupMatrixNote }));
  const asked = values.kernels ? values.kernels.split(',') : ['legacy', 'f32', ...(ctx.f16 ? ['f16'] : []), ...(ctx.subgroupMatrix ? ['sgmat'] : [])];
  const tiles = values.tiles ? values.tiles.split(',') : [];
  const kernels: Variant[] = asked.flatMap((k) => (k === 'sgmat' && tiles.length ? tiles.map((t) => `sgmat:${t}`) : [k]));
  if (!values['no-products']) await products(ctx, kernels, Number(values.tokens), Number(values.reps));
  else ctx.device.destroy();
  if (values.prefill) await prefill(kernels, values.prefill, values.model, values.ablate === true, values.chunk === undefined ? undefined : Number(values.chunk));
}

/** The matrix products alone; returns Samba-421M's FLOP of matrix products per token. */
async function products(ctx: GpuContext, variants: Variant[], T: number, reps: number): Promise<void> {
  const { device, adapterName, maxBinding } = ctx;
  const c = parseConfig(SHAPES['samba-421m'], 'samba-421m');
  const rec = new Recorder(device);
  const pipes = new PipelineCache(device, 'f16');
  const spare = { dummy: createBuffer(device, 16, 'dummy'), scratchA: createBuffer(device, 16, 'scratch A'), scratchB: createBuffer(device, 16, 'scratch B') };
  const tuning = { minGroups: 256, maxGroups: 264, workgroup: 256, inputVec4s: 1024 };
  const ops = new Map<Variant, Ops>();
  for (const v of variants) {
    const k = kernelOf(v);
    try {
      if (k !== 'sgmat') {
        ops.set(v, new Ops(rec, pipes, c, spare, tuning, 64, device.limits, k));
        continue;
      }
      if (!ctx.subgroupMatrix) throw new Error(`subgroup matrices ${ctx.subgroupMatrixNote}`);
      const consts = sgmatConsts(ctx.subgroupMatrix, device.limits, tileOf(v));
      if (typeof consts === 'string') throw new Error(consts);
      const t0 = performance.now();
      const err = await pipes.tryCompile('matmul_sgmat', consts, 'f16');
      if (err) throw new Error(`matmul_sgmat did not compile: ${err}`);
      console.error(`${v}: compiled in ${Math.round(performance.now() - t0)} ms`);
      ops.set(v, new Ops(rec, pipes, c, spare, tuning, 64, device.limits, k, consts));
    } catch (e) {
      console.log(JSON.stringify({ kind: 'matmul', device: adapterName, kernel: v, error: errorText(e) }));
    }
  }
  const kernels = [...ops.keys()];
  const maxIn = Math.max(...MATRICES.map(([, , cols, stride]) => stride || cols));
  const x = createBuffer(device, T * maxIn * 4, 'x');
  device.queue.writeBuffer(x, 0, new Float32Array(T * maxIn).map((_, i) => Math.sin(i * 0.37) * (1 + (i % 7) / 7)));
  const totals = new Map<Variant, { us: number; flop: number; failed?: string }>(kernels.map((k) => [k, { us: 0, flop: 0 }]));
  for (const [name, rows, cols, xStride, perToken] of MATRICES) {
    const data = new Float32Array(rows * cols).map((_, i) => (((i * 7919) % 1000) / 1000 - 0.5) * 0.05);
    const W = uploadWeight(device, name, [{ name, shape: [rows, cols], data, sourceDtype: 'F16' }], [[rows, cols]], 'f16', maxBinding);
    const y = createBuffer(device, T * rows * 4, 'y');
    const flop = 2 * T * rows * cols;
    let want: Float32Array | undefined;
    for (const k of kernels) {
      const op = ops.get(k)!;
      const t = totals.get(k)!;
      if (t.failed) continue;
      const run = async (n: number) => {
        for (let i = 0; i < n; i++) op.linear(W, x, y, T, xStride ? { xStride } : {});
        rec.submit();
        const t0 = performance.now();
        await device.queue.onSubmittedWorkDone();
        return performance.now() - t0;
      };
      try {
        device.pushErrorScope('validation');
        device.queue.writeBuffer(y, 0, new Float32Array(T * rows).fill(Number.NaN));
        await run(1);
        const got = await readFloats(device, y, T * rows);
        const invalid = await device.popErrorScope();
        if (invalid) throw new Error(invalid.message);
        want ??= got;
        let scale = 0, diff = 0;
        for (let i = 0; i < got.length; i++) {
          scale = Math.max(scale, Math.abs(want[i]));
          diff = Math.max(diff, Math.abs(got[i] - want[i]) || (Number.isNaN(got[i]) ? Infinity : 0));
        }
        let best = Infinity;
        for (let i = 0; i < 8; i++) {
          const ms = await run(reps);
          if (i >= 3) best = Math.min(best, ms);
        }
        const us = (best * 1000) / reps;
        t.us += (perToken * us) / T;
        t.flop += perToken * 2 * rows * cols;
        const rel = diff / scale;
        const pass = rel <= (k === 'legacy' || k === 'f32' ? 1e-5 : 1e-2);
        if (!pass) t.failed = `${name}: relative difference ${rel.toExponential(2)}`;
        console.log(JSON.stringify({ kind: 'matmul', device: adapterName, kernel: k, matrix: name, tokens: T, usPerProduct: +us.toFixed(1), TFLOPs: +(flop / us / 1e6).toPrecision(3), relDiffVsLegacy: +rel.toExponential(2), pass }));
      } catch (e) {
        t.failed = `${name}: ${errorText(e)}`;
        console.log(JSON.stringify({ kind: 'matmul', device: adapterName, kernel: k, matrix: name, error: errorText(e) }));
      }
    }
    W.blocks.forEach((b) => b.buffer.destroy());
    y.destroy();
  }
  for (const [k, t] of totals) {
    if (t.failed) console.log(JSON.stringify({ kind: 'matmul-model', device: adapterName, kernel: k, model: 'samba-421m', failed: t.failed }));
    else console.log(JSON.stringify({ kind: 'matmul-model', device: adapterName, kernel: k, model: 'samba-421m', tokens: T, usPerToken: +t.us.toFixed(3), flopPerToken: t.flop, TFLOPs: +(t.flop / t.us / 1e6).toPrecision(3), matmulTokensPerS: Math.round(1e6 / t.us) }));
  }
  rec.dispose();
  device.destroy();
}

/**
 * Prefill of one prompt per length and kernel (warmed up first, as engine-speed.js), with the
 * matrix products' FLOP per token counted from the model's shapes (LM head of the last token aside).
 */
async function prefill(variants: Variant[], lengths: number[], dir?: string, ablate = false, chunk?: number): Promise<void> {
  const model = dir ? await loadModel(dir) : randomModel('samba-421m');
  const c = model.config;
  const flopPerToken = productFlop(model);
  const tokens = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919 + 13) % c.vocabSize);
  for (const v of variants) {
    const matmul = kernelOf(v);
    const tile = tileOf(v);
    if (tile) process.env.SAMBA_SGMAT_TILE = tile;
    try {
      const engine = await createGpuEngine(model, { weights: 'f16', matmul, ...(chunk ? { chunk } : {}) });
      const seconds = async (n: number) => {
        const state = engine.newState({ capacity: n + 8 });
        const t0 = performance.now();
        await engine.prefill(tokens(n), state);
        const s = (performance.now() - t0) / 1000;
        engine.release(state);
        return s;
      };
      try {
        await engine.prefill(tokens(300), engine.newState({ capacity: 4096 }));
        for (const n of lengths) {
          const s = await seconds(n);
          const tokensPerS = Math.round(n / s);
          console.log(JSON.stringify({ kind: 'prefill', device: engine.deviceName, kernel: v, matmul: engine.matmul, chunk: chunk ?? 2048, model: dir ?? 'samba-421m', tokens: n, seconds: +s.toFixed(4), tokensPerS, flopPerToken, TFLOPs: +((tokensPerS * flopPerToken) / 1e12).toPrecision(3) }));
        }
        if (ablate) {
          const n = Math.max(...lengths);
          const best = async () => Math.min(await seconds(n), await seconds(n));
          const all = await best();
          console.log(JSON.stringify({ kind: 'ablate', kernel: v, tokens: n, without: 'nothing', seconds: +all.toFixed(4) }));
          for (const [k, methods] of Object.entries(KINDS)) {
            const proto = Ops.prototype as unknown as Record<string, (...a: unknown[]) => void>;
            const saved = methods.map((m) => proto[m]);
            // Prompt calls only: a kind's decoding kernels (T <= 4) are other methods or return early.
            methods.forEach((m) => (proto[m] = function skip() {}));
            try {
              const s = await best();
              console.log(JSON.stringify({ kind: 'ablate', kernel: v, tokens: n, without: k, seconds: +s.toFixed(4), saves: +(all - s).toFixed(4), share: +((all - s) / all).toFixed(3) }));
            } finally {
              methods.forEach((m, i) => (proto[m] = saved[i]));
            }
          }
        }
      } finally {
        await engine.dispose();
      }
    } catch (e) {
      console.log(JSON.stringify({ kind: 'prefill', kernel: v, model: dir ?? 'samba-421m', error: errorText(e) }));
    }
  }
}

/** 2 * rows * cols of every matrix a prompt token goes through (the LM head runs for the last token only). */
function productFlop(model: Model): number {
  const c = model.config;
  const { dModel: d, dInner: Di, dtRank: R, dState: N, nHead: H, nKvHead: G, headDim: hd } = c;
  const F = c.hasMlp ? c.mlpHidden : 0;
  let flop = 0;
  for (const m of c.mixers) {
    flop += m === 'mamba' ? 2 * (d * 2 * Di + Di * (R + 2 * N) + R * Di + Di * d) : 2 * (d * (H + 2 * G) * hd + H * hd * d);
    if (F) flop += 2 * (d * 2 * F + F * d);
  }
  return flop;
}


main().then(
  () => process.exit(0),
  (e) => {
    console.error(`matmul-speed: ${(e as Error).message ?? e}`);
    process.exit(1);
  },
);
