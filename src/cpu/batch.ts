import { attentionCapacity, type LayerState, type StateData } from '../engine/state';
import type { MambaWeights, MlpWeights, Model, Tensor } from '../model/weights';
import { WasmKernels, type QuantizedRows, type QuantizedWeights } from './wasm/kernels';
import { StepWidth, stepThreadsSetting } from './threads';

/**
 * The CPU engine's prefill: a chunk of tokens goes through one layer at a time, so every weight
 * matrix is read once per chunk instead of once per token, and the matrix products, the scan and
 * the attention softmax run in WebAssembly SIMD (kernels.c). It computes what the token-by-token
 * reference in engine.ts computes (tests compare states and logits), in another summation order.
 *
 * Shapes (as in engine.ts): T tokens in the chunk, d model width, Di Mamba inner width, N state
 * size, R dt rank, K conv width, H query heads, G key/value heads, hd head width, F MLP width.
 */
export const CHUNK_TOKENS = 64;
/** Chunks of fewer tokens than this are decode steps (or as small): their threads are timed (StepWidth). */
const STEP_TOKENS = 4;

/** A weight matrix W[rows, cols] stored as the kernels read it: f32 (WasmKernels.putWeights) or int8 (`q`, putWeightsQ). */
interface Packed {
  readonly at: number;
  readonly q?: QuantizedWeights;
  /** Its input quantized twice (INT8_TWICE). */
  readonly twice?: boolean;
  readonly rows: number;
  readonly cols: number;
}

/**
 * The matrices that take int8 products when asked (all but the Mamba's small x and dt projections).
 * On 7 sequences of 1,024 held-out tokens the default model's loss went from 1.93697 to 1.93705
 * nats a token, and the next token it finds likeliest stayed the same at 96.7% of positions
 * (bench/int8-quality.ts, bench/RESULTS.md, stop 64).
 */
const INT8_MATRICES = new Set(['inProj', 'outProj', 'qkv', 'out', 'gate', 'up', 'down', 'lmHead']);
/**
 * Chunks of fewer tokens than this (decode steps) take the attention row by row, reading keys and
 * values where they lie (kernels.c attendRows). Larger ones gather them into blocks, and take the
 * attention in int8 too (kernels.c attendQ) when the products are int8: a prompt read at a new place
 * (the window full) ran 1.10-1.34x faster, and the loss rose 0.0013 nats a token on 1,024-token
 * sequences, 0.0011 on 3,072 (bench/RESULTS.md, stop 65). A step's would quantize the whole window
 * for one row.
 */
const ROWS_TOKENS = 8;
/** Those whose input is quantized twice (the second time what the first left): the LM head's, quantized once, cost 0.0010 nats. */
const INT8_TWICE = new Set(['lmHead']);

/** A copy of one attention block's ring of keys and values in the kernels' memory (BatchForward.rings). */
interface Ring {
  readonly k: number;
  readonly v: number;
  readonly slots: number;
}

interface PackedBlock {
  readonly mamba?: { inProj: Packed; xProj: Packed; dtProj: Packed; outProj: Packed; AT: number; dtBias: number; D: number; convT: number; convBias: number };
  readonly attention?: { qkv: Packed; out: Packed };
  readonly mlp?: { gate: Packed; up: Packed; down: Packed };
}

export class BatchForward {
  private readonly blocks: PackedBlock[];
  private readonly lmHead: Packed;
  private readonly invFreq: Float64Array;
  /** The norms' weights in the kernels' memory. */
  private readonly norms = new Map<Tensor, number>();
  /** How many threads a step uses. */
  private readonly steps: StepWidth;

  /**
   * Decode steps' keys and values: a copy of the attention rings of the state last stepped, in the
   * kernels' memory (per attention block, for a sliding window's slots), so that a step reads them
   * where they lie instead of copying the window in (a tenth of a CPU decode's time, stop 65). The
   * copy is of `ringsOf.data` at `ringsOf.position`: a state changes only by running chunks, which
   * move its position, so a state stepped again at that position finds its rings here.
   */
  private readonly rings: (Ring | undefined)[];
  private ringsOf: { data: StateData; position: number } | undefined;

  /** Whether the products in INT8_MATRICES are int8. */
  readonly int8: boolean;
  /** A chunk's rows quantized for int8 products, and what that left quantized again (scratch, set by run()). */
  private q: QuantizedRows = { a: 0, scale: 0, sum: 0 };
  private rest: QuantizedRows = { a: 0, scale: 0, sum: 0 };

  private constructor(
    private readonly model: Model,
    private readonly k: WasmKernels,
    int8: boolean,
  ) {
    const c = model.config;
    this.int8 = int8 && k.int8;
    this.blocks = model.weights.blocks.map((b) => ({
      mamba: b.mixer.kind === 'mamba' ? this.packMamba(b.mixer.mamba) : undefined,
      attention: b.mixer.kind === 'attention' ? { qkv: this.pack(b.mixer.attention.qkv, 'qkv'), out: this.pack(b.mixer.attention.out, 'out') } : undefined,
      mlp: b.mlp ? { gate: this.pack(b.mlp.gate, 'gate'), up: this.pack(b.mlp.up, 'up'), down: this.pack(b.mlp.down, 'down') } : undefined,
    }));
    this.lmHead = this.pack(model.weights.lmHead, 'lmHead');
    // A sliding window's rings (full attention's grow with the state: steps copy their rows in).
    const kvDim = c.nKvHead * c.headDim, slots = attentionCapacity(c);
    this.rings = model.weights.blocks.map((b) => (b.mixer.kind === 'attention' && Number.isFinite(c.window) && c.headDim % 4 === 0 ? { k: k.alloc(slots * kvDim), v: k.alloc(slots * kvDim), slots } : undefined));
    for (const w of [...model.weights.blocks.flatMap((b) => (b.norm2 ? [b.norm1, b.norm2] : [b.norm1])), model.weights.normF]) this.norms.set(w, this.k.put(w.data));
    // The reference's angle is pos * theta^(-2i/hd): the same factor, computed the same way.
    const half = c.headDim / 2;
    this.invFreq = new Float64Array(half);
    for (let i = 0; i < half; i++) this.invFreq[i] = Math.pow(c.ropeTheta, (-2 * i) / c.headDim);
    this.steps = new StepWidth(k.threadCount, stepThreadsSetting(k.threadCount));
  }

  /**
   * On `threads` threads (see threads.ts). Undefined when WebAssembly SIMD is missing or the
   * model's shapes need the scalar path.
   */
  static create(model: Model, threads = 1, int8 = false): BatchForward | undefined {
    if (model.config.mixers.includes('mamba') && model.config.dInner % 4 !== 0) return undefined;
    if (model.config.hasMlp && model.config.mlpHidden % 4 !== 0) return undefined;
    const k = WasmKernels.create(threads);
    return k && new BatchForward(model, k, int8);
  }

  get threadCount(): number {
    return this.k.threadCount;
  }

  /** The threads a decode step uses, as last chosen. */
  get stepThreads(): number {
    return this.steps.best;
  }

  /** Ends the helper threads. */
  dispose(): Promise<void> {
    return this.k.dispose();
  }

  /**
   * Runs tokens[0..T) (T <= CHUNK_TOKENS) through every block, advancing `s`; returns the logits of
   * the last token ([V]), of every token ([T, V]) for `all`, or none.
   */
  chunk(tokens: ArrayLike<number>, s: StateData, logits: 'none' | 'last' | 'all'): Float32Array | undefined {
    const step = tokens.length < STEP_TOKENS;
    this.k.useThreads(step ? this.steps.width : this.k.threadCount);
    // A decode step (one token, its logits) is timed for the choice of its threads.
    const timed = tokens.length === 1 && logits === 'last';
    const t0 = timed ? performance.now() : 0;
    const out = this.run(tokens, s, logits);
    if (timed) this.steps.record(performance.now() - t0);
    return out;
  }

  private run(tokens: ArrayLike<number>, s: StateData, logits: 'none' | 'last' | 'all'): Float32Array | undefined {
    const c = this.model.config;
    const T = tokens.length;
    const d = c.dModel;
    const k = this.k;
    k.resetScratch();
    if (this.int8) {
      const widest = Math.max(d, c.dInner || 0, c.mlpHidden || 0, c.nHead * c.headDim);
      this.q = { a: k.scratchAlloc(Math.ceil((T * widest) / 4)), scale: k.scratchAlloc(T), sum: k.scratchAlloc(T) };
      this.rest = { a: k.scratchAlloc(Math.ceil((T * widest) / 4)), scale: k.scratchAlloc(T), sum: k.scratchAlloc(T) };
    }
    const X = k.scratchAlloc(T * d);
    const U = k.scratchAlloc(T * d);
    const emb = this.model.weights.embed.data;
    for (let t = 0; t < T; t++) k.f32.set(emb.subarray(tokens[t] * d, (tokens[t] + 1) * d), X + t * d);
    const P0 = s.position;
    // A decode step on the state whose rings are copied here reads them; another copies its own.
    const fewRows = T < ROWS_TOKENS;
    const ringsHeld = fewRows && this.ringsOf?.data === s && this.ringsOf.position === P0;
    this.model.weights.blocks.forEach((block, i) => {
      const packed = this.blocks[i];
      const layer = s.layers[i];
      this.rmsNorm(X, U, T, block.norm1);
      if (packed.mamba && layer.kind === 'mamba') this.mamba(block.mixer.kind === 'mamba' ? block.mixer.mamba : undefined!, packed.mamba, layer, U, X, T);
      else if (packed.attention && layer.kind === 'attention') this.attention(packed.attention, layer, U, X, T, P0, fewRows ? this.rings[i] : undefined, ringsHeld);
      else throw new Error('layer state mismatch');
      if (packed.mlp && block.norm2 && block.mlp) {
        this.rmsNorm(X, U, T, block.norm2);
        this.mlp(packed.mlp, block.mlp, U, X, T);
      }
    });
    s.position += T;
    if (fewRows) this.ringsOf = { data: s, position: s.position };
    if (logits === 'none') return undefined;
    // The final norm and the LM head, for the rows asked.
    const from = logits === 'all' ? 0 : T - 1;
    const rows = T - from;
    const V = c.vocabSize;
    const L = k.scratchAlloc(rows * V);
    this.rmsNorm(X + from * d, U, rows, this.model.weights.normF);
    this.linear(this.lmHead, U, d, L, V, rows, false);
    return k.f32.slice(L, L + rows * V);
  }

  private pack(w: Tensor, name = ''): Packed {
    const [rows, cols] = w.shape;
    if (this.int8 && INT8_MATRICES.has(name) && rows % 16 === 0 && cols % 4 === 0) return { at: -1, q: this.k.putWeightsQ(w.data, rows, cols), twice: INT8_TWICE.has(name), rows, cols };
    return { at: this.k.putWeights(w.data, rows, cols), rows, cols };
  }

  private packMamba(w: MambaWeights): NonNullable<PackedBlock['mamba']> {
    const [Di, N] = w.aLog.shape;
    const K = w.convWeight.shape[1];
    const AT = new Float32Array(Di * N);
    for (let ch = 0; ch < Di; ch++) for (let n = 0; n < N; n++) AT[n * Di + ch] = -Math.exp(w.aLog.data[ch * N + n]);
    const convT = new Float32Array(K * Di);
    for (let ch = 0; ch < Di; ch++) for (let j = 0; j < K; j++) convT[j * Di + ch] = w.convWeight.data[ch * K + j];
    return {
      inProj: this.pack(w.inProj, 'inProj'),
      xProj: this.pack(w.xProj),
      dtProj: this.pack(w.dtProj),
      outProj: this.pack(w.outProj, 'outProj'),
      AT: this.k.put(AT),
      dtBias: this.k.put(w.dtBias.data),
      D: this.k.put(w.d.data),
      convT: this.k.put(convT),
      convBias: this.k.put(w.convBias?.data ?? new Float32Array(Di)),
    };
  }

  /** y[T, rows] (+)= x[T, cols] W^T, x and y rows `xs` and `ys` apart. */
  private linear(p: Packed, x: number, xs: number, y: number, ys: number, T: number, accumulate: boolean): void {
    if (p.q) {
      this.k.quantizeRows(T, p.cols, x, xs, this.q);
      this.k.gemmQuantized(T, p.q, this.q, y, ys, accumulate);
      if (p.twice) {
        this.k.quantizeRest(T, p.cols, x, xs, this.q, this.rest);
        this.k.gemmQuantized(T, p.q, this.rest, y, ys, true);
      }
    } else this.k.gemmWeights(T, p.cols, p.rows, x, xs, p.at, y, ys, accumulate);
  }

  private addBias(y: number, ys: number, T: number, bias: Tensor | undefined): void {
    if (!bias) return;
    const f = this.k.f32, b = bias.data;
    for (let t = 0; t < T; t++) for (let j = 0; j < b.length; j++) f[y + t * ys + j] += b[j];
  }

  private rmsNorm(x: number, out: number, T: number, w: Tensor): void {
    this.k.rmsNorm(T, this.model.config.dModel, x, out, this.norms.get(w)!, this.model.config.normEps);
  }


  private mamba(w: MambaWeights, p: NonNullable<PackedBlock['mamba']>, state: Extract<LayerState, { kind: 'mamba' }>, U: number, X: number, T: number): void {
    const c = this.model.config;
    const k = this.k;
    const Di = c.dInner, N = c.dState, K = c.dConv, R = c.dtRank, d = c.dModel;
    const bs = R + 2 * N;
    // Every buffer first: an allocation may grow the memory, which detaches earlier views of it.
    const XZ = k.scratchAlloc(T * 2 * Di);
    const hist = k.scratchAlloc((K - 1) * Di);
    const XC = k.scratchAlloc(T * Di);
    const DBC = k.scratchAlloc(T * bs);
    const DT = k.scratchAlloc(T * Di);
    const HT = k.scratchAlloc(Di * N);
    const Y = k.scratchAlloc(T * Di);
    const O = w.outProjBias ? k.scratchAlloc(T * d) : -1;
    const f = k.f32;
    this.linear(p.inProj, U, d, XZ, 2 * Di, T, false);
    this.addBias(XZ, 2 * Di, T, w.inProjBias);
    // Causal depthwise conv over [the state's K-1 inputs, then this chunk's], oldest first; the
    // state keeps the last K-1 of those rows.
    const conv = state.conv;
    f.set(conv, hist);
    k.convSilu(T, Di, K, hist, XZ, 2 * Di, p.convT, p.convBias, XC);
    for (let row = 0; row < K - 1; row++) {
      const r = T + row; // index into [hist, chunk]
      const src = r < K - 1 ? hist + r * Di : XZ + (r - (K - 1)) * 2 * Di;
      conv.set(f.subarray(src, src + Di), row * Di);
    }
    // Step sizes, B and C from the conv's output; then the scan (on h transposed), gated by silu(z).
    this.linear(p.xProj, XC, Di, DBC, bs, T, false);
    this.linear(p.dtProj, DBC, bs, DT, Di, T, false);
    const h = state.ssm;
    for (let ch = 0; ch < Di; ch++) for (let n = 0; n < N; n++) f[HT + n * Di + ch] = h[ch * N + n];
    k.scan(T, Di, N, { dtRaw: DT, dtBias: p.dtBias, AT: p.AT, B: DBC + R, C: DBC + R + N, bs, x: XC, D: p.D, z: XZ + Di, zs: 2 * Di, hT: HT, y: Y });
    for (let ch = 0; ch < Di; ch++) for (let n = 0; n < N; n++) h[ch * N + n] = f[HT + n * Di + ch];
    if (O >= 0) {
      this.linear(p.outProj, Y, Di, O, d, T, false);
      this.addBias(O, d, T, w.outProjBias);
      for (let i = 0; i < T * d; i++) f[X + i] += f[O + i];
    } else this.linear(p.outProj, Y, Di, X, d, T, true);
  }

  /**
   * `ring`: for a decode step, where this block's rings are copied in the kernels' memory (see
   * `rings`); `held`: they already hold the state's.
   */
  private attention(p: NonNullable<PackedBlock['attention']>, state: Extract<LayerState, { kind: 'attention' }>, U: number, X: number, T: number, P0: number, ring?: Ring, held = false): void {
    const c = this.model.config;
    const k = this.k;
    const H = c.nHead, G = c.nKvHead, hd = c.headDim, kvDim = G * hd, d = c.dModel;
    const width = (H + 2 * G) * hd;
    // Keys and values this chunk sees: the ring's last positions before P0, then the chunk's own.
    const cap = state.capacity;
    const W = Math.min(c.window, cap);
    const first = Math.max(0, P0 - W + 1);
    const nOld = P0 - first;
    const L = nOld + T;
    // A few rows (a decode step) read the keys and values where they lie: in the copy of the rings
    // (of the state's size) or, without one, in the rows copied below. A chunk gathers them into blocks.
    const rows = T < ROWS_TOKENS && hd % 4 === 0;
    const int8 = this.int8 && T >= ROWS_TOKENS && hd % 16 === 0;
    const inRing = rows && ring !== undefined && cap === ring.slots;
    // Every buffer first: an allocation may grow the memory, which detaches earlier views of it.
    const QKV = k.scratchAlloc(T * width);
    const Kold = inRing ? 0 : k.scratchAlloc(nOld * kvDim);
    const Vold = inRing ? 0 : k.scratchAlloc(nOld * kvDim);
    const q = int8 ? k.attentionScratch(T, G, hd, L) : undefined;
    const Kt = q || rows ? 0 : k.scratchAlloc(G * hd * L);
    const V = q || rows ? 0 : k.scratchAlloc(G * L * hd);
    const S = q ? 0 : k.scratchAlloc((rows ? H : 1) * T * L);
    const O = k.scratchAlloc(T * H * hd);
    const f = k.f32;
    this.linear(p.qkv, U, d, QKV, width, T, false);
    const rope = this.ropeTable(P0, T);
    for (let t = 0; t < T; t++) for (let h = 0; h < H + G; h++) this.rope(f, QKV + t * width + h * hd, rope, t);
    if (inRing && !held) {
      f.set(state.k, ring.k);
      f.set(state.v, ring.v);
    }
    // Otherwise the ring's positions first .. P0 - 1, oldest first: at most two runs of slots.
    for (let j = 0; !inRing && j < nOld; ) {
      const slot = (first + j) % cap;
      const n = Math.min(nOld - j, cap - slot);
      f.set(state.k.subarray(slot * kvDim, (slot + n) * kvDim), Kold + j * kvDim);
      f.set(state.v.subarray(slot * kvDim, (slot + n) * kvDim), Vold + j * kvDim);
      j += n;
    }
    const kv = { kOld: Kold, vOld: Vold, kNew: QKV + H * hd, vNew: QKV + H * hd + kvDim, ns: width };
    // Row i (position P0 + i) sees positions P0 + i - W + 1 .. P0 + i.
    const out = { q: QKV, qs: width, o: O, os: H * hd, scale: 1 / Math.sqrt(hd), lo: P0 - W + 1 - first, hi: P0 - first + 1 };
    if (q) {
      k.gatherKVQuantized(L, nOld, G, hd, kv, q);
      k.attendQuantized(T, H, G, hd, L, out, q);
    } else if (rows) {
      const where = inRing ? { kRing: ring.k, vRing: ring.v, cap, first: first % cap } : { kRing: Kold, vRing: Vold, cap: Math.max(1, nOld), first: 0 };
      k.attendRows(T, H, G, hd, L, nOld, { ...out, ...where, kNew: kv.kNew, vNew: kv.vNew, ns: width, s: S });
    } else {
      k.gatherKV(L, nOld, G, hd, { ...kv, kt: Kt, v: V });
      k.attend(T, H, G, hd, L, { ...out, kt: Kt, v: V, s: S });
    }
    this.linear(p.out, O, H * hd, X, d, T, true);
    for (let t = 0; t < T; t++) {
      const slot = ((P0 + t) % cap) * kvDim;
      const key = f.subarray(QKV + t * width + H * hd, QKV + t * width + H * hd + kvDim);
      const value = f.subarray(QKV + t * width + H * hd + kvDim, QKV + t * width + H * hd + 2 * kvDim);
      state.k.set(key, slot);
      state.v.set(value, slot);
      if (inRing) {
        f.set(key, ring.k + slot);
        f.set(value, ring.v + slot);
      }
    }
  }

  private ropeCache: { P0: number; T: number; cos: Float64Array; sin: Float64Array } | undefined;

  /** cos and sin of every position of the chunk and frequency: the same for every attention layer. */
  private ropeTable(P0: number, T: number): { cos: Float64Array; sin: Float64Array } {
    const r = this.ropeCache;
    if (r && r.P0 === P0 && r.T === T) return r;
    const half = this.invFreq.length;
    const cos = new Float64Array(T * half), sin = new Float64Array(T * half);
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < half; i++) {
        const angle = (P0 + t) * this.invFreq[i];
        cos[t * half + i] = Math.cos(angle);
        sin[t * half + i] = Math.sin(angle);
      }
    }
    this.ropeCache = { P0, T, cos, sin };
    return this.ropeCache;
  }

  /** Rotate-half RoPE of one head in place, as engine.ts's rope(), at the chunk's token t. */
  private rope(f: Float32Array, at: number, table: { cos: Float64Array; sin: Float64Array }, t: number): void {
    const half = this.invFreq.length;
    for (let i = 0; i < half; i++) {
      const cos = table.cos[t * half + i], sin = table.sin[t * half + i];
      const a = f[at + i], b = f[at + i + half];
      f[at + i] = a * cos - b * sin;
      f[at + i + half] = b * cos + a * sin;
    }
  }

  private mlp(p: NonNullable<PackedBlock['mlp']>, w: MlpWeights, U: number, X: number, T: number): void {
    const k = this.k;
    const F = w.gate.shape[0], d = this.model.config.dModel;
    const Gt = k.scratchAlloc(T * F);
    const Up = k.scratchAlloc(T * F);
    if (p.gate.q && p.up.q) {
      k.quantizeRows(T, d, U, d, this.q);
      k.gateUpQuantized(T, this.q, p.gate.q, p.up.q, Gt, Up);
    } else if (!p.gate.q && !p.up.q) k.gateUp(T, d, F, U, d, p.gate.at, p.up.at, Gt, Up);
    else throw new Error('gate and up: both int8 or neither');
    this.linear(p.down, Gt, F, X, d, T, true);
  }
}

