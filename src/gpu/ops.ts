import type { ModelConfig } from '../model/config';
import { SambaError } from '../model/errors';
import type { SubgroupMatrixSupport } from './device';
import type { KernelRequest, PipelineCache, WeightDtype } from './kernels';
import { f, type Param, type Recorder } from './recorder';
import type { GpuTensor, GpuWeight, WeightBlock } from './tensor';

/**
 * One function per kernel (as web-rwkv's src/tensor/ops.rs): each writes its kernel's uniform
 * `Params` in the order of the WGSL struct named in its comment, binds its buffers at @binding(1),
 * (2), ... in that order (binding 0 is the Params), and picks the grid. Shapes as in the glossary
 * of src/gpu/engine.ts. `linear` and `attention` choose among kernels by the number of tokens.
 */

/** Key splits times queries of one decode attention (rows per head of the partials buffer). */
export const MAX_SPLIT = 256;

/** Buffers bound where a kernel's optional input or output is unused. */
export interface Spare {
  readonly dummy: GPUBuffer;
  /** The matvec's writable epilogue bindings (two: writable bindings must not alias). */
  readonly scratchA: GPUBuffer;
  readonly scratchB: GPUBuffer;
}

/** How the decoding matvec spreads over the GPU (see GpuEngineOptions). */
export interface MatvecTuning {
  readonly minGroups: number;
  readonly maxGroups: number;
  readonly workgroup: number;
  /** vec4s of workgroup memory for the input row (the model's widest matrix input). */
  readonly inputVec4s: number;
}

/** The matvec's conv epilogue (Mamba's in_proj, one token): conv weights + bias, conv state. */
export type ConvEpilogue = { params: GpuTensor; state: GPUBuffer };
/** Its RoPE epilogue (qkv): positions from pos0; for one token, the key and value go to the cache. */
export type RopeEpilogue = { invFreq: GpuTensor; pos0: number; cap: number; writeCache: boolean; k: GPUBuffer; v: GPUBuffer };
export type LinearOptions = { xStride?: number; xOff?: number; accumulate?: boolean; bias?: GpuTensor; norm?: GpuTensor; swiglu?: boolean; conv?: ConvEpilogue; rope?: RopeEpilogue };

/**
 * The prompt matrix product's kernel: `legacy` kernels/linear_tiled.wgsl (any strides), `f32`
 * kernels/matmul_f32.wgsl (16-byte loads, double-buffered workgroup memory; x strides and the
 * input width multiples of 4, else legacy runs), `f16` kernels/matmul_f16.wgsl (f16 arithmetic,
 * needs shader-f16; same layout), `sgmat` kernels/matmul_sgmat.wgsl (f16 products summed in f32
 * by the GPU's matrix units through subgroup matrices; needs the device created with them, see
 * subgroupMatrixSupport in src/gpu/device.ts; same layout).
 */
export type MatmulKernel = 'legacy' | 'f32' | 'f16' | 'sgmat';
const MATMUL_KERNELS: readonly MatmulKernel[] = ['legacy', 'f32', 'f16', 'sgmat'];

/** Workgroup memory each prompt matmul kernel needs, in bytes (its two tiles; the new ones double-buffered). */
const MATMUL_WORKGROUP_BYTES: Record<Exclude<MatmulKernel, 'sgmat'>, number> = { legacy: 2 * 16 * 33 * 16, f32: 2 * 2 * 16 * 32 * 16, f16: 2 * 2 * 16 * 32 * 8 };

/**
 * The subgroup-matrix kernel's tiles, best first: TM tokens x TN rows per workgroup, WM x WN per
 * subgroup, TK inputs per step, and options:
 *   +store   whole tiles without bias stored straight to y (accumulating onto y loaded as the
 *            starting sums) instead of element by element through workgroup memory;
 *   +unroll  the loops over result matrices repeated with literal indices (src/gpu/kernels.ts).
 * The engine runs the first the device can hold (sgmatConsts), or SAMBA_SGMAT_TILE for benches.
 * The first needs 48 KiB of workgroup memory and 256 invocations (subgroups of 32), the second 24
 * KiB and 128. Why these two (and no direct loads from the buffers): bench/RESULTS.md, "tensor-core
 * tiles without staging".
 */
export const SGMAT_TILES = ['128x128/64x32/32+store+unroll', '64x64/32x32/32+store+unroll'] as const;
export const SGMAT_DEFAULT_TILE = SGMAT_TILES[0];
const SGMAT_OPTIONS = { store: 'ST', unroll: 'UNROLL' } as const;
type SgmatLimits = { maxComputeWorkgroupStorageSize: number; maxComputeInvocationsPerWorkgroup: number; maxComputeWorkgroupSizeX: number };

/** The tile text of sgmatConsts' constants (as SAMBA_SGMAT_TILE writes it). */
export function sgmatLabel(k: Record<string, number>): string {
  const opts = Object.entries(SGMAT_OPTIONS).filter(([, c]) => k[c]).map(([o]) => `+${o}`);
  return `${k.TM}x${k.TN}/${k.WM}x${k.WN}/${k.TK}${opts.join('')}`;
}

/**
 * The kernel's constants (kernels/matmul_sgmat.wgsl) on `sgm` for `tile` (else SAMBA_SGMAT_TILE,
 * else the first of SGMAT_TILES that fits these limits), or why it cannot run.
 */
export function sgmatConsts(sgm: SubgroupMatrixSupport, limits: SgmatLimits, tile = process.env.SAMBA_SGMAT_TILE || undefined): Record<string, number> | string {
  if (tile) return tileConsts(sgm, limits, tile);
  const why: string[] = [];
  for (const t of SGMAT_TILES) {
    const k = tileConsts(sgm, limits, t);
    if (typeof k !== 'string') return k;
    why.push(k);
  }
  return why.join('; ');
}

function tileConsts(sgm: SubgroupMatrixSupport, limits: SgmatLimits, tileText: string): Record<string, number> | string {
  const m = /^(\d+)x(\d+)\/(\d+)x(\d+)\/(\d+)((?:\+\w+)*)$/.exec(tileText);
  if (!m) return `the tile ${JSON.stringify(tileText)} (SAMBA_SGMAT_TILE) is not of the form TMxTN/WMxWN/TK with options +store, +unroll, e.g. ${SGMAT_DEFAULT_TILE}`;
  const [TM, TN, WM, WN, TK] = m.slice(1, 6).map(Number);
  const opts: Record<string, number> = { ST: 0, UNROLL: 0 };
  for (const o of m[6].split('+').filter((o) => o)) {
    if (!(o in SGMAT_OPTIONS)) return `the tile ${JSON.stringify(tileText)} (SAMBA_SGMAT_TILE) has the option +${o}; the options are ${Object.keys(SGMAT_OPTIONS).map((o) => `+${o}`).join(', ')}`;
    opts[SGMAT_OPTIONS[o as keyof typeof SGMAT_OPTIONS]] = 1;
  }
  const { M: FM, N: FN, K: FK, subgroupSize: SG } = sgm;
  if (TM % WM || TN % WN || WM % FM || WN % FN || TK % FK || TK % 16) return `the tile ${tileText} does not split into ${FM}x${FN}x${FK} matrices (TM a multiple of WM, TN of WN, WM of ${FM}, WN of ${FN}, TK of ${Math.max(FK, 16)})`;
  const NSG = (TM / WM) * (TN / WN);
  const WG = NSG * SG;
  const bytes = 2 * 2 * (TM + TN) * (TK + 8) + 4 * NSG * FM * FN;
  if (WG > limits.maxComputeInvocationsPerWorkgroup || WG > limits.maxComputeWorkgroupSizeX) return `the tile ${tileText} needs ${WG} invocations per workgroup, above this GPU's ${limits.maxComputeInvocationsPerWorkgroup}`;
  if (bytes > limits.maxComputeWorkgroupStorageSize) return `the tile ${tileText} needs ${bytes} bytes of workgroup memory, above this GPU's ${limits.maxComputeWorkgroupStorageSize}`;
  return { FM, FN, FK, SG, TM, TN, WM, WN, TK, ...opts, MM: WM / FM, MN: WN / FN, KF: TK / FK };
}

/**
 * The kernel for this adapter: as asked (engine option, else SAMBA_MATMUL for benches), else
 * subgroup matrices where the device has them (`sgmat`: their constants, or why not), else f16
 * arithmetic on a GPU with shader-f16, else f32, else (a device with under 32 KiB of workgroup
 * memory) legacy. Software adapters keep f32: f16 is no faster on a CPU, and the tests there
 * hold the f32 tolerances.
 */
export function pickMatmul(asked: MatmulKernel | undefined, software: boolean, f16: boolean, workgroupBytes: number, sgmat: Record<string, number> | string = 'the device has no subgroup matrices'): MatmulKernel {
  const env = process.env.SAMBA_MATMUL;
  const k = asked ?? (env ? (env as MatmulKernel) : undefined);
  if (k !== undefined && !MATMUL_KERNELS.includes(k)) throw new SambaError('gpu', `The prompt matmul kernel ${JSON.stringify(k)} (option matmul or SAMBA_MATMUL) is not one of ${MATMUL_KERNELS.join(', ')}.`);
  if (k === 'f16' && !f16) throw new SambaError('gpu', 'The f16 prompt matmul needs the GPU feature shader-f16, which this adapter lacks: use "f32" (option matmul or SAMBA_MATMUL).');
  if (k === 'sgmat' && typeof sgmat === 'string') throw new SambaError('gpu', `The sgmat prompt matmul cannot run: ${sgmat}. It needs a GPU whose WebGPU adapter offers subgroup matrices with an f16 -> f32 configuration (and SAMBA_GPU_SUBGROUP_MATRIX unset or "1"); elsewhere use "f32" (option matmul or SAMBA_MATMUL).`);
  if (k && k !== 'sgmat' && MATMUL_WORKGROUP_BYTES[k] > workgroupBytes) throw new SambaError('gpu', `The ${k} prompt matmul needs ${MATMUL_WORKGROUP_BYTES[k]} bytes of workgroup memory, above this GPU's ${workgroupBytes}: use "legacy" or "f16" (option matmul or SAMBA_MATMUL).`);
  if (k) return k;
  if (typeof sgmat !== 'string' && !software) return 'sgmat';
  if (f16 && !software) return 'f16';
  return MATMUL_WORKGROUP_BYTES.f32 <= workgroupBytes ? 'f32' : 'legacy';
}

/** Weights per quad, the decoding matvec's 16-byte load (QE in the weight preambles). */
const QUAD_ELEMENTS: Record<WeightDtype, number> = { f32: 8, f16: 8, i8: 16 };

/** Quads per row of W. */
export function quadsOf(W: GpuWeight): number {
  return (2 * W.pairs) / QUAD_ELEMENTS[W.dtype];
}

/**
 * Lanes per row of the decoding matvec: 32, or more for matrices with few rows, so that at least
 * `minGroups` workgroups (of 2 * wg / lanes rows) share the work, or for long rows, so that a lane
 * holds at most 16 quads of each of its two rows in registers.
 */
export function matvecLanes(rows: number, quads: number, minGroups: number, wg = 256): number {
  let lanes = 32;
  while (lanes < wg && lanes < quads && (Math.ceil(rows / ((2 * wg) / lanes)) < minGroups || quads > 16 * lanes)) lanes *= 2;
  return lanes;
}

export class Ops {
  private readonly matvecPlans = new WeakMap<WeightBlock, { pipeline: GPUComputePipeline; gx: number; gy: number }>();
  /** One-token scan: threads per channel (N rounded up to a power of two), channels per workgroup. */
  private readonly scanStepConsts: { NS: number; CH: number };
  /** Prompt scan: N, and channels per workgroup (about 128 threads). */
  private readonly scanConsts: { NS: number; CH: number };
  private readonly argmaxConsts: Record<string, number>;
  /** Fetched once at the first greedy step (compiled at load with the rest: kernels()). */
  private argmaxPipe: GPUComputePipeline | undefined;

  constructor(
    private readonly rec: Recorder,
    private readonly pipes: PipelineCache,
    private readonly c: ModelConfig,
    private readonly spare: Spare,
    private readonly tuning: MatvecTuning,
    /** Fewest keys per split of decode attention. */
    private readonly splitKeys: number,
    limits: GPUSupportedLimits,
    /** The prompt matrix product's kernel (pickMatmul). */
    readonly matmul: MatmulKernel = 'f32',
    /** The sgmat kernel's constants (sgmatConsts), when `matmul` is sgmat. */
    private readonly sgmat: Record<string, number> = {},
  ) {
    if (matmul === 'sgmat' && !sgmat.TM) throw new Error('Ops: the sgmat kernel without its constants');
    const N = c.dState;
    const NS = 2 ** Math.ceil(Math.log2(N));
    this.scanStepConsts = { NS, CH: Math.max(1, Math.floor(256 / NS)) };
    this.scanConsts = { NS: N, CH: Math.max(1, Math.floor(128 / N)) };
    // Greedy sampling's one workgroup, as wide as the device allows (up to 1024 threads).
    const WG = 2 ** Math.floor(Math.log2(Math.min(1024, limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX)));
    this.argmaxConsts = { WG };
  }

  /** Every kernel the model uses, for PipelineCache.compile at load (a shader problem surfaces there, not mid-generation). */
  kernels(matrices: readonly GpuWeight[], int8: boolean): KernelRequest[] {
    const c = this.c;
    const out: KernelRequest[] = ['embed', 'rmsnorm', 'rope', 'attention', 'kv_write', 'swiglu', 'attn_combine', 'linear_tiled', 'token_logprob'].map((name) => ({ name }));
    out.push({ name: 'argmax', consts: this.argmaxConsts });
    for (const W of matrices) for (const blk of W.blocks) out.push({ name: 'matvec', consts: this.matvecConsts(blk, quadsOf(W), W.dtype), dtype: W.dtype });
    if (int8) out.push({ name: 'linear_tiled', dtype: 'i8' });
    if (this.matmul === 'sgmat') {
      for (const dtype of int8 ? (['f16', 'i8'] as const) : [this.pipes.dtype]) out.push({ name: 'matmul_sgmat', consts: this.sgmat, dtype });
    } else if (this.matmul !== 'legacy') {
      out.push({ name: `matmul_${this.matmul}` });
      if (int8) out.push({ name: `matmul_${this.matmul}`, dtype: 'i8' });
    }
    if (c.mixers.includes('mamba')) {
      for (const name of ['conv1d', 'conv_state', 'conv_step']) out.push({ name });
      out.push({ name: 'scan_step', consts: this.scanStepConsts }, { name: 'scan', consts: this.scanConsts });
    }
    if (c.mixers.includes('attention') && c.headDim % 4 === 0) for (const name of ['attention_tiled', 'attention_decode']) out.push({ name, consts: { HD: c.headDim } });
    return out;
  }

  private run(pipeline: GPUComputePipeline, params: Param[], buffers: GPUBuffer[], grid: [number, number?, number?]): void {
    this.rec.dispatch(pipeline, params, buffers, grid);
  }

  /** x[t] = E[tokens[t]], every row block of E. kernels/embed.wgsl. */
  embed(T: number, E: GpuWeight, tokens: GPUBuffer, x: GPUBuffer): void {
    for (const blk of E.blocks) this.run(this.pipes.get('embed'), [T, E.cols, E.pairs, blk.rowStart, blk.rows], [tokens, blk.buffer, x], [Math.ceil(E.pairs / 64), T]);
  }

  /** out[t] = RMSNorm(x[t]) * w over d = dModel. kernels/rmsnorm.wgsl. */
  rmsnorm(T: number, x: GPUBuffer, w: GpuTensor, out: GPUBuffer): void {
    this.run(this.pipes.get('rmsnorm'), [T, this.c.dModel, f(this.c.normEps)], [x, w.buffer, out], [T]);
  }

  /** h[t] = silu(gu[t, :F]) * gu[t, F:]. kernels/swiglu.wgsl. */
  swiglu(T: number, F: number, gu: GPUBuffer, h: GPUBuffer): void {
    this.run(this.pipes.get('swiglu'), [T, F], [gu, h], [Math.ceil(F / 64), T]);
  }

  /**
   * y[t, :] (+)= W u[t, :] (+ bias), every row block of W, where u is x (row t at t*xStride + xOff),
   * RMSNorm(x) with weight `norm`, or SwiGLU of x = [gate | up] (`swiglu`: x rows are 2 * W.cols).
   * Decoding (T <= 4) fuses the norm or SwiGLU into the matvec; prompts run it first, into
   * `tmp` (act.xn or act.h), and then the tiled matrix product.
   */
  linear(W: GpuWeight, x: GPUBuffer, y: GPUBuffer, T: number, o: LinearOptions, tmp?: GPUBuffer): void {
    if ((o.conv && T !== 1) || (o.rope && (T > 4 || W.blocks.length !== 1))) throw new Error('linear: an epilogue outside decoding');
    let xStride = o.xStride ?? (o.swiglu ? 2 * W.cols : W.cols);
    if (T <= 4) {
      for (const blk of W.blocks) this.matvec(W, blk, T, x, xStride, y, o);
      return;
    }
    if (o.norm || o.swiglu) {
      if (o.xOff || o.xStride || !tmp) throw new Error('linear: a fused norm or SwiGLU reads whole rows into a buffer of its own');
      if (o.norm) this.rmsnorm(T, x, o.norm, tmp);
      else this.swiglu(T, W.cols, x, tmp);
      x = tmp;
      xStride = W.cols;
    }
    for (const blk of W.blocks) this.linearTiled(W, blk, T, x, xStride, o.xOff ?? 0, y, o.accumulate ?? false, o.bias);
  }

  /**
   * Prompts: one row block of y (+)= x W^T (+ bias) in tiles of 128 x 128 (sgmat: its tile), by
   * the adapter's kernel (MatmulKernel); the legacy one where x's layout is not in whole vec4s.
   */
  private linearTiled(W: GpuWeight, blk: WeightBlock, T: number, x: GPUBuffer, xStride: number, xOff: number, y: GPUBuffer, accumulate: boolean, bias?: GpuTensor): void {
    const vec4s = xStride % 4 === 0 && xOff % 4 === 0 && W.cols % 4 === 0;
    const kernel = this.matmul === 'legacy' || !vec4s ? 'linear_tiled' : `matmul_${this.matmul}`;
    // Params of both: the third field is the row length in pairs (linear_tiled) or quads (matmul_*).
    const params = [T, W.cols, kernel === 'linear_tiled' ? W.pairs : quadsOf(W), blk.rows, blk.rowStart, xStride, xOff, /* yStride */ W.rows, /* yOff */ 0, accumulate ? 1 : 0, bias ? 1 : 0];
    const buffers = [x, blk.buffer, bias?.buffer ?? this.spare.dummy, y, ...(blk.scales ? [blk.scales] : [])];
    const consts = kernel === 'matmul_sgmat' ? this.sgmat : {};
    this.run(this.pipes.get(kernel, consts, W.dtype), params, buffers, [Math.ceil(blk.rows / (consts.TN ?? 128)), Math.ceil(T / (consts.TM ?? 128))]);
  }

  /** Decoding (T <= 4): one row block of y (+)= W u, with u's prologue and y's epilogue fused. kernels/matvec.wgsl. */
  private matvec(W: GpuWeight, blk: WeightBlock, T: number, x: GPUBuffer, xStride: number, y: GPUBuffer, o: LinearOptions): void {
    const c = this.c;
    const s = this.spare;
    const r = o.rope;
    const plan = this.matvecPlan(blk, quadsOf(W), W.dtype);
    const prologue = o.norm ? 1 : o.swiglu ? 2 : 0;
    const epilogue = o.conv ? 1 : r ? 2 : 0;
    // prettier-ignore
    const params = [T, W.cols, quadsOf(W), blk.rows, blk.rowStart, xStride, o.xOff ?? 0, /* yStride */ W.rows, /* yOff */ 0, o.accumulate ? 1 : 0, o.bias ? 1 : 0,
      prologue, f(c.normEps), epilogue, /* convDi */ c.dInner, /* K */ c.dConv, r?.pos0 ?? 0, c.nHead, c.nKvHead, c.headDim, r?.cap ?? 1, r?.writeCache ? 1 : 0];
    const tables = o.conv ? [o.conv.params.buffer, o.conv.state, s.scratchB] : r ? [r.invFreq.buffer, r.k, r.v] : [s.dummy, s.scratchA, s.scratchB];
    const buffers = [x, blk.buffer, o.bias?.buffer ?? s.dummy, o.norm?.buffer ?? s.dummy, y, ...tables, ...(blk.scales ? [blk.scales] : [])];
    this.run(plan.pipeline, params, buffers, [plan.gx, plan.gy, T]);
  }

  /** The matvec pipeline and grid of one weight block, chosen once (decoding asks for it every token). */
  private matvecPlan(blk: WeightBlock, quads: number, dtype: WeightDtype): { pipeline: GPUComputePipeline; gx: number; gy: number } {
    let plan = this.matvecPlans.get(blk);
    if (!plan) {
      const t = this.tuning;
      const lanes = matvecLanes(blk.rows, quads, t.minGroups, t.workgroup);
      const blocks = Math.ceil(blk.rows / ((2 * t.workgroup) / lanes));
      const groups = Math.min(blocks, t.maxGroups);
      const gx = Math.min(groups, 65535);
      plan = { pipeline: this.pipes.get('matvec', this.matvecConsts(blk, quads, dtype), dtype), gx, gy: Math.ceil(groups / gx) };
      this.matvecPlans.set(blk, plan);
    }
    return plan;
  }

  /** The matvec kernel's constants for one weight block: its lanes per row from the block's shape. */
  private matvecConsts(blk: WeightBlock, quads: number, dtype: WeightDtype): Record<string, number> {
    const t = this.tuning;
    const WG = t.workgroup;
    const lanes = matvecLanes(blk.rows, quads, t.minGroups, WG);
    return { WG, LANES: lanes, QPL: Math.ceil(quads / lanes), UQ: t.inputVec4s, XPT: Math.ceil((QUAD_ELEMENTS[dtype] * quads) / WG) };
  }

  /** Rotates the H query heads and G key heads of qkv (rows of `stride`) in place. kernels/rope.wgsl. */
  rope(T: number, pos0: number, invFreq: GpuTensor, qkv: GPUBuffer): void {
    const { nHead: H, nKvHead: G, headDim: hd } = this.c;
    this.run(this.pipes.get('rope'), [T, H + G, hd, pos0, (H + 2 * G) * hd], [invFreq.buffer, qkv], [Math.ceil(hd / 2 / 64), H + G, T]);
  }

  /** Writes T keys and values of qkv to ring-buffer slots (pos0 + t) % cap. kernels/kv_write.wgsl. */
  kvWrite(T: number, pos0: number, cap: number, qkv: GPUBuffer, k: GPUBuffer, v: GPUBuffer): void {
    const { nHead: H, nKvHead: G, headDim: hd } = this.c;
    this.run(this.pipes.get('kv_write'), [T, H, G * hd, hd, pos0, cap, (H + 2 * G) * hd], [qkv, k, v], [Math.ceil((G * hd) / 64), T]);
  }

  /**
   * att[t] = softmax(q k^T / sqrt(hd)) v over the last `window` keys of the cache, for T queries
   * at pos0. Three kernels by shape: the scalar one when hd is not a multiple of 4, flash-attention
   * tiles for prompts, and split keys then a merge for decoding.
   */
  attention(T: number, pos0: number, cap: number, window: number, qkv: GPUBuffer, k: GPUBuffer, v: GPUBuffer, att: GPUBuffer, part: GPUBuffer): void {
    const { nHead: H, nKvHead: G, headDim: hd } = this.c;
    const stride = (H + 2 * G) * hd;
    const scale = f(1 / Math.sqrt(hd));
    // The first nine fields of every attention kernel's Params.
    const common = [T, H, G, hd, pos0, cap, window, stride, scale];
    if (hd % 4 !== 0) {
      // kernels/attention.wgsl (no vec4 loads): one workgroup per (head, query), no split (nSplit 1, splitLen window).
      this.run(this.pipes.get('attention'), [...common, 1, window], [qkv, k, v, att, part], [H, T, 1]);
    } else if (T > 4) {
      // kernels/attention_tiled.wgsl: tiles of 64 queries x 64 keys; grid (head, query tile), last tile first.
      this.run(this.pipes.get('attention_tiled', { HD: hd }), common, [qkv, k, v, att], [H, Math.ceil(T / 64)]);
    } else {
      // kernels/attention_decode.wgsl: one workgroup per (KV head, group of up to 4 of its query heads,
      // key split, query) reads each key once for the group; about 4 workgroups per SM of an H100
      // (132 SMs) stream the cache, then kernels/attn_combine.wgsl merges the splits.
      const R = H / G;
      const groups = G * Math.ceil(R / 4) * T;
      const keys = Math.min(window, pos0 + T);
      let nSplit = Math.max(1, Math.min(Math.ceil(keys / this.splitKeys), Math.ceil(528 / groups), Math.floor(MAX_SPLIT / T)));
      let splitLen = window;
      if (nSplit > 1) {
        splitLen = Math.ceil(Math.ceil(keys / nSplit) / this.splitKeys) * this.splitKeys;
        nSplit = Math.ceil(keys / splitLen);
      }
      if (nSplit === 1) splitLen = window;
      this.run(this.pipes.get('attention_decode', { HD: hd }), [...common, nSplit, splitLen, R], [qkv, k, v, att, part], [G * Math.ceil(R / 4), nSplit, T]);
      if (nSplit > 1) this.run(this.pipes.get('attn_combine'), [T, H, hd, nSplit], [part, att], [H, T]);
    }
  }

  /** Mamba's causal conv1d + SiLU of x (xz's first half) for 2-4 tokens, shifting the conv state. kernels/conv_step.wgsl. */
  convStep(T: number, xz: GPUBuffer, conv: GpuTensor, state: GPUBuffer, xc: GPUBuffer): void {
    const { dInner: Di, dConv: K } = this.c;
    this.run(this.pipes.get('conv_step'), [T, Di, K, 2 * Di], [xz, conv.buffer, state, xc], [Math.ceil(Di / 64)]);
  }

  /** The same for prompts: the conv (kernels/conv1d.wgsl), then the state's shift (kernels/conv_state.wgsl). */
  conv(T: number, xz: GPUBuffer, conv: GpuTensor, state: GPUBuffer, xc: GPUBuffer): void {
    const { dInner: Di, dConv: K } = this.c;
    this.run(this.pipes.get('conv1d'), [T, Di, K, 2 * Di], [xz, conv.buffer, state, xc], [Math.ceil(Di / 64), T]);
    this.run(this.pipes.get('conv_state'), [T, Di, K, 2 * Di], [xz, state], [Math.ceil(Di / 64)]);
  }

  /**
   * The selective scan of T tokens: h advances, y = C h + D x, gated by silu(z); with `stops`,
   * h after each of its `count` token counts also goes to hOut [count, Di, N]. kernels/scan.wgsl.
   */
  scan(T: number, L: { A: GpuTensor; D: GpuTensor }, xc: GPUBuffer, dbc: GPUBuffer, dt: GPUBuffer, xz: GPUBuffer, h: GPUBuffer, y: GPUBuffer, stops?: { count: number; at: GPUBuffer; hOut: GPUBuffer }): void {
    const { dInner: Di, dtRank: R, dState: N } = this.c;
    const sc = this.scanConsts;
    const s = this.spare;
    const buffers = [xc, dbc, dt, L.A.buffer, L.D.buffer, xz, h, y, stops?.at ?? s.dummy, stops?.hOut ?? s.scratchA];
    this.run(this.pipes.get('scan', sc), [T, Di, R, R + 2 * N, 2 * Di, stops?.count ?? 0], buffers, [Math.ceil(Di / sc.CH)]);
  }

  /** One token's scan with dt_proj folded in (dt = dtW dbc[:R] + dtBias). kernels/scan_step.wgsl. */
  scanStep(L: { dtProj: GpuWeight; dtBias: GpuTensor; A: GpuTensor; D: GpuTensor }, xc: GPUBuffer, dbc: GPUBuffer, xz: GPUBuffer, h: GPUBuffer, y: GPUBuffer): void {
    const { dInner: Di, dtRank: R, dState: N } = this.c;
    const sc = this.scanStepConsts;
    const buffers = [xc, dbc, L.dtProj.blocks[0].buffer, L.dtBias.buffer, L.A.buffer, L.D.buffer, xz, h, y];
    this.run(this.pipes.get('scan_step', sc), [Di, N, R, L.dtProj.pairs, 2 * Di], buffers, [Math.ceil(Di / sc.CH)]);
  }

  /** out[t] = log softmax(logits[t])[targets[t]] for T rows, a workgroup each. kernels/token_logprob.wgsl. */
  tokenLogProbs(T: number, logits: GPUBuffer, targets: GPUBuffer, out: GPUBuffer): void {
    this.run(this.pipes.get('token_logprob'), [this.c.vocabSize], [logits, targets, out], [T]);
  }

  /** result[0] and ids[slot] = argmax of logits[0, :V], in one workgroup. kernels/argmax.wgsl. */
  argmax(logits: GPUBuffer, result: GPUBuffer, ids: GPUBuffer, slot: number): void {
    this.run((this.argmaxPipe ??= this.pipes.get('argmax', this.argmaxConsts)), [this.c.vocabSize, /* off */ 0, slot], [logits, result, ids], [1]);
  }
}
