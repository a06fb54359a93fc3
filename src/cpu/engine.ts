import type { Engine, EngineState, PrefillOptions, ReadOptions } from '../engine/engine';
import { checkCapacity, checkStatesAt, checkTargets, checkTokens } from '../engine/engine';
import { cloneState, emptyState, layerArrays, layerState, type LayerState, type StateData } from '../engine/state';
import type { ModelConfig } from '../model/config';
import type { AttentionWeights, MambaWeights, MlpWeights, Model, Tensor } from '../model/weights';
import { setImmediate } from 'node:timers';
import { BatchForward, CHUNK_TOKENS } from './batch';
import { cpuThreadCount } from './threads';
import { WasmKernels } from './wasm/kernels';
import { logProb } from '../engine/sampling';

/**
 * The CPU reference: the whole forward pass in plain TypeScript, one token at a time, in f32.
 * Tests hold the GPU engine to it, and it runs the model where no GPU adapter exists. It runs
 * through the batched path (batch.ts: a chunk of tokens per layer, WebAssembly SIMD), which tests
 * hold to this token-by-token one (`batched: false`).
 */
const YIELD_EVERY = 16;
/** Arrays of each length kept from released states for the next copies (see CpuEngine.copy). */
const SPARE_ARRAYS = 32;

/**
 * `batched: false` keeps every token on the token-by-token reference (tests compare the two).
 * `threads`: how many threads the batched path's kernels use (default: SAMBA_CPU_THREADS, else one
 * per core; 1: the calling thread only). The results do not depend on it. `int8`: the larger
 * products in int8 where the runtime's kernels can (batch.ts): faster, close to f32 but not equal;
 * the extension's choice (int8Wanted), never the reference's.
 */
export function createCpuEngine(model: Model, options: CpuEngineOptions = {}): Engine {
  return new CpuEngine(model, options);
}

export interface CpuEngineOptions {
  batched?: boolean;
  threads?: number;
  int8?: boolean;
}

/** Whether the extension's CPU engine takes int8 products: yes unless SAMBA_CPU_INT8=0. */
export function int8Wanted(): boolean {
  return process.env.SAMBA_CPU_INT8 !== '0';
}

/** What a released state holds: nothing (its arrays went back to be reused); allocating a whole empty state there cost more than the copies themselves. */
const RELEASED: StateData = Object.freeze({ position: 0, layers: [] as StateData['layers'] });

class CpuState implements EngineState {
  constructor(public data: StateData) {}
  get position(): number {
    return this.data.position;
  }
}

class CpuEngine implements Engine {
  readonly backend = 'cpu' as const;
  readonly deviceName: string;
  private readonly capacity: number;
  /** The batched path (every prefill and step); undefined where WebAssembly SIMD is missing, or for `batched: false`: then every token takes forwardToken. */
  private readonly batch: BatchForward | undefined;
  constructor(
    readonly model: Model,
    options: CpuEngineOptions = {},
  ) {
    this.capacity = model.config.maxPosition;
    this.batch = options.batched === false ? undefined : BatchForward.create(model, cpuThreadCount(options.threads), options.int8);
    const threads = this.batch?.threadCount ?? 1;
    this.deviceName = this.batch ? `CPU (WebAssembly SIMD${WasmKernels.build === 'relaxed' ? ', relaxed' : ''}${this.batch.int8 ? ', int8' : ''}${threads > 1 ? `, ${threads} threads` : ''})` : 'CPU reference (TypeScript)';
  }

  get stepThreads(): number {
    return this.batch?.stepThreads ?? 1;
  }

  /** Arrays of released states, by length. */
  private readonly spare = new Map<number, Float32Array[]>();

  /**
   * A copy of `s` in the arrays of released states where there are some: memory the process
   * has not touched yet costs page faults, and a workspace read copies the state (about 4 MB for
   * the default model) after every file while the context releases the snapshots it thins out.
   */
  private copy(s: StateData): StateData {
    const layers = s.layers.map((l) =>
      layerState(
        l,
        layerArrays(l).map((a) => {
          const r = this.spare.get(a.length)?.pop();
          if (!r) return a.slice();
          r.set(a);
          return r;
        }),
      ),
    );
    return { position: s.position, layers };
  }

  newState(options?: { capacity?: number }): EngineState {
    return new CpuState(emptyState(this.model.config, options?.capacity ?? this.capacity));
  }

  async prefill(tokens: ArrayLike<number>, state: EngineState, options?: PrefillOptions): Promise<Float32Array> {
    const targets = options?.logProbsOf;
    if (targets) {
      checkTargets(this.model, tokens, targets);
      const rows = await this.prefill(tokens, state, { allLogits: true });
      const V = this.model.config.vocabSize;
      return Float32Array.from({ length: tokens.length }, (_, i) => logProb(rows, targets[i], i * V, V));
    }
    checkTokens(this.model, tokens);
    const s = this.live(state);
    checkCapacity(this.model, s.position, tokens.length, kvCapacity(s));
    const V = this.model.config.vocabSize;
    const all = options?.allLogits ?? false;
    const none = options?.noLogits === true && !all;
    const out = new Float32Array(all ? tokens.length * V : none ? 0 : V);
    if (this.batch) {
      for (let at = 0; at < tokens.length; at += CHUNK_TOKENS) {
        if (at > 0) await new Promise((r) => setImmediate(r));
        const end = Math.min(at + CHUNK_TOKENS, tokens.length);
        const part = Array.from({ length: end - at }, (_, i) => tokens[at + i]);
        const logits = this.batch.chunk(part, s, all ? 'all' : end === tokens.length && !none ? 'last' : 'none');
        if (logits) out.set(logits, all ? at * V : 0);
      }
      return out;
    }
    for (let i = 0; i < tokens.length; i++) {
      // Long prompts are slow here: let the event loop run (cancellations, messages) now and then.
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      const last = i === tokens.length - 1 && !none;
      const logits = forwardToken(this.model, tokens[i], s, all || last);
      if (logits) out.set(logits, all ? i * V : 0);
    }
    return out;
  }

  /**
   * The pass is cut at each of `statesAt` (chunks never cross one), so every state handed out is
   * the very state file-by-file prefills reach: the same chunks of the same tokens.
   */
  async read(tokens: ArrayLike<number>, state: EngineState, options: ReadOptions): Promise<boolean> {
    checkTokens(this.model, tokens);
    const s = this.live(state);
    checkCapacity(this.model, s.position, tokens.length, kvCapacity(s));
    const stops = options.statesAt;
    checkStatesAt(stops, tokens.length);
    let next = 0;
    for (let at = 0; at < tokens.length; ) {
      if (options.signal?.aborted) return false;
      const end = Math.min(at + (this.batch ? CHUNK_TOKENS : YIELD_EVERY), tokens.length, stops[next] ?? Infinity);
      const part = Array.from({ length: end - at }, (_, i) => tokens[at + i]);
      if (this.batch) this.batch.chunk(part, s, 'none');
      else for (const t of part) forwardToken(this.model, t, s, false);
      at = end;
      options.onTokens?.(at);
      if (end === stops[next]) await options.onState(next++, new CpuState(this.copy(s)));
      // Let the event loop run (cancellations, messages, completions) between chunks.
      await new Promise((r) => setImmediate(r));
    }
    return true;
  }

  async step(token: number, state: EngineState): Promise<Float32Array> {
    return this.prefill([token], state);
  }

  snapshot(state: EngineState): EngineState {
    return new CpuState(this.copy(this.live(state)));
  }

  restore(target: EngineState, source: EngineState): void {
    const t = this.own(target);
    const old = t.data;
    t.data = this.copy(this.live(source));
    this.keep(old);
  }

  release(state: EngineState): void {
    const s = this.own(state);
    this.keep(s.data);
    s.data = RELEASED;
  }

  /** Keeps the arrays of a state no one reads any more (released or replaced) for copy(). */
  private keep(data: StateData): void {
    for (const l of data.layers) {
      for (const a of layerArrays(l)) {
        const list = this.spare.get(a.length) ?? [];
        if (list.length < SPARE_ARRAYS && !list.includes(a)) list.push(a);
        this.spare.set(a.length, list);
      }
    }
  }

  async download(state: EngineState): Promise<StateData> {
    return cloneState(this.live(state));
  }

  upload(data: StateData): EngineState {
    return new CpuState(cloneState(data));
  }

  async dispose(): Promise<void> {
    await this.batch?.dispose();
  }

  private own(state: EngineState): CpuState {
    if (!(state instanceof CpuState)) throw new Error('This state belongs to another engine; download it and upload it here.');
    return state;
  }

  /** A state's data, which a released state no longer has. */
  private live(state: EngineState): StateData {
    const data = this.own(state).data;
    if (data === RELEASED) throw new Error('This state was released: snapshot a state before releasing it to keep using it.');
    return data;
  }
}

function kvCapacity(s: StateData): number {
  const l = s.layers.find((x) => x.kind === 'attention');
  return l && l.kind === 'attention' ? l.capacity : Infinity;
}

/** One token through every block; returns logits when asked. Advances `s`. */
function forwardToken(model: Model, token: number, s: StateData, wantLogits: boolean): Float32Array | undefined {
  const c = model.config;
  const w = model.weights;
  const d = c.dModel;
  const x = w.embed.data.slice(token * d, (token + 1) * d);
  for (let i = 0; i < c.nLayer; i++) {
    const block = w.blocks[i];
    const layer = s.layers[i];
    const h = rmsNorm(x, block.norm1, c.normEps);
    const mixed =
      block.mixer.kind === 'mamba' && layer.kind === 'mamba'
        ? mambaStep(c, block.mixer.mamba, layer, h)
        : attentionStep(c, (block.mixer as { attention: AttentionWeights }).attention, layer, h, s.position);
    addInto(x, mixed);
    if (block.mlp && block.norm2) addInto(x, swiglu(block.mlp, rmsNorm(x, block.norm2, c.normEps)));
  }
  s.position++;
  return wantLogits ? logitsOf(model, x) : undefined;
}

/** The final norm and the LM head on one token's hidden state. */
function logitsOf(model: Model, x: Float32Array): Float32Array {
  return matVec(model.weights.lmHead, rmsNorm(x, model.weights.normF, model.config.normEps));
}

function mambaStep(c: ModelConfig, w: MambaWeights, state: LayerState, u: Float32Array): Float32Array {
  if (state.kind !== 'mamba') throw new Error('layer state mismatch');
  const Di = c.dInner, N = c.dState, K = c.dConv, R = c.dtRank;
  const xz = matVec(w.inProj, u, w.inProjBias);
  // Causal depthwise conv over the last K-1 inputs (oldest first) and this one.
  const conv = state.conv;
  const kw = w.convWeight.data;
  const xc = new Float32Array(Di);
  for (let ch = 0; ch < Di; ch++) {
    let acc = w.convBias ? w.convBias.data[ch] : 0;
    for (let k = 0; k < K - 1; k++) acc += kw[ch * K + k] * conv[k * Di + ch];
    acc += kw[ch * K + K - 1] * xz[ch];
    xc[ch] = silu(acc);
  }
  conv.copyWithin(0, Di);
  conv.set(xz.subarray(0, Di), (K - 2) * Di);
  // Input-dependent step size and projections.
  const dbc = matVec(w.xProj, xc);
  const delta = dbc.subarray(0, R), B = dbc.subarray(R, R + N), C = dbc.subarray(R + N, R + 2 * N);
  const y = new Float32Array(Di);
  const dtW = w.dtProj.data, aLog = w.aLog.data, h = state.ssm;
  for (let ch = 0; ch < Di; ch++) {
    let dtRaw = w.dtBias.data[ch];
    for (let r = 0; r < R; r++) dtRaw += dtW[ch * R + r] * delta[r];
    const dt = softplus(dtRaw);
    let acc = 0;
    for (let n = 0; n < N; n++) {
      const a = -Math.exp(aLog[ch * N + n]);
      const i = ch * N + n;
      h[i] = Math.exp(dt * a) * h[i] + dt * B[n] * xc[ch];
      acc += C[n] * h[i];
    }
    y[ch] = (acc + w.d.data[ch] * xc[ch]) * silu(xz[Di + ch]);
  }
  return matVec(w.outProj, y, w.outProjBias);
}

function attentionStep(c: ModelConfig, w: AttentionWeights, state: LayerState, u: Float32Array, pos: number): Float32Array {
  if (state.kind !== 'attention') throw new Error('layer state mismatch');
  const H = c.nHead, G = c.nKvHead, hd = c.headDim, kvDim = G * hd;
  const qkv = matVec(w.qkv, u);
  const q = qkv.subarray(0, H * hd);
  const k = qkv.subarray(H * hd, H * hd + kvDim);
  const v = qkv.subarray(H * hd + kvDim);
  for (let head = 0; head < H; head++) rope(q, head * hd, hd, pos, c.ropeTheta);
  for (let head = 0; head < G; head++) rope(k, head * hd, hd, pos, c.ropeTheta);
  const cap = state.capacity;
  state.k.set(k, (pos % cap) * kvDim);
  state.v.set(v, (pos % cap) * kvDim);
  // Positions this query sees: itself and the previous window-1 (all of them for full attention).
  const first = Math.max(0, pos - Math.min(c.window, cap) + 1);
  const out = new Float32Array(H * hd);
  const scores = new Float32Array(pos - first + 1);
  const scale = 1 / Math.sqrt(hd);
  for (let head = 0; head < H; head++) {
    const kvHead = Math.floor(head / (H / G));
    let max = -Infinity;
    for (let p = first; p <= pos; p++) {
      const base = (p % cap) * kvDim + kvHead * hd;
      let dot = 0;
      for (let j = 0; j < hd; j++) dot += q[head * hd + j] * state.k[base + j];
      scores[p - first] = dot * scale;
      max = Math.max(max, dot * scale);
    }
    let sum = 0;
    for (let i = 0; i < scores.length; i++) sum += scores[i] = Math.exp(scores[i] - max);
    for (let p = first; p <= pos; p++) {
      const wgt = scores[p - first] / sum;
      const base = (p % cap) * kvDim + kvHead * hd;
      for (let j = 0; j < hd; j++) out[head * hd + j] += wgt * state.v[base + j];
    }
  }
  return matVec(w.out, out);
}

/** Rotate-half RoPE on one head in place: pairs (i, i + hd/2) turn by pos * theta^(-2i/hd). */
function rope(x: Float32Array, offset: number, hd: number, pos: number, theta: number): void {
  const half = hd / 2;
  for (let i = 0; i < half; i++) {
    const angle = pos * Math.pow(theta, (-2 * i) / hd);
    const cos = Math.cos(angle), sin = Math.sin(angle);
    const a = x[offset + i], b = x[offset + i + half];
    x[offset + i] = a * cos - b * sin;
    x[offset + i + half] = b * cos + a * sin;
  }
}

function swiglu(w: MlpWeights, h: Float32Array): Float32Array {
  const g = matVec(w.gate, h);
  const u = matVec(w.up, h);
  for (let i = 0; i < g.length; i++) g[i] = silu(g[i]) * u[i];
  return matVec(w.down, g);
}

function rmsNorm(x: Float32Array, w: Tensor, eps: number): Float32Array {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += x[i] * x[i];
  const r = 1 / Math.sqrt(ss / x.length + eps);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * r * w.data[i];
  return out;
}

/** y = W x (+ b) for W of shape [rows, cols]. */
function matVec(w: Tensor, x: Float32Array, bias?: Tensor): Float32Array {
  const [rows, cols] = w.shape;
  const W = w.data;
  const y = new Float32Array(rows);
  // Four partial sums: one running sum is bound by the latency of each add, not by the multiplies.
  const cols4 = cols - (cols % 4);
  for (let r = 0; r < rows; r++) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    const base = r * cols;
    let j = 0;
    for (; j < cols4; j += 4) {
      a0 += W[base + j] * x[j];
      a1 += W[base + j + 1] * x[j + 1];
      a2 += W[base + j + 2] * x[j + 2];
      a3 += W[base + j + 3] * x[j + 3];
    }
    for (; j < cols; j++) a0 += W[base + j] * x[j];
    const acc = a0 + a1 + (a2 + a3);
    y[r] = bias ? acc + bias.data[r] : acc;
  }
  return y;
}

function addInto(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < x.length; i++) x[i] += y[i];
}

function silu(v: number): number {
  return v / (1 + Math.exp(-v));
}

/** PyTorch's softplus (threshold 20: linear above it). */
function softplus(v: number): number {
  return v > 20 ? v : Math.log1p(Math.exp(v));
}
