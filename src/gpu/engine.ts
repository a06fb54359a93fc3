/**
 * The WebGPU engine: a Samba forward pass recorded as WGSL dispatches (src/gpu/ops.ts, one
 * function per kernel in kernels/), with the weights (src/gpu/weights.ts), the states
 * (src/gpu/state.ts), the working buffers (src/gpu/activations.ts) and the device's loss and
 * read-back (src/gpu/watch.ts) in files of their own.
 *
 * Shape names, as in the kernels and src/model/config.ts:
 *   T   tokens in this forward (a prefill chunk; 1-4 when decoding)
 *   d   model width (hidden_size)          V   vocabulary size
 *   Di  Mamba's inner width (expand * d)   N   Mamba's state size per channel (state_size)
 *   R   dt_proj's rank (time_step_rank)    K   conv taps (conv_kernel)
 *   H   query heads   G   key/value heads (GQA)   hd  head dim   F   MLP hidden width
 *   cap KV slots of a state (the window for sliding-window attention)
 * A Mamba layer's state is conv [K-1, Di] and h [Di, N]; an attention layer's, K and V caches
 * [cap, G*hd] (src/engine/state.ts).
 */
import { SambaError } from '../model/errors';
import type { Model } from '../model/weights';
import { checkCapacity, checkStatesAt, checkTokens, type Engine, type EngineState, type PrefillOptions, type ReadOptions } from '../engine/engine';
import type { StateData } from '../engine/state';
import { allocActivations, type Activations } from './activations';
import { acquireGpu, releaseGpu, type GpuContext } from './device';
import { PipelineCache, type WeightDtype } from './kernels';
import { Ops, pickMatmul, type MatmulKernel } from './ops';
import { Recorder } from './recorder';
import { GpuStates, type GpuState } from './state';
import { DeviceWatch } from './watch';
import { createBuffer } from './tensor';
import { matrices, uploadModel, type GpuModel } from './weights';

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
  /** The prompt matrix product's kernel (default: by adapter, see pickMatmul in src/gpu/ops.ts); for benches and tests. */
  readonly matmul?: MatmulKernel;
}

/** The GPU engine, with greedy decoding on the device as an extra. */
export interface GpuEngine extends Engine {
  readonly backend: 'gpu';
  readonly deviceName: string;
  /** Runs on a software adapter (lavapipe): see src/backend/decoder.ts. */
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

/** A state taken inside a prompt chunk: it becomes the state after the chunk's first r tokens. */
type Stop = { readonly r: number; readonly state: GpuState };

/** Most states one chunk of Engine.read takes from inside its pass (the scan's hOut rows). */
const MAX_STOPS = 32;

class WebGpuEngine implements GpuEngine {
  readonly backend = 'gpu' as const;
  readonly deviceName: string;
  readonly software: boolean;
  readonly lost: Promise<string>;
  private readonly device: GPUDevice;
  private readonly dtype: WeightDtype;
  /** Binding limit for weights (the option can lower it to force row blocks). */
  private readonly maxBinding: number;
  /** The device's binding limit, for activations and state. */
  private readonly deviceBinding: number;
  private readonly chunk: number;
  private readonly pipes: PipelineCache;
  private readonly rec: Recorder;
  private readonly states: GpuStates;
  private readonly f16: boolean;
  private w!: GpuModel;
  private ops!: Ops;
  private act!: Activations;
  /** Tokens whose logits fit one logits buffer (and one binding). */
  private logitRows = 1;
  private readonly watch: DeviceWatch;
  private disposed = false;
  /** Engine.read's stops of one chunk (u32 token offsets) and the scan's states there [MAX_STOPS, Di, N]; made on first use. */
  private stopAt: GPUBuffer | undefined;
  private stopH: GPUBuffer | undefined;
  /** Settles once dispose() has destroyed the device. */
  private closed: Promise<void> = Promise.resolve();

  constructor(
    readonly model: Model,
    ctx: GpuContext,
    private readonly options: GpuEngineOptions,
  ) {
    this.device = ctx.device;
    this.deviceName = ctx.adapterName;
    this.software = ctx.software;
    this.f16 = ctx.f16;
    this.dtype = options.weights ?? 'f32';
    if (!['f32', 'f16', 'i8'].includes(this.dtype)) throw new SambaError('gpu', `GPU engine: weights must be "f32", "f16" or "i8", got ${JSON.stringify(this.dtype)}.`);
    this.deviceBinding = ctx.maxBinding;
    this.maxBinding = Math.min(ctx.maxBinding, options.maxBindingBytes ?? Infinity);
    this.chunk = Math.max(1, Math.floor(options.chunk ?? 2048));
    // int8 is for the matrix kernels; the embedding and dt_proj (read by their own kernels) stay f16.
    this.pipes = new PipelineCache(this.device, this.dtype === 'i8' ? 'f16' : this.dtype);
    this.rec = new Recorder(this.device);
    this.watch = new DeviceWatch(this.device, this.deviceName, this.rec, Math.ceil(model.config.vocabSize / 4) * 16);
    this.lost = this.watch.lost;
    this.states = new GpuStates(this.device, model, this.rec, this.deviceBinding, this.deviceName, () => this.watch.alive(), (src, bytes) => this.watch.read(src, bytes));
  }

  get gpuDevice(): GPUDevice {
    return this.device;
  }

  async init(): Promise<void> {
    const c = this.model.config;
    const limits = this.device.limits;
    if (c.dConv < 1 || c.dConv > 64) throw new SambaError('gpu', `GPU engine: conv_kernel ${c.dConv} is not supported.`);
    if (c.mixers.includes('mamba') && c.dState > 256) throw new SambaError('gpu', `GPU engine: state_size ${c.dState} is above the supported 256. Use the CPU backend (samba.engine.backend "cpu") for this model.`);
    if (c.headDim > 256) throw new SambaError('gpu', `GPU engine: head_dim ${c.headDim} is above the supported 256.`);
    this.device.pushErrorScope('validation');
    this.device.pushErrorScope('out-of-memory');
    this.w = uploadModel(this.device, this.model, this.dtype, this.maxBinding);
    const U = this.w.widestInputVec4s;
    const wgBytes = U * 16 + 2 * 256 * 4;
    if (wgBytes > limits.maxComputeWorkgroupStorageSize) {
      throw new SambaError('gpu', `GPU engine: the model's widest matrix input (${U * 4} values) needs ${wgBytes} bytes of workgroup memory for decoding, above this GPU's ${limits.maxComputeWorkgroupStorageSize}. Use the CPU backend (samba.engine.backend "cpu") for this model.`);
    }
    ({ act: this.act, logitRows: this.logitRows } = allocActivations(this.device, c, this.chunk, this.deviceBinding));
    const o = this.options;
    const software = this.software;
    const tuning = {
      // Fewest row blocks and most workgroups of a decoding matvec: enough to fill a GPU's cores;
      // on a software adapter, where each workgroup builds the input row again, few (bench/RESULTS.md).
      minGroups: o.matvecGroups ?? (software ? 1 : 256),
      maxGroups: o.matvecMaxGroups ?? (software ? 4 : 264),
      workgroup: o.matvecWorkgroup ?? 256,
      inputVec4s: U,
    };
    this.ops = new Ops(this.rec, this.pipes, c, this.act, tuning, Math.max(1, Math.floor(o.splitKeys ?? 64)), limits, pickMatmul(o.matmul, software, this.f16, limits.maxComputeWorkgroupStorageSize));
    this.ops.compileAll(matrices(this.w), this.dtype === 'i8');
    const oom = await this.device.popErrorScope();
    const invalid = await this.device.popErrorScope();
    const smaller = this.dtype === 'f32' ? 'f16 weights' : this.dtype === 'f16' ? 'int8 weights (samba.engine.weights)' : 'a smaller model';
    if (oom) throw new SambaError('gpu', `Out of GPU memory while loading ${this.model.dir}: ${oom.message}. Close other GPU programs, or use ${smaller}${this.dtype === 'i8' ? '' : ' or a smaller model'}.`);
    if (invalid) throw new SambaError('gpu', `GPU engine setup failed: ${invalid.message}`);
  }

  /**
   * Records the forward of T tokens (already in act.tokens) at state.position, as llama2.c's
   * forward(). `stops` (T > 4, each r in 1..T-1, their offsets already in stopAt) are states that
   * become the state after the chunk's first r tokens: each layer writes them from inside the pass.
   */
  private recordForward(state: GpuState, T: number, logits: 'none' | 'last' | 'all', stops: readonly Stop[] = []): void {
    const c = this.model.config;
    const { ops, act: a, w, rec } = this;
    const pos0 = state.position;
    if (stops.length && (T <= 4 || stops.some((p) => p.r < 1 || p.r >= T))) throw new Error('recordForward: stops inside a prompt chunk only');
    const Di = c.dInner, K = c.dConv;
    ops.embed(T, w.embed, a.tokens, a.x);
    w.layers.forEach((L, i) => {
      const S = state.layers[i];
      if (L.kind !== S.kind) throw new SambaError('state', `Layer ${i}: the state does not match the model's mixer.`);
      if (L.kind === 'mamba') {
        const [conv, h] = S.buffers;
        if (T === 1 && L.dtProj.blocks.length === 1) {
          // One token: in_proj's epilogue runs the conv (x's half of xz becomes the conv output and
          // the conv state shifts), then x_proj and the one-token scan (with dt_proj) read it there.
          ops.linear(L.inProj, a.x, a.xz, T, { bias: L.inProjBias, norm: L.norm1, conv: { params: L.conv, state: conv } });
          ops.linear(L.xProj, a.xz, a.dbc, T, {});
          ops.scanStep(L, a.xz, a.dbc, a.xz, h, a.y);
        } else {
          ops.linear(L.inProj, a.x, a.xz, T, { bias: L.inProjBias, norm: L.norm1 }, a.xn);
          // A stop's conv state: the K-1 inputs before it, from this chunk's x (xz rows) or the state's older ones.
          for (const { r, state: st } of stops) {
            for (let j = 0; j < K - 1; j++) {
              const q = r - (K - 1) + j; // chunk row of the input
              if (q >= 0) rec.copy(a.xz, q * 2 * Di * 4, st.layers[i].buffers[0], j * Di * 4, Di * 4);
              else rec.copy(conv, (q + K - 1) * Di * 4, st.layers[i].buffers[0], j * Di * 4, Di * 4);
            }
          }
          if (T <= 4) ops.convStep(T, a.xz, L.conv, conv, a.xc);
          else ops.conv(T, a.xz, L.conv, conv, a.xc);
          ops.linear(L.xProj, a.xc, a.dbc, T, {});
          ops.linear(L.dtProj, a.dbc, a.dt, T, { xStride: c.dtRank + 2 * c.dState, bias: L.dtBias });
          ops.scan(T, L, a.xc, a.dbc, a.dt, a.xz, h, a.y, stops.length ? { count: stops.length, at: this.stopAt!, hOut: this.stopH! } : undefined);
          const hBytes = Di * c.dState * 4;
          stops.forEach(({ state: st }, k) => rec.copy(this.stopH!, k * hBytes, st.layers[i].buffers[1], 0, hBytes));
        }
        ops.linear(L.outProj, a.y, a.x, T, { accumulate: true, bias: L.outProjBias });
      } else {
        const [k, v] = S.buffers;
        const cap = state.capacity;
        const window = Number.isFinite(c.window) ? Math.min(c.window, cap) : cap;
        // Decoding: the qkv matvec rotates, and for one token writes the key and value to the cache
        // (a few tokens write after attention: a later one may take a slot an earlier one still reads).
        const ropeInMatvec = T <= 4 && L.qkv.blocks.length === 1;
        const cacheWritten = ropeInMatvec && T === 1;
        if (ropeInMatvec) {
          ops.linear(L.qkv, a.x, a.qkv, T, { norm: L.norm1, rope: { invFreq: w.invFreq!, pos0, cap, writeCache: cacheWritten, k, v } });
        } else {
          ops.linear(L.qkv, a.x, a.qkv, T, { norm: L.norm1 }, a.xn);
          ops.rope(T, pos0, w.invFreq!, a.qkv);
        }
        ops.attention(T, pos0, cap, window, a.qkv, k, v, a.att, a.attnPart);
        // A stop's keys and values: the cache before this chunk with its first r keys written.
        for (const { r, state: st } of stops) {
          const [sk, sv] = st.layers[i].buffers;
          rec.copy(k, 0, sk, 0, k.size);
          rec.copy(v, 0, sv, 0, v.size);
          ops.kvWrite(r, pos0, cap, a.qkv, sk, sv);
        }
        if (!cacheWritten) ops.kvWrite(T, pos0, cap, a.qkv, k, v);
        ops.linear(L.out, a.att, a.x, T, { accumulate: true });
      }
      if (L.mlp) {
        ops.linear(L.mlp.gateUp, a.x, a.gu, T, { norm: L.mlp.norm2 }, a.xn);
        ops.linear(L.mlp.down, a.gu, a.x, T, { swiglu: true, accumulate: true }, a.h);
      }
    });
    if (logits === 'last') ops.linear(w.lmHead, a.x, a.logits, 1, { norm: w.normF, xOff: (T - 1) * c.dModel });
    else if (logits === 'all') ops.linear(w.lmHead, a.x, a.logits, T, { norm: w.normF }, a.xn);
  }

  // ---- Engine ----

  newState(options?: { capacity?: number }): EngineState {
    return this.states.create(options?.capacity);
  }

  async prefill(tokens: ArrayLike<number>, state: EngineState, options: PrefillOptions = {}): Promise<Float32Array> {
    const s = this.states.own(state);
    checkTokens(this.model, tokens);
    const n = tokens.length;
    if (n === 0) throw new SambaError('token-range', 'prefill needs at least one token.');
    checkCapacity(this.model, s.position, n, s.capacity);
    await this.states.ready(s);
    const V = this.model.config.vocabSize;
    const all = options.allLogits === true;
    const none = options.noLogits === true && !all;
    const chunk = all ? this.logitRows : this.chunk;
    const out = new Float32Array(all ? n * V : none ? 0 : V);
    const ids = Uint32Array.from(tokens);
    for (let t0 = 0; t0 < n; t0 += chunk) {
      const T = Math.min(chunk, n - t0);
      const last = t0 + T === n && !none;
      this.watch.alive();
      this.device.queue.writeBuffer(this.act.tokens, 0, ids, t0, T);
      this.recordForward(s, T, all ? 'all' : last ? 'last' : 'none');
      s.position += T;
      if (all) out.set(new Float32Array(await this.watch.read(this.act.logits, T * V * 4)), t0 * V);
      else if (last) out.set(new Float32Array(await this.watch.read(this.act.logits, V * 4)));
      else this.rec.submit();
    }
    return out;
  }

  /**
   * Chunks as long as prefill's; the states at stops inside a chunk are written by its layers as
   * they go (recordForward), the one at a chunk's end is a snapshot. The next chunk is recorded
   * while the GPU runs this one; the host waits for the one before.
   */
  async read(tokens: ArrayLike<number>, state: EngineState, options: ReadOptions): Promise<boolean> {
    const s = this.states.own(state);
    checkTokens(this.model, tokens);
    const n = tokens.length;
    const stops = options.statesAt;
    checkStatesAt(stops, n);
    checkCapacity(this.model, s.position, n, s.capacity);
    await this.states.ready(s);
    const c = this.model.config;
    this.stopAt ??= createBuffer(this.device, MAX_STOPS * 4, 'read stops');
    this.stopH ??= createBuffer(this.device, Math.max(1, MAX_STOPS * c.dInner * c.dState) * 4, 'read stop states');
    const ids = Uint32Array.from(tokens);
    let next = 0;
    let inFlight: Promise<unknown> | undefined;
    for (let t0 = 0; t0 < n; ) {
      if (options.signal?.aborted) {
        await inFlight;
        return false;
      }
      this.watch.alive();
      // A software adapter takes seconds per long chunk: shorter ones keep cancellation prompt there.
      let T = Math.min(this.software ? Math.min(this.chunk, 256) : this.chunk, n - t0);
      let k = next;
      while (k < stops.length && stops[k] <= t0 + T) k++;
      // At most MAX_STOPS per chunk (the last at its end); a chunk of decoding's size ends at its first.
      if (k - next > MAX_STOPS) T = stops[next + MAX_STOPS - 1] - t0;
      if (T <= 4 && k > next) T = stops[next] - t0;
      const inner: Stop[] = [];
      for (k = next; k < stops.length && stops[k] < t0 + T; k++) inner.push({ r: stops[k] - t0, state: this.states.create(s.capacity) });
      if (inner.length) this.device.queue.writeBuffer(this.stopAt, 0, Uint32Array.from(inner, (p) => p.r));
      this.device.queue.writeBuffer(this.act.tokens, 0, ids, t0, T);
      const pos0 = s.position;
      this.recordForward(s, T, 'none', inner);
      s.position += T;
      for (const p of inner) p.state.position = pos0 + p.r;
      this.rec.submit();
      const taken = inner.map((p) => p.state as EngineState);
      if (stops[k] === t0 + T) taken.push(this.snapshot(s));
      const done = this.device.queue.onSubmittedWorkDone();
      await inFlight;
      inFlight = done;
      for (const st of taken) await options.onState(next++, st);
      t0 += T;
    }
    await inFlight;
    return true;
  }

  async step(token: number, state: EngineState): Promise<Float32Array> {
    return this.prefill([token], state);
  }

  async stepArgmax(token: number, state: EngineState): Promise<number> {
    const s = this.states.own(state);
    checkTokens(this.model, [token]);
    checkCapacity(this.model, s.position, 1, s.capacity);
    await this.states.ready(s);
    this.device.queue.writeBuffer(this.act.tokens, 0, Uint32Array.of(token));
    this.recordForward(s, 1, 'last');
    s.position += 1;
    this.ops.argmax(this.act.logits, this.act.argmax, this.act.dummy, 0);
    return new Uint32Array(await this.watch.read(this.act.argmax, 4))[0];
  }

  async greedy(token: number, count: number, state: EngineState): Promise<number[]> {
    const s = this.states.own(state);
    checkTokens(this.model, [token]);
    if (!Number.isInteger(count) || count < 1) throw new SambaError('token-range', `greedy needs a positive count, got ${count}.`);
    checkCapacity(this.model, s.position, count, s.capacity);
    await this.states.ready(s);
    const ids = createBuffer(this.device, count * 4, 'greedy ids');
    try {
      this.device.queue.writeBuffer(this.act.tokens, 0, Uint32Array.of(token));
      // Each step: forward, then argmax into act.tokens (the next step's token) and ids[i].
      for (let i = 0; i < count; i++) {
        this.watch.alive();
        this.recordForward(s, 1, 'last');
        s.position += 1;
        this.ops.argmax(this.act.logits, this.act.tokens, ids, i);
        this.rec.submit();
      }
      return Array.from(new Uint32Array(await this.watch.read(ids, count * 4)));
    } finally {
      ids.destroy();
    }
  }

  snapshot(state: EngineState): EngineState {
    const s = this.states.own(state);
    const copy = this.states.create(s.capacity);
    this.states.restore(copy, s);
    return copy;
  }

  restore(target: EngineState, source: EngineState): void {
    this.states.restore(this.states.own(target), this.states.own(source));
  }

  release(state: EngineState): void {
    this.states.release(state);
  }

  async download(state: EngineState): Promise<StateData> {
    return this.states.download(this.states.own(state));
  }

  upload(data: StateData): EngineState {
    return this.states.upload(data);
  }

  dispose(): Promise<void> {
    if (this.disposed) return this.closed;
    this.disposed = true;
    this.watch.close();
    this.rec.dispose();
    // Dawn aborts the whole process if a device goes while an error scope's promise is unsettled
    // (seen in CI), so the device is destroyed once every state's allocation check has answered.
    this.closed = Promise.allSettled([...this.states.pending]).then(() => this.device.destroy());
    return this.closed;
  }
}
