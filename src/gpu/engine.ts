import { SambaError } from '../model/errors';
import type { Model, Tensor } from '../model/weights';
import { checkCapacity, checkTokens, type Engine, type EngineState, type PrefillOptions } from '../engine/engine';
import { attentionCapacity, type LayerState, type StateData } from '../engine/state';
import { acquireGpu, releaseGpu, type GpuContext } from './device';
import { PipelineCache, type WeightDtype } from './kernels';
import { Recorder, f } from './recorder';
import { createBuffer, uploadF32, uploadWeight, type GpuTensor, type GpuWeight, type WeightBlock } from './tensor';

export interface GpuEngineOptions {
  /** Refuse a software adapter (lavapipe, SwiftShader): the CPU engine runs faster than WebGPU on the CPU. */
  readonly hardwareOnly?: boolean;
  /** Storage of the matrices (linear layers, embedding, LM head): f32, or f16 packed two per u32. */
  readonly weights?: WeightDtype;
  /** Caps the bytes of one storage binding (weights beyond it are split in row blocks); for tests. */
  readonly maxBindingBytes?: number;
  /** Tokens per prefill chunk (bounds activation memory). Default 2048. */
  readonly chunk?: number;
  /** Fewest keys per split of decode attention (default 64); tests lower it to exercise the merge. */
  readonly splitKeys?: number;
  /** Fewest row blocks per decoding matvec (default: by adapter); tests raise it to exercise wide lanes. */
  readonly matvecGroups?: number;
  /**
   * Most workgroups per decoding matvec (default: by adapter); each walks the row blocks past
   * that. With `matvecWorkgroup` (threads per workgroup, default 256), for tuning and tests.
   */
  readonly matvecMaxGroups?: number;
  readonly matvecWorkgroup?: number;
}

/** The GPU engine, with greedy decoding on the device as an extra. */
export interface GpuEngine extends Engine {
  readonly backend: 'gpu';
  readonly deviceName: string;
  /** Runs on a software adapter (lavapipe): see src/engine/decoder.ts. */
  readonly software: boolean;
  /** One token, then argmax of its logits on the GPU: reads back 4 bytes instead of [V]. */
  stepArgmax(token: number, state: EngineState): Promise<number>;
  /**
   * Greedy decoding on the GPU: feeds `token`, then each argmax back in, `count` times, with one
   * read-back at the end (no host round trip per token). Returns the `count` generated ids.
   */
  greedy(token: number, count: number, state: EngineState): Promise<number[]>;
  /** The device it runs on (read-only; tests destroy it to inject a device loss). */
  readonly gpuDevice: GPUDevice;
  /** Resolves with what happened when the device is lost; every call then throws SambaError('gpu'). */
  readonly lost: Promise<string>;
}

export async function createGpuEngine(model: Model, options: GpuEngineOptions = {}): Promise<GpuEngine> {
  const ctx = await acquireGpu();
  if (options.hardwareOnly && ctx.software) {
    releaseGpu(ctx);
    throw new SambaError('gpu', `the only WebGPU adapter is a software one (${ctx.adapterName})`);
  }
  try {
    const engine = new WebGpuEngine(model, ctx, options);
    await engine.init();
    return engine;
  } catch (e) {
    ctx.device.destroy();
    throw e;
  }
}

type MambaLayer = {
  kind: 'mamba';
  norm1: GpuTensor;
  inProj: GpuWeight;
  inProjBias?: GpuTensor;
  /** Conv weights [Di, K], then the bias [Di] (zeros if the model has none). */
  conv: GpuTensor;
  xProj: GpuWeight;
  dtProj: GpuWeight;
  dtBias: GpuTensor;
  A: GpuTensor;
  D: GpuTensor;
  outProj: GpuWeight;
  outProjBias?: GpuTensor;
};
/** The decoding matvec's conv epilogue (Mamba's in_proj, one token): conv weights+bias, conv state. */
type ConvEpilogue = { params: GpuTensor; state: GPUBuffer };
/** Its RoPE epilogue (qkv): positions from pos0; for one token, the key and value go to the cache. */
type RopeEpilogue = { pos0: number; cap: number; writeCache: boolean; k: GPUBuffer; v: GPUBuffer };
type AttnLayer = { kind: 'attention'; norm1: GpuTensor; qkv: GpuWeight; out: GpuWeight };
type Layer = (MambaLayer | AttnLayer) & { mlp?: { norm2: GpuTensor; gateUp: GpuWeight; down: GpuWeight } };

type LayerBuffers = { kind: 'mamba'; conv: GPUBuffer; ssm: GPUBuffer } | { kind: 'attention'; k: GPUBuffer; v: GPUBuffer };

const MAX_SPLIT = 256;

class GpuState implements EngineState {
  released = false;
  /** Errors of the buffer creation (out of memory, limits), checked before the state is first used. */
  alloc: Promise<string | undefined> | undefined;
  constructor(
    readonly owner: WebGpuEngine,
    public position: number,
    readonly capacity: number,
    readonly layers: LayerBuffers[],
  ) {}
}

class WebGpuEngine implements GpuEngine {
  readonly backend = 'gpu' as const;
  readonly deviceName: string;
  private readonly device: GPUDevice;
  private readonly dtype: WeightDtype;
  /** Binding limit for weights (the option can lower it to force row blocks). */
  private readonly maxBinding: number;
  /** The device's binding limit, for activations and state. */
  private readonly deviceBinding: number;
  private readonly chunk: number;
  private readonly splitKeys: number;
  private readonly pipes: PipelineCache;
  private readonly rec: Recorder;
  private layers: Layer[] = [];
  /** vec4s of workgroup memory the matvec needs for its input row (the widest matrix input). */
  private matvecU = 0;
  /**
   * Fewest row blocks a decoding matvec should spread over: enough to fill a GPU's cores (256: on
   * an H100 with the grid capped at 264 workgroups, 128 lanes for 1536-row matrices beat 64,
   * 972 us of kernels per token against 1,024); on a software adapter (lavapipe) every
   * workgroup re-builds the input row, so as few as possible.
   */
  private readonly matvecGroups: number;
  private readonly matvecMaxGroups: number;
  private readonly matvecWG: number;
  /** One-token scan constants: threads per channel (the state size rounded up to a power of two), channels per workgroup. */
  private readonly scanStep: { NS: number; CH: number };
  /** Greedy sampling's pipeline (its width depends on the device). */
  private argmax!: GPUComputePipeline;
  private readonly matvecPlans = new WeakMap<WeightBlock, { pipeline: GPUComputePipeline; gx: number; gy: number }>();
  readonly software: boolean;
  private embed!: GpuWeight;
  private lmHead!: GpuWeight;
  private normF!: GpuTensor;
  private invFreq?: GpuTensor;
  private act!: Record<'x' | 'xn' | 'xz' | 'xc' | 'dbc' | 'dt' | 'y' | 'qkv' | 'att' | 'gu' | 'h' | 'logits' | 'tokens' | 'argmax' | 'dummy' | 'scratchA' | 'scratchB' | 'attnPart', GPUBuffer>;
  /** Tokens whose logits fit one logits buffer (and one binding). */
  private logitRows = 1;
  /** Mappable read-back buffer of one logits row, reused by every step. */
  private staging!: GPUBuffer;
  private stagingBusy = false;
  private disposed = false;
  /** Allocation checks (error scopes) not answered yet: the device must outlive them. */
  private readonly scopes = new Set<Promise<unknown>>();
  private gpuError: string | undefined;
  /** Set once the device is lost: every call throws it. */
  private lostError: SambaError | undefined;
  readonly lost: Promise<string>;

  constructor(
    readonly model: Model,
    ctx: GpuContext,
    options: GpuEngineOptions,
  ) {
    this.device = ctx.device;
    this.deviceName = ctx.adapterName;
    this.software = ctx.software;
    this.matvecGroups = options.matvecGroups ?? (ctx.software ? 1 : 256);
    // On a software adapter every workgroup builds u again: a few suffice.
    // On a GPU, two workgroups per SM of an H100 (264): 895 us of kernels per token, 906 with one
    // per SM, 1,013 with one per row block (measured).
    this.matvecMaxGroups = options.matvecMaxGroups ?? (ctx.software ? 4 : 264);
    this.matvecWG = options.matvecWorkgroup ?? 256;
    const NS = 2 ** Math.ceil(Math.log2(model.config.dState));
    this.scanStep = { NS, CH: Math.max(1, Math.floor(256 / NS)) };
    this.dtype = options.weights ?? 'f32';
    if (!['f32', 'f16', 'i8'].includes(this.dtype)) throw new SambaError('gpu', `GPU engine: weights must be "f32", "f16" or "i8", got ${JSON.stringify(this.dtype)}.`);
    this.deviceBinding = ctx.maxBinding;
    this.maxBinding = Math.min(ctx.maxBinding, options.maxBindingBytes ?? Infinity);
    this.chunk = Math.max(1, Math.floor(options.chunk ?? 2048));
    this.splitKeys = Math.max(1, Math.floor(options.splitKeys ?? 64));
    // int8 is for the matrix kernels; the embedding and dt_proj (read by their own kernels) stay f16.
    this.pipes = new PipelineCache(this.device, this.dtype === 'i8' ? 'f16' : this.dtype);
    this.rec = new Recorder(this.device);
    this.device.onuncapturederror = (e: GPUUncapturedErrorEvent) => {
      this.gpuError ??= e.error.message;
    };
    this.lost = new Promise((resolve) => {
      void this.device.lost.then((info) => {
        if (this.disposed) return;
        const what = `The GPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''}) on ${this.deviceName}`;
        this.lostError = new SambaError('gpu', `${what}; the request was stopped. The model restarts on a new device (or the CPU) and restores the workspace context from its saved state.`);
        resolve(what);
      });
    });
  }

  get gpuDevice(): GPUDevice {
    return this.device;
  }

  /** Throws once the device is lost or the engine disposed. */
  private alive(): void {
    if (this.lostError) throw this.lostError;
    if (this.disposed) throw new SambaError('gpu', 'This GPU engine was disposed; create a new one.');
  }

  /** Waits for a state's buffer creation to be checked; throws SambaError('gpu') if it ran out of memory. */
  private async allocated(s: GpuState): Promise<void> {
    if (!s.alloc) return;
    const err = await s.alloc;
    s.alloc = undefined;
    this.alive();
    if (err) {
      this.release(s);
      const c = this.model.config;
      const bytes = stateBytes(c, s.capacity);
      throw new SambaError(
        'gpu',
        `Out of GPU memory for a model state of ${(bytes / 2 ** 20).toFixed(1)} MiB${c.mixers.includes('attention') && !Number.isFinite(c.window) ? ` (KV capacity ${s.capacity} tokens)` : ''} on ${this.deviceName}: ${err.split('\n')[0]}. Use a smaller context budget (samba.context.budgetTokens), close other GPU programs, or a smaller model.`,
      );
    }
  }

  async init(): Promise<void> {
    const c = this.model.config;
    if (c.dConv < 1 || c.dConv > 64) throw new SambaError('gpu', `GPU engine: conv_kernel ${c.dConv} is not supported.`);
    if (c.mixers.includes('mamba') && c.dState > 256) throw new SambaError('gpu', `GPU engine: state_size ${c.dState} is above the supported 256. Use the CPU backend (samba.engine.backend "cpu") for this model.`);
    if (c.headDim > 256) throw new SambaError('gpu', `GPU engine: head_dim ${c.headDim} is above the supported 256.`);
    this.device.pushErrorScope('validation');
    this.device.pushErrorScope('out-of-memory');
    this.uploadWeights();
    const wgBytes = this.matvecU * 16 + 2 * 256 * 4;
    if (wgBytes > this.device.limits.maxComputeWorkgroupStorageSize) {
      throw new SambaError('gpu', `GPU engine: the model's widest matrix input (${this.matvecU * 4} values) needs ${wgBytes} bytes of workgroup memory for decoding, above this GPU's ${this.device.limits.maxComputeWorkgroupStorageSize}. Use the CPU backend (samba.engine.backend "cpu") for this model.`);
    }
    this.allocActivations();
    // Compile every kernel now so a shader problem surfaces at creation, not mid-generation.
    for (const k of ['embed', 'rmsnorm', 'rope', 'attention', 'kv_write', 'swiglu', 'attn_combine']) this.pipes.get(k);
    this.pipes.get('linear_tiled');
    // Greedy sampling's one workgroup, as wide as the device allows (up to 1024 threads).
    const wg = 2 ** Math.floor(Math.log2(Math.min(1024, this.device.limits.maxComputeInvocationsPerWorkgroup, this.device.limits.maxComputeWorkgroupSizeX)));
    this.argmax = this.pipes.get('argmax', { WG: wg });
    for (const W of this.matrices()) for (const blk of W.blocks) this.matvecPlan(blk, quadsOf(W), W.dtype);
    if (this.dtype === 'i8') this.pipes.get('linear_tiled', {}, 'i8');
    if (c.mixers.includes('mamba')) {
      for (const k of ['conv1d', 'conv_state', 'conv_step']) this.pipes.get(k);
      this.pipes.get('scan_step', this.scanStep);
      this.pipes.get('scan', this.scanConsts());
    }
    if (c.mixers.includes('attention') && c.headDim % 4 === 0) for (const k of ['attention_tiled', 'attention_decode']) this.pipes.get(k, { HD: c.headDim });
    const oom = await this.device.popErrorScope();
    const invalid = await this.device.popErrorScope();
    const smaller = this.dtype === 'f32' ? 'f16 weights' : this.dtype === 'f16' ? 'int8 weights (samba.engine.weights)' : 'a smaller model';
    if (oom) throw new SambaError('gpu', `Out of GPU memory while loading ${this.model.dir}: ${oom.message}. Close other GPU programs, or use ${smaller}${this.dtype === 'i8' ? '' : ' or a smaller model'}.`);
    if (invalid) throw new SambaError('gpu', `GPU engine setup failed: ${invalid.message}`);
  }

  private weight(name: string, parts: Tensor[], shapes: number[][], dtype: WeightDtype = this.dtype): GpuWeight {
    const w = uploadWeight(this.device, name, parts, shapes, dtype, this.maxBinding);
    this.matvecU = Math.max(this.matvecU, w.pairs / 2);
    return w;
  }

  private uploadWeights(): void {
    const c = this.model.config;
    const w = this.model.weights;
    const d = c.dModel;
    const dev = this.device;
    const unscaled = this.dtype === 'i8' ? 'f16' : this.dtype; // for the embedding and dt_proj (see src/model/quantize.ts)
    this.embed = this.weight('embed', [w.embed], [[c.vocabSize, d]], unscaled);
    this.lmHead = w.lmHead === w.embed ? this.embed : this.weight('lm_head', [w.lmHead], [[c.vocabSize, d]]);
    this.normF = uploadF32(dev, w.normF, [d]);
    if (c.mixers.includes('attention')) {
      // PyTorch: 1 / base ** (arange(0, hd, 2) / hd) in f32.
      const half = c.headDim / 2;
      const inv = new Float32Array(half);
      for (let i = 0; i < half; i++) inv[i] = 1 / Math.pow(c.ropeTheta, Math.fround((2 * i) / c.headDim));
      this.invFreq = uploadF32(dev, { name: 'rope.inv_freq', shape: [half], data: inv }, [half]);
    }
    this.layers = w.blocks.map((b, i) => {
      const norm1 = uploadF32(dev, b.norm1, [d]);
      let layer: Layer;
      if (b.mixer.kind === 'mamba') {
        const m = b.mixer.mamba;
        const Di = c.dInner, N = c.dState, R = c.dtRank, K = c.dConv;
        const A = new Float32Array(m.aLog.data.length);
        for (let k = 0; k < A.length; k++) A[k] = -Math.exp(m.aLog.data[k]);
        layer = {
          kind: 'mamba',
          norm1,
          inProj: this.weight(`layers.${i}.in_proj`, [m.inProj], [[2 * Di, d]]),
          inProjBias: m.inProjBias && uploadF32(dev, m.inProjBias, [2 * Di]),
          conv: uploadF32(dev, { name: m.convWeight.name, shape: [Di * K + Di], data: packConv(m.convWeight.data, m.convBias?.data, Di) }, [Di * K + Di]),
          xProj: this.weight(`layers.${i}.x_proj`, [m.xProj], [[R + 2 * N, Di]]),
          dtProj: this.weight(`layers.${i}.dt_proj`, [m.dtProj], [[Di, R]], unscaled),
          dtBias: uploadF32(dev, m.dtBias, [Di]),
          A: uploadF32(dev, { name: m.aLog.name, shape: m.aLog.shape, data: A }, [Di, N]),
          D: uploadF32(dev, m.d, [Di]),
          outProj: this.weight(`layers.${i}.out_proj`, [m.outProj], [[d, Di]]),
          outProjBias: m.outProjBias && uploadF32(dev, m.outProjBias, [d]),
        };
      } else {
        if (b.mixer.kind !== 'attention') throw new Error('unreachable');
        const a = b.mixer.attention;
        const H = c.nHead, G = c.nKvHead, hd = c.headDim;
        layer = {
          kind: 'attention',
          norm1,
          qkv: this.weight(`layers.${i}.qkv`, [a.qkv], [[(H + 2 * G) * hd, d]]),
          out: this.weight(`layers.${i}.out`, [a.out], [[d, H * hd]]),
        };
      }
      if (b.mlp && b.norm2) {
        const F = c.mlpHidden;
        layer.mlp = {
          norm2: uploadF32(dev, b.norm2, [d]),
          // gate and up stacked: one projection gives [T, 2F].
          gateUp: this.weight(`layers.${i}.mlp.gate_up`, [b.mlp.gate, b.mlp.up], [[F, d], [F, d]]),
          down: this.weight(`layers.${i}.mlp.down`, [b.mlp.down], [[d, F]]),
        };
      }
      return layer;
    });
  }

  private allocActivations(): void {
    const c = this.model.config;
    const C = this.chunk;
    const b = (floats: number, label: string) => {
      if (floats * 4 > this.deviceBinding) {
        throw new SambaError('gpu', `GPU engine: activation "${label}" (${floats * 4} bytes for a chunk of ${C} tokens) exceeds the storage binding limit; use a smaller chunk.`);
      }
      return createBuffer(this.device, floats * 4, label);
    };
    const qkvW = (c.nHead + 2 * c.nKvHead) * c.headDim;
    this.logitRows = Math.max(1, Math.min(C, Math.floor(this.deviceBinding / (c.vocabSize * 4))));
    this.act = {
      x: b(C * c.dModel, 'x'),
      xn: b(C * c.dModel, 'xn'),
      xz: b(C * 2 * c.dInner, 'xz'),
      xc: b(C * c.dInner, 'xc'),
      dbc: b(C * (c.dtRank + 2 * c.dState), 'dbc'),
      dt: b(C * c.dInner, 'dt'),
      y: b(C * c.dInner, 'y'),
      qkv: b(C * qkvW, 'qkv'),
      att: b(C * c.nHead * c.headDim, 'att'),
      gu: b(C * 2 * c.mlpHidden, 'gu'),
      h: b(C * c.mlpHidden, 'h'),
      logits: b(this.logitRows * c.vocabSize, 'logits'),
      tokens: b(C, 'tokens'),
      argmax: b(4, 'argmax'),
      dummy: b(4, 'dummy'),
      // The matvec's writable epilogue bindings when unused (two, as writable bindings must not alias).
      scratchA: b(4, 'scratch A'),
      scratchB: b(4, 'scratch B'),
      // Split-key attention partials (decode): T * nSplit <= MAX_SPLIT rows per head.
      attnPart: b(MAX_SPLIT * c.nHead * (c.headDim + 2), 'attnPart'),
    };
    this.staging = createBuffer(this.device, Math.ceil(c.vocabSize / 4) * 16, 'staging', GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  // ---- recording helpers ----

  /**
   * y[t, :] (+)= W u[t, :] (+ bias), every row block of W, where u is x (row t at t*xStride + xOff),
   * RMSNorm(x) with weight `norm`, or SwiGLU of x = [gate | up] (`swiglu`: x rows are 2 * W.cols).
   * Decoding (T <= 4) fuses the norm or SwiGLU into the matvec; prompts run it first, into
   * act.xn or act.h, and then the tiled matrix product.
   */
  private linear(W: GpuWeight, x: GPUBuffer, y: GPUBuffer, T: number, o: { xStride?: number; xOff?: number; accumulate?: boolean; bias?: GpuTensor; norm?: GpuTensor; swiglu?: boolean; conv?: ConvEpilogue; rope?: RopeEpilogue } = {}): void {
    let xStride = o.xStride ?? (o.swiglu ? 2 * W.cols : W.cols);
    const rest = [W.rows, 0, o.accumulate ? 1 : 0, o.bias ? 1 : 0]; // y rows of W.rows, from 0
    if ((o.conv && T !== 1) || (o.rope && (T > 4 || W.blocks.length !== 1))) throw new Error('linear: an epilogue outside decoding');
    if (T <= 4) {
      const c = this.model.config;
      const a = this.act;
      const prologue = o.norm ? 1 : o.swiglu ? 2 : 0;
      const r = o.rope;
      const epilogue = [o.conv ? 1 : r ? 2 : 0, c.dInner, c.dConv, r?.pos0 ?? 0, c.nHead, c.nKvHead, c.headDim, r?.cap ?? 1, r?.writeCache ? 1 : 0];
      const tables = o.conv ? [o.conv.params.buffer, o.conv.state, a.scratchB] : r ? [this.invFreq!.buffer, r.k, r.v] : [a.dummy, a.scratchA, a.scratchB];
      const quads = quadsOf(W);
      for (const blk of W.blocks) {
        const plan = this.matvecPlan(blk, quads, W.dtype);
        this.rec.dispatch(
          plan.pipeline,
          [T, W.cols, quads, blk.rows, blk.rowStart, xStride, o.xOff ?? 0, ...rest, prologue, f(c.normEps), ...epilogue],
          [x, blk.buffer, o.bias?.buffer ?? a.dummy, o.norm?.buffer ?? a.dummy, y, ...tables, ...(blk.scales ? [blk.scales] : [])],
          [plan.gx, plan.gy, T],
        );
      }
      return;
    }
    if (o.norm || o.swiglu) {
      if (o.xOff || o.xStride) throw new Error('linear: a fused norm or SwiGLU reads whole rows');
      const c = this.model.config;
      if (o.norm) this.rec.dispatch(this.pipes.get('rmsnorm'), [T, c.dModel, f(c.normEps)], [x, o.norm.buffer, this.act.xn], [T]);
      else this.rec.dispatch(this.pipes.get('swiglu'), [T, W.cols], [x, this.act.h], [Math.ceil(W.cols / 64), T]);
      x = o.norm ? this.act.xn : this.act.h;
      xStride = W.cols;
    }
    for (const blk of W.blocks) {
      const params = [T, W.cols, W.pairs, blk.rows, blk.rowStart, xStride, o.xOff ?? 0, ...rest];
      this.rec.dispatch(this.pipes.get('linear_tiled', {}, W.dtype), params, [x, blk.buffer, o.bias?.buffer ?? this.act.dummy, y, ...(blk.scales ? [blk.scales] : [])], [Math.ceil(blk.rows / 128), Math.ceil(T / 128)]);
    }
  }


  /** Every matrix the decoding matvec reads. */
  private matrices(): GpuWeight[] {
    const out = [this.lmHead];
    for (const L of this.layers) {
      out.push(...(L.kind === 'mamba' ? [L.inProj, L.xProj, L.dtProj, L.outProj] : [L.qkv, L.out]));
      if (L.mlp) out.push(L.mlp.gateUp, L.mlp.down);
    }
    return out;
  }

  /** The matvec pipeline and grid of one weight block, chosen once (decoding asks for it every token). */
  private matvecPlan(blk: WeightBlock, quads: number, dtype: WeightDtype): { pipeline: GPUComputePipeline; gx: number; gy: number } {
    let plan = this.matvecPlans.get(blk);
    if (!plan) {
      const WG = this.matvecWG;
      const lanes = matvecLanes(blk.rows, quads, this.matvecGroups, WG);
      const blocks = Math.ceil(blk.rows / ((2 * WG) / lanes));
      const groups = Math.min(blocks, this.matvecMaxGroups);
      const gx = Math.min(groups, 65535);
      const consts = { WG, LANES: lanes, QPL: Math.ceil(quads / lanes), UQ: this.matvecU, XPT: Math.ceil((QUAD_ELEMENTS[dtype] * quads) / WG) };
      plan = { pipeline: this.pipes.get('matvec', consts, dtype), gx, gy: Math.ceil(groups / gx) };
      this.matvecPlans.set(blk, plan);
    }
    return plan;
  }

  private mlp(L: Layer, T: number): void {
    if (!L.mlp) return;
    const a = this.act;
    this.linear(L.mlp.gateUp, a.x, a.gu, T, { norm: L.mlp.norm2 });
    this.linear(L.mlp.down, a.gu, a.x, T, { swiglu: true, accumulate: true });
  }

  /** Scan kernel constants: state size, and channels per workgroup (about 128 threads). */
  private scanConsts(): { NS: number; CH: number } {
    const N = this.model.config.dState;
    return { NS: N, CH: Math.max(1, Math.floor(128 / N)) };
  }

  /** Records the forward of T tokens (already in act.tokens) at state.position. */
  private recordForward(state: GpuState, T: number, logits: 'none' | 'last' | 'all'): void {
    const c = this.model.config;
    const a = this.act;
    const d = c.dModel;
    const pos0 = state.position;
    const ep = this.pipes.get('embed');
    for (const blk of this.embed.blocks) {
      this.rec.dispatch(ep, [T, d, this.embed.pairs, blk.rowStart, blk.rows], [a.tokens, blk.buffer, a.x], [Math.ceil(this.embed.pairs / 64), T]);
    }
    this.layers.forEach((L, i) => {
      const S = state.layers[i];
      if (L.kind === 'mamba' && S.kind === 'mamba') {
        const Di = c.dInner, R = c.dtRank, N = c.dState;
        if (T === 1 && L.dtProj.blocks.length === 1) {
          // One token: in_proj's epilogue runs the conv (x's half of xz becomes the conv output and
          // the conv state shifts), then x_proj and the one-token scan read it there.
          this.linear(L.inProj, a.x, a.xz, T, { bias: L.inProjBias, norm: L.norm1, conv: { params: L.conv, state: S.conv } });
          this.linear(L.xProj, a.xz, a.dbc, T);
          const sc = this.scanStep;
          this.rec.dispatch(this.pipes.get('scan_step', sc), [Di, N, R, L.dtProj.pairs, 2 * Di], [a.xz, a.dbc, L.dtProj.blocks[0].buffer, L.dtBias.buffer, L.A.buffer, L.D.buffer, a.xz, S.ssm, a.y], [Math.ceil(Di / sc.CH)]);
        } else {
          this.linear(L.inProj, a.x, a.xz, T, { bias: L.inProjBias, norm: L.norm1 });
          if (T <= 4) {
            this.rec.dispatch(this.pipes.get('conv_step'), [T, Di, c.dConv, 2 * Di], [a.xz, L.conv.buffer, S.conv, a.xc], [Math.ceil(Di / 64)]);
          } else {
            this.rec.dispatch(this.pipes.get('conv1d'), [T, Di, c.dConv, 2 * Di], [a.xz, L.conv.buffer, S.conv, a.xc], [Math.ceil(Di / 64), T]);
            this.rec.dispatch(this.pipes.get('conv_state'), [T, Di, c.dConv, 2 * Di], [a.xz, S.conv], [Math.ceil(Di / 64)]);
          }
          this.linear(L.xProj, a.xc, a.dbc, T);
          this.linear(L.dtProj, a.dbc, a.dt, T, { xStride: R + 2 * N, bias: L.dtBias });
          const sc = this.scanConsts();
          this.rec.dispatch(this.pipes.get('scan', sc), [T, Di, R, R + 2 * N, 2 * Di], [a.xc, a.dbc, a.dt, L.A.buffer, L.D.buffer, a.xz, S.ssm, a.y], [Math.ceil(Di / sc.CH)]);
        }
        this.linear(L.outProj, a.y, a.x, T, { accumulate: true, bias: L.outProjBias });
      } else if (L.kind === 'attention' && S.kind === 'attention') {
        const H = c.nHead, G = c.nKvHead, hd = c.headDim;
        const stride = (H + 2 * G) * hd;
        const cap = state.capacity;
        const window = Number.isFinite(c.window) ? Math.min(c.window, cap) : cap;
        // Decoding: the qkv matvec rotates, and for one token writes the key and value to the cache
        // (a few tokens write after attention: a later one may take a slot an earlier one still reads).
        const ropeInMatvec = T <= 4 && L.qkv.blocks.length === 1;
        const cacheWritten = ropeInMatvec && T === 1;
        if (ropeInMatvec) {
          this.linear(L.qkv, a.x, a.qkv, T, { norm: L.norm1, rope: { pos0, cap, writeCache: cacheWritten, k: S.k, v: S.v } });
        } else {
          this.linear(L.qkv, a.x, a.qkv, T, { norm: L.norm1 });
          this.rec.dispatch(this.pipes.get('rope'), [T, H + G, hd, pos0, stride], [this.invFreq!.buffer, a.qkv], [Math.ceil(hd / 2 / 64), H + G, T]);
        }
        const scale = f(1 / Math.sqrt(hd));
        if (hd % 4 !== 0) {
          // Head dims not a multiple of 4 (no vec4 loads): the scalar kernel, one workgroup per (head, query), no split.
          this.rec.dispatch(this.pipes.get('attention'), [T, H, G, hd, pos0, cap, window, stride, scale, 1, window], [a.qkv, S.k, S.v, a.att, a.attnPart], [H, T, 1]);
        } else if (T > 4) {
          // Prompts: flash-attention tiles of 64 queries x 64 keys; grid (head, query tile), last tile first.
          this.rec.dispatch(this.pipes.get('attention_tiled', { HD: hd }), [T, H, G, hd, pos0, cap, window, stride, scale], [a.qkv, S.k, S.v, a.att], [H, Math.ceil(T / 64)]);
        } else {
          // Few queries (decoding): one workgroup per (KV head, group of up to 4 of its query heads, key split, query)
          // reads each key once for the group; about 4 workgroups per SM of an H100 (132 SMs) stream the cache, then merge.
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
          this.rec.dispatch(this.pipes.get('attention_decode', { HD: hd }), [T, H, G, hd, pos0, cap, window, stride, scale, nSplit, splitLen, R], [a.qkv, S.k, S.v, a.att, a.attnPart], [G * Math.ceil(R / 4), nSplit, T]);
          if (nSplit > 1) this.rec.dispatch(this.pipes.get('attn_combine'), [T, H, hd, nSplit], [a.attnPart, a.att], [H, T]);
        }
        if (!cacheWritten) this.rec.dispatch(this.pipes.get('kv_write'), [T, H, G * hd, hd, pos0, cap, stride], [a.qkv, S.k, S.v], [Math.ceil((G * hd) / 64), T]);
        this.linear(L.out, a.att, a.x, T, { accumulate: true });
      } else {
        throw new SambaError('state', `Layer ${i}: the state does not match the model's mixer.`);
      }
      this.mlp(L, T);
    });
    if (logits === 'last') {
      this.linear(this.lmHead, a.x, a.logits, 1, { norm: this.normF, xOff: (T - 1) * d });
    } else if (logits === 'all') {
      this.linear(this.lmHead, a.x, a.logits, T, { norm: this.normF });
    }
  }

  private async read(src: GPUBuffer, bytes: number, offset = 0): Promise<ArrayBuffer> {
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    // One logits row or less (every decoding step): the engine's own staging buffer, kept.
    const reuse = size <= this.staging.size && !this.stagingBusy;
    const staging = reuse ? this.staging : createBuffer(this.device, size, 'read-back', GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    if (reuse) this.stagingBusy = true;
    try {
      this.alive();
      this.rec.copy(src, offset, staging, 0, size);
      this.rec.submit();
      try {
        await staging.mapAsync(GPUMapMode.READ, 0, size);
      } catch (e) {
        // A lost device rejects pending maps (often with no message) before device.lost settles.
        await Promise.race([this.lost, new Promise((r) => setTimeout(r, 200))]);
        this.alive();
        throw new SambaError('gpu', `GPU read-back failed on ${this.deviceName}: ${(e as Error)?.message || String(e) || 'mapAsync was rejected'}.`);
      }
      this.alive();
      this.checkError();
      const out = staging.getMappedRange(0, size).slice(0, bytes);
      staging.unmap();
      return out;
    } finally {
      if (reuse) this.stagingBusy = false;
      else staging.destroy();
    }
  }

  private checkError(): void {
    if (this.gpuError) {
      const m = this.gpuError;
      this.gpuError = undefined;
      throw new SambaError('gpu', `GPU error: ${m}`);
    }
  }

  private own(state: EngineState): GpuState {
    this.alive();
    if (!(state instanceof GpuState) || state.owner !== this) {
      throw new SambaError('state', 'This state was not created by this GPU engine; use engine.upload(download(...)) to move states between engines.');
    }
    if (state.released) throw new SambaError('state', 'This state was released; take a snapshot before releasing if it is still needed.');
    return state;
  }

  // ---- Engine ----

  newState(options?: { capacity?: number }): EngineState {
    this.alive();
    const c = this.model.config;
    const cap = attentionCapacity(c, options?.capacity);
    if (c.mixers.includes('attention') && (!Number.isInteger(cap) || cap < 1)) throw new SambaError('state', `KV capacity must be a positive integer, got ${cap}.`);
    const kvBytes = cap * c.nKvHead * c.headDim * 4;
    if (kvBytes > this.deviceBinding) throw new SambaError('state', `A KV capacity of ${cap} needs ${kvBytes} bytes per layer, above the GPU's binding limit (${this.deviceBinding}). Use a smaller capacity.`);
    // Out of memory shows up asynchronously: the scope's verdict is checked before the state's first use.
    this.device.pushErrorScope('validation');
    this.device.pushErrorScope('out-of-memory');
    const layers = c.mixers.map((kind, i): LayerBuffers =>
      kind === 'mamba'
        ? { kind, conv: createBuffer(this.device, (c.dConv - 1) * c.dInner * 4, `conv${i}`), ssm: createBuffer(this.device, c.dInner * c.dState * 4, `ssm${i}`) }
        : { kind, k: createBuffer(this.device, kvBytes, `k${i}`), v: createBuffer(this.device, kvBytes, `v${i}`) },
    );
    const oom = this.device.popErrorScope();
    const invalid = this.device.popErrorScope();
    const s = new GpuState(this, 0, cap, layers);
    s.alloc = Promise.all([oom, invalid]).then(
      ([o, v]) => o?.message ?? v?.message,
      (e: Error) => e?.message ?? 'error scope failed',
    );
    const pending = s.alloc;
    this.scopes.add(pending);
    void pending.finally(() => this.scopes.delete(pending));
    return s;
  }

  async prefill(tokens: ArrayLike<number>, state: EngineState, options: PrefillOptions = {}): Promise<Float32Array> {
    const s = this.own(state);
    checkTokens(this.model, tokens);
    const n = tokens.length;
    if (n === 0) throw new SambaError('token-range', 'prefill needs at least one token.');
    checkCapacity(this.model, s.position, n, s.capacity);
    await this.allocated(s);
    const V = this.model.config.vocabSize;
    const all = options.allLogits === true;
    const chunk = all ? this.logitRows : this.chunk;
    const out = new Float32Array(all ? n * V : V);
    const ids = Uint32Array.from(tokens);
    for (let t0 = 0; t0 < n; t0 += chunk) {
      const T = Math.min(chunk, n - t0);
      const last = t0 + T === n;
      this.alive();
      this.device.queue.writeBuffer(this.act.tokens, 0, ids, t0, T);
      this.recordForward(s, T, all ? 'all' : last ? 'last' : 'none');
      s.position += T;
      if (all) out.set(new Float32Array(await this.read(this.act.logits, T * V * 4)), t0 * V);
      else if (last) out.set(new Float32Array(await this.read(this.act.logits, V * 4)));
      else this.rec.submit();
    }
    return out;
  }

  async step(token: number, state: EngineState): Promise<Float32Array> {
    return this.prefill([token], state);
  }

  async stepArgmax(token: number, state: EngineState): Promise<number> {
    const s = this.own(state);
    checkTokens(this.model, [token]);
    checkCapacity(this.model, s.position, 1, s.capacity);
    await this.allocated(s);
    this.device.queue.writeBuffer(this.act.tokens, 0, Uint32Array.of(token));
    this.recordForward(s, 1, 'last');
    s.position += 1;
    this.rec.dispatch(this.argmax, [this.model.config.vocabSize, 0, 0], [this.act.logits, this.act.argmax, this.act.dummy], [1]);
    return new Uint32Array(await this.read(this.act.argmax, 4))[0];
  }

  async greedy(token: number, count: number, state: EngineState): Promise<number[]> {
    const s = this.own(state);
    checkTokens(this.model, [token]);
    if (!Number.isInteger(count) || count < 1) throw new SambaError('token-range', `greedy needs a positive count, got ${count}.`);
    checkCapacity(this.model, s.position, count, s.capacity);
    await this.allocated(s);
    const ids = createBuffer(this.device, count * 4, 'greedy ids');
    try {
      this.device.queue.writeBuffer(this.act.tokens, 0, Uint32Array.of(token));
      // Each step: forward, then argmax into act.tokens (the next step's token) and ids[i].
      for (let i = 0; i < count; i++) {
        this.alive();
        this.recordForward(s, 1, 'last');
        s.position += 1;
        this.rec.dispatch(this.argmax, [this.model.config.vocabSize, 0, i], [this.act.logits, this.act.tokens, ids], [1]);
        this.rec.submit();
      }
      return Array.from(new Uint32Array(await this.read(ids, count * 4)));
    } finally {
      ids.destroy();
    }
  }

  snapshot(state: EngineState): EngineState {
    const s = this.own(state);
    const copy = this.newState({ capacity: s.capacity }) as GpuState;
    this.restore(copy, s);
    return copy;
  }

  restore(target: EngineState, source: EngineState): void {
    const t = this.own(target);
    const s = this.own(source);
    if (t.capacity !== s.capacity && this.model.config.mixers.includes('attention')) {
      throw new SambaError('state', `Cannot restore a state of KV capacity ${s.capacity} into one of capacity ${t.capacity}.`);
    }
    s.layers.forEach((l, i) => {
      const d = t.layers[i];
      if (l.kind === 'mamba' && d.kind === 'mamba') {
        this.rec.copy(l.conv, 0, d.conv, 0, l.conv.size);
        this.rec.copy(l.ssm, 0, d.ssm, 0, l.ssm.size);
      } else if (l.kind === 'attention' && d.kind === 'attention') {
        this.rec.copy(l.k, 0, d.k, 0, l.k.size);
        this.rec.copy(l.v, 0, d.v, 0, l.v.size);
      }
    });
    this.rec.submit();
    t.position = s.position;
  }

  release(state: EngineState): void {
    // Freeing never fails: after a device loss the session still releases what it held.
    if (!(state instanceof GpuState) || state.owner !== this) this.own(state);
    const s = state as GpuState;
    if (s.released) return;
    for (const l of s.layers) for (const b of l.kind === 'mamba' ? [l.conv, l.ssm] : [l.k, l.v]) b.destroy();
    s.released = true;
  }

  async download(state: EngineState): Promise<StateData> {
    const s = this.own(state);
    await this.allocated(s);
    const c = this.model.config;
    const layers: LayerState[] = [];
    for (const l of s.layers) {
      if (l.kind === 'mamba') {
        const conv = new Float32Array(await this.read(l.conv, (c.dConv - 1) * c.dInner * 4));
        const ssm = new Float32Array(await this.read(l.ssm, c.dInner * c.dState * 4));
        layers.push({ kind: 'mamba', conv, ssm });
      } else {
        const n = s.capacity * c.nKvHead * c.headDim * 4;
        layers.push({ kind: 'attention', capacity: s.capacity, k: new Float32Array(await this.read(l.k, n)), v: new Float32Array(await this.read(l.v, n)) });
      }
    }
    return { position: s.position, layers };
  }

  upload(data: StateData): EngineState {
    const c = this.model.config;
    const bad = (what: string) => new SambaError('state', `This state does not fit the model in ${this.model.dir}: ${what}.`);
    if (data.layers.length !== c.nLayer) throw bad(`${data.layers.length} layers, the model has ${c.nLayer}`);
    const cap = data.layers.find((l) => l.kind === 'attention')?.capacity;
    const s = this.own(this.newState({ capacity: cap }));
    const kvDim = c.nKvHead * c.headDim;
    data.layers.forEach((l, i) => {
      const d = s.layers[i];
      if (l.kind !== c.mixers[i] || l.kind !== d.kind) throw bad(`layer ${i} is ${l.kind}, the model has ${c.mixers[i]}`);
      const put = (buf: GPUBuffer, a: Float32Array, n: number, what: string) => {
        if (a.length !== n) throw bad(`layer ${i} ${what} has ${a.length} values, expected ${n}`);
        this.device.queue.writeBuffer(buf, 0, a.buffer, a.byteOffset, a.byteLength);
      };
      if (l.kind === 'mamba' && d.kind === 'mamba') {
        put(d.conv, l.conv, (c.dConv - 1) * c.dInner, 'conv');
        put(d.ssm, l.ssm, c.dInner * c.dState, 'ssm');
      } else if (l.kind === 'attention' && d.kind === 'attention') {
        if (l.capacity !== s.capacity) throw bad(`layer ${i} has capacity ${l.capacity}, another layer ${s.capacity}`);
        put(d.k, l.k, s.capacity * kvDim, 'k');
        put(d.v, l.v, s.capacity * kvDim, 'v');
      }
    });
    if (!Number.isInteger(data.position) || data.position < 0) throw bad(`position ${data.position}`);
    s.position = data.position;
    return s;
  }

  dispose(): Promise<void> {
    if (this.disposed) return this.closed;
    this.disposed = true;
    this.rec.dispose();
    this.staging.destroy();
    // Dawn aborts the whole process if a device goes while an error scope's promise is unsettled
    // (seen in CI), so the device is destroyed once every state's allocation check has answered.
    this.closed = Promise.allSettled([...this.scopes]).then(() => this.device.destroy());
    return this.closed;
  }

  /** Settles once dispose() has destroyed the device. */
  private closed: Promise<void> = Promise.resolve();
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

/** Weights per quad, the decoding matvec's 16-byte load (QE in the weight preambles). */
const QUAD_ELEMENTS: Record<WeightDtype, number> = { f32: 8, f16: 8, i8: 16 };

/** Quads per row of W. */
function quadsOf(W: GpuWeight): number {
  return (2 * W.pairs) / QUAD_ELEMENTS[W.dtype];
}

/** Conv weights [Di, K] and bias [Di] in one array, as the conv kernels read them. */
function packConv(weight: Float32Array, bias: Float32Array | undefined, Di: number): Float32Array {
  const out = new Float32Array(weight.length + Di);
  out.set(weight);
  if (bias) out.set(bias, weight.length);
  return out;
}

/** Bytes of one state on the device. */
function stateBytes(c: Model['config'], capacity: number): number {
  return c.mixers.reduce((n, kind) => n + (kind === 'mamba' ? ((c.dConv - 1) * c.dInner + c.dInner * c.dState) * 4 : 2 * capacity * c.nKvHead * c.headDim * 4), 0);
}
