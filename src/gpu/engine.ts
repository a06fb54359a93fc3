/**
 * The WebGPU engine: the owner that sets up the device and wires the parts, each in a file of its
 * own: the forward pass (src/gpu/forward.ts) recorded as WGSL dispatches (src/gpu/ops.ts, one
 * function per kernel in kernels/), the long pass with its stops (src/gpu/read.ts), greedy
 * decoding (src/gpu/decode.ts), the weights (src/gpu/weights.ts), the states (src/gpu/state.ts),
 * the working buffers (src/gpu/activations.ts) and the device's loss and read-back (src/gpu/watch.ts).
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
import { checkCapacity, checkStatesAt, checkTargets, checkTokens, type Engine, type EngineState, type PrefillOptions, type ReadOptions } from '../engine/engine';
import type { StateData } from '../engine/state';
import { allocActivations } from './activations';
import { greedy, stepArgmax } from './decode';
import { acquireGpu, releaseGpu, subgroupMatrixSetting, type GpuContext, type SubgroupMatrixSupport } from './device';
import { recordForward, type Pass } from './forward';
import { PipelineCache, type WeightDtype } from './kernels';
import { Ops, pickMatmul, sgmatConsts, sgmatLabel, type MatmulKernel } from './ops';
import { LongRead } from './read';
import { Recorder } from './recorder';
import { GpuStates } from './state';
import { DeviceWatch } from './watch';
import { matrices, uploadModel } from './weights';

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
  /** The prompt matmul kernel it runs (MatmulKernel), with the subgroup-matrix tile or why not them. */
  readonly matmul: string;
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
  private readonly subgroupMatrix: SubgroupMatrixSupport | string;
  matmul = '';
  /** The device, states, watch and forward's parts the passes run with; set by init(). */
  private pass!: Pass;
  /** Tokens whose logits fit one logits buffer (and one binding). */
  private logitRows = 1;
  private readonly watch: DeviceWatch;
  private disposed = false;
  /** Engine.read's long pass, with its stop buffers; made on first use. */
  private longRead: LongRead | undefined;
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
    this.subgroupMatrix = ctx.subgroupMatrix ?? ctx.subgroupMatrixNote;
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
    const w = uploadModel(this.device, this.model, this.dtype, this.maxBinding);
    const U = w.widestInputVec4s;
    const wgBytes = U * 16 + 2 * 256 * 4;
    if (wgBytes > limits.maxComputeWorkgroupStorageSize) {
      throw new SambaError('gpu', `GPU engine: the model's widest matrix input (${U * 4} values) needs ${wgBytes} bytes of workgroup memory for decoding, above this GPU's ${limits.maxComputeWorkgroupStorageSize}. Use the CPU backend (samba.engine.backend "cpu") for this model.`);
    }
    const { act, logitRows } = allocActivations(this.device, c, this.chunk, this.deviceBinding);
    this.logitRows = logitRows;
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
    const { kernel, consts } = await this.pickMatmul(limits);
    const ops = new Ops(this.rec, this.pipes, c, act, tuning, Math.max(1, Math.floor(o.splitKeys ?? 64)), limits, kernel, consts);
    try {
      await this.pipes.compile(ops.kernels(matrices(w), this.dtype === 'i8'));
    } catch (e) {
      throw new SambaError('gpu', `GPU engine setup failed: ${(e as Error).message}. Set samba.engine.backend to "cpu" to run without this GPU.`);
    }
    this.pass = { device: this.device, fwd: { config: c, w, ops, act, rec: this.rec }, states: this.states, watch: this.watch };
    const oom = await this.device.popErrorScope();
    const invalid = await this.device.popErrorScope();
    const smaller = this.dtype === 'f32' ? 'f16 weights' : this.dtype === 'f16' ? 'int8 weights (samba.engine.weights)' : 'a smaller model';
    if (oom) throw new SambaError('gpu', `Out of GPU memory while loading ${this.model.dir}: ${oom.message}. Close other GPU programs, or use ${smaller}${this.dtype === 'i8' ? '' : ' or a smaller model'}.`);
    if (invalid) throw new SambaError('gpu', `GPU engine setup failed: ${invalid.message}`);
  }

  /**
   * The prompt matmul kernel (pickMatmul), with the subgroup-matrix one compiled first where it is
   * picked: an experimental feature, so a shader it rejects falls back to the next pick with the
   * reason logged (unless that kernel was asked for by name). Where the device has subgroup
   * matrices but they do not run (no tile fits, the kernel did not compile), or where
   * SAMBA_GPU_SUBGROUP_MATRIX=1 asks for them, the log says why not.
   */
  private async pickMatmul(limits: GPUSupportedLimits): Promise<{ kernel: MatmulKernel; consts?: Record<string, number> }> {
    const o = this.options;
    const wg = limits.maxComputeWorkgroupStorageSize;
    const sgm = this.subgroupMatrix;
    let consts = typeof sgm === 'string' ? sgm : sgmatConsts(sgm, limits);
    let kernel = pickMatmul(o.matmul, this.software, this.f16, wg, consts);
    if (kernel === 'sgmat' && typeof consts !== 'string') {
      // int8 engines multiply f16 matrices too (dt_proj stays f16).
      let err: string | undefined;
      for (const dtype of this.dtype === 'i8' ? (['f16', 'i8'] as const) : [this.dtype]) err ??= await this.pipes.tryCompile('matmul_sgmat', consts, dtype);
      if (err !== undefined) {
        if ((o.matmul ?? process.env.SAMBA_MATMUL) === 'sgmat') throw new SambaError('gpu', `The sgmat prompt matmul did not compile on ${this.deviceName}: ${err}`);
        consts = `its kernel did not compile (${err})`;
        kernel = pickMatmul(o.matmul, this.software, this.f16, wg, consts);
      }
    }
    if (typeof consts !== 'string' && typeof sgm !== 'string') {
      this.matmul = `${kernel} (subgroup matrices f16 -> f32 ${sgm.M}x${sgm.N}x${sgm.K}, tile ${sgmatLabel(consts)})`;
      return { kernel, consts };
    }
    this.matmul = `${kernel} (subgroup matrices ${consts})`;
    // Not a kernel asked for by name: say why the matrix units the device has (or that were asked for) do not run.
    const why = typeof sgm !== 'string' ? 'the GPU has subgroup matrices' : subgroupMatrixSetting() === 'on' ? 'SAMBA_GPU_SUBGROUP_MATRIX=1' : '';
    if (why && !(o.matmul ?? process.env.SAMBA_MATMUL)) process.stderr.write(`samba: ${why}, but prompts run on the ${kernel} matmul: subgroup matrices ${consts}\n`);
    return { kernel };
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
    const targets = options.logProbsOf && Uint32Array.from(options.logProbsOf);
    if (targets) checkTargets(this.model, tokens, targets);
    const all = options.allLogits === true || targets !== undefined;
    const none = options.noLogits === true && !all;
    const chunk = all ? this.logitRows : this.chunk;
    const out = new Float32Array(targets ? n : all ? n * V : none ? 0 : V);
    const ids = Uint32Array.from(tokens);
    const { act, ops } = this.pass.fwd;
    for (let t0 = 0; t0 < n; t0 += chunk) {
      const T = Math.min(chunk, n - t0);
      const last = t0 + T === n && !none;
      this.watch.alive();
      this.device.queue.writeBuffer(act.tokens, 0, ids, t0, T);
      recordForward(this.pass.fwd, s, T, all ? 'all' : last ? 'last' : 'none');
      s.position += T;
      if (targets) {
        this.device.queue.writeBuffer(act.targets, 0, targets, t0, T);
        ops.tokenLogProbs(T, act.logits, act.targets, act.logProbs);
        out.set(new Float32Array(await this.watch.read(act.logProbs, T * 4)), t0);
      } else if (all) out.set(new Float32Array(await this.watch.read(act.logits, T * V * 4)), t0 * V);
      else if (last) out.set(new Float32Array(await this.watch.read(act.logits, V * 4)));
      else this.rec.submit();
    }
    return out;
  }

  async read(tokens: ArrayLike<number>, state: EngineState, options: ReadOptions): Promise<boolean> {
    const s = this.states.own(state);
    checkTokens(this.model, tokens);
    checkStatesAt(options.statesAt, tokens.length);
    checkCapacity(this.model, s.position, tokens.length, s.capacity);
    await this.states.ready(s);
    // A software adapter takes seconds per long chunk: shorter ones keep cancellation prompt there.
    this.longRead ??= new LongRead(this.pass, this.software ? Math.min(this.chunk, 256) : this.chunk);
    return this.longRead.run(s, tokens, options);
  }

  async step(token: number, state: EngineState): Promise<Float32Array> {
    return this.prefill([token], state);
  }

  async stepArgmax(token: number, state: EngineState): Promise<number> {
    const s = this.states.own(state);
    checkTokens(this.model, [token]);
    checkCapacity(this.model, s.position, 1, s.capacity);
    await this.states.ready(s);
    return stepArgmax(this.pass, s, token);
  }

  async greedy(token: number, count: number, state: EngineState): Promise<number[]> {
    const s = this.states.own(state);
    checkTokens(this.model, [token]);
    if (!Number.isInteger(count) || count < 1) throw new SambaError('token-range', `greedy needs a positive count, got ${count}.`);
    checkCapacity(this.model, s.position, count, s.capacity);
    await this.states.ready(s);
    return greedy(this.pass, s, token, count);
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
