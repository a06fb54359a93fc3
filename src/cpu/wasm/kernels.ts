import { setFlagsFromString } from 'node:v8';
import { KERNELS_WASM, KERNELS_WASM_RELAXED } from './kernels-wasm';
import { KernelThreads, PIECES_PER_THREAD } from '../threads';

// The few WebAssembly names used here (tsconfig has no DOM library, whose types declare them).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmModule {
  readonly __brand: 'module';
}
const WA = (globalThis as unknown as {
  WebAssembly: {
    Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
    Module: new (bytes: Uint8Array) => WasmModule;
    Instance: new (m: WasmModule, imports: object) => { exports: Record<string, unknown> };
    validate(bytes: Uint8Array): boolean;
  };
}).WebAssembly;

const KERNEL_NAMES = ['gemmB', 'scan', 'convSilu', 'attend', 'gateUp', 'gemmQ', 'gateUpQ', 'attendQ', 'attendRows'] as const;
/** Columns per block of a weight matrix (kernels.c's BLOCK, gemmB). */
const BLOCK = 16;
/** The memory's most pages (4 GiB), as kernels.c is linked (a shared memory cannot move). */
const MAX_PAGES = 65536;
/**
 * Calls with fewer multiply-adds (or elements) than this stay on the calling thread: waking a
 * helper costs tens of microseconds. How many threads a decode step's larger products use is timed
 * on the machine (threads.ts, StepWidth).
 */
const MIN_SPLIT_WORK = 1 << 17;

/**
 * A chunk's keys and values in int8 (gatherKVQuantized), and the scratch attendQuantized writes:
 * offsets in f32 elements (byte buffers at offset * 4).
 */
export interface QuantizedAttention {
  /** Keys [G][Lk / 16 blocks of hd x 16 bytes] and their scales [G][Lk]; Lk = L rounded up to 16. */
  readonly ku: number;
  readonly ks: number;
  /** Values [G][hd / 16 blocks of Lv x 16 bytes], scales [G][hd] and sums [G][hd]; Lv = L rounded up to 4. */
  readonly vu: number;
  readonly vs: number;
  readonly vsum: number;
  /** Scratch: scores [T x Lk], the queries' bytes [T x hd], the weights' bytes [T x Lv], with scales and sums [T]. */
  readonly s: number;
  readonly qa: number;
  readonly qscale: number;
  readonly qsum: number;
  readonly pa: number;
  readonly pscale: number;
  readonly psum: number;
}

/** A weight matrix stored for the int8 products (WasmKernels.putWeightsQ): offsets in f32 elements. */
export interface QuantizedWeights {
  /** Its bytes (at u * 4). */
  readonly u: number;
  /** One scale per row. */
  readonly scales: number;
  readonly rows: number;
  readonly cols: number;
}

/** Rows of a product's input as quantizeRows leaves them: T rows of bytes at `a`, their scales and sums (offsets in f32 elements). */
export interface QuantizedRows {
  readonly a: number;
  readonly scale: number;
  readonly sum: number;
}

/** [from, to) ranges cutting [0, n) into at most `parts` pieces on multiples of `align`. */
function slices(n: number, parts: number, align: number): [number, number][] {
  const blocks = Math.ceil(n / align);
  const out: [number, number][] = [];
  let from = 0;
  for (let i = 0; i < parts; i++) {
    const to = Math.min(n, from + Math.ceil((blocks - from / align) / (parts - i)) * align);
    if (to > from) out.push([from, to]);
    from = to;
  }
  return out;
}

/**
 * The WebAssembly SIMD kernels of kernels.c over one shared memory: a bump arena for what lives as
 * long as the engine (packed weights) and a scratch arena reset for every chunk of tokens. Offsets
 * are in f32 elements; the kernels take bytes, which the wrappers convert. With more than one
 * thread, a call large enough is cut into slices (columns or rows of a product, channels of the
 * scan, rows of the attention) that the threads compute at once (threads.ts); each output element is
 * computed as on one thread, so the results are the same bit for bit.
 */
export class WasmKernels {
  private readonly memory: WasmMemory;
  private readonly exports: {
    gemmB(T: number, K: number, N: number, x: number, xs: number, b: number, y: number, ys: number, acc: number): void;
    scan(T: number, Di: number, ch0: number, ch1: number, N: number, dtRaw: number, dtBias: number, A: number, B: number, C: number, bs: number, x: number, D: number, z: number, zs: number, h: number, y: number): void;
    convSilu(T: number, Di: number, ch0: number, ch1: number, K: number, hist: number, x: number, xs: number, wT: number, bias: number, out: number): void;
    gateUp(T: number, K: number, F: number, f0: number, f1: number, x: number, xs: number, bg: number, bu: number, g: number, u: number): void;
    gatherKV(L: number, nOld: number, G: number, hd: number, kOld: number, vOld: number, kNew: number, vNew: number, ns: number, kt: number, v: number): void;
    rmsNorm(T: number, d: number, x: number, out: number, w: number, eps: number): void;
    quantizeRows?(T: number, K: number, x: number, xs: number, a: number, scale: number, sum: number): void;
    quantizeRest?(T: number, K: number, x: number, xs: number, a: number, scale: number, b: number, scale2: number, sum2: number): void;
    gemmQ?(T: number, K: number, N: number, a: number, as: number, sa: number, u: number, ws: number, y: number, ys: number, acc: number): void;
    gateUpQ?(T: number, K: number, F: number, f0: number, f1: number, a: number, as: number, sa: number, ug: number, wg: number, uu: number, wu: number, g: number, u: number): void;
    attend(t0: number, t1: number, H: number, G: number, hd: number, L: number, q: number, qs: number, kt: number, v: number, s: number, o: number, os: number, scale: number, lo: number, hi: number): void;
    attendQ?(...args: number[]): void;
    attendRows(...args: number[]): void;
    gatherKVQ?(L: number, nOld: number, G: number, hd: number, kOld: number, vOld: number, kNew: number, vNew: number, ns: number, ku: number, ks: number, vu: number, vs: number, vsum: number): void;
  };
  /** Helper threads, when more than one thread was asked for. */
  private threads: KernelThreads | undefined;
  /** A view of the whole memory; replaced when the memory grows. */
  f32: Float32Array;
  private top: number;
  private scratchBase = -1;

  private constructor(module: WasmModule, threads: number) {
    this.memory = new WA.Memory({ initial: 32, maximum: MAX_PAGES, shared: true });
    const instance = new WA.Instance(module, { env: { memory: this.memory } });
    const e = instance.exports as Record<string, unknown>;
    this.exports = e as unknown as WasmKernels['exports'];
    const kernels = KERNEL_NAMES.map((n) => e[n] as (...a: number[]) => void);
    this.threads = threads > 1 ? new KernelThreads(threads, module, this.memory, KERNEL_NAMES, kernels) : undefined;
    // Below __heap_base lie the kernels' stack and data.
    this.top = Math.ceil((e.__heap_base as { value: number }).value / 16) * 4;
    this.f32 = new Float32Array(this.memory.buffer);
  }

  private static module: WasmModule | undefined;
  /** Which build of kernels.c runs: 'relaxed' (fused multiply-adds where the machine has them) or 'simd'. */
  static build: 'relaxed' | 'simd' | undefined;

  /**
   * Kernels on `threads` threads (1: the calling thread only). Undefined where WebAssembly SIMD or
   * shared memory is not available (the caller keeps the scalar path).
   */
  static create(threads = 1): WasmKernels | undefined {
    let module: WasmModule;
    try {
      module = WasmKernels.module ??= WasmKernels.compile();
    } catch {
      return undefined;
    }
    return new WasmKernels(module, threads);
  }

  /**
   * The Relaxed SIMD build where this runtime takes it, else the SIMD one: a product's multiply-adds
   * fused cut the CPU's prefill time (bench/RESULTS.md, stop 55). Node 22 and later, and VS Code's
   * Electron, have Relaxed SIMD on; Node 20 has it behind a flag, set here (it only widens what
   * WebAssembly accepts). SAMBA_WASM_RELAXED=0 keeps the SIMD build (to compare the two).
   */
  private static compile(): WasmModule {
    const relaxed = Buffer.from(KERNELS_WASM_RELAXED, 'base64');
    if (process.env.SAMBA_WASM_RELAXED !== '0') {
      if (!WA.validate(relaxed)) {
        try {
          setFlagsFromString('--experimental-wasm-relaxed-simd');
        } catch {
          // A runtime without the flag: the SIMD build below.
        }
      }
      if (WA.validate(relaxed)) {
        WasmKernels.build = 'relaxed';
        return new WA.Module(relaxed);
      }
    }
    WasmKernels.build = 'simd';
    return new WA.Module(Buffer.from(KERNELS_WASM, 'base64'));
  }

  /** How many threads share the kernels' work. */
  get threadCount(): number {
    return this.threads?.count ?? 1;
  }

  private width = 0;

  /** How many of the threads the next calls use (a decode step's, StepWidth); 0: all of them. */
  useThreads(n: number): void {
    this.width = n >= this.threadCount ? 0 : Math.max(1, n);
  }

  /** The threads a call uses now. */
  private get using(): number {
    return this.width || this.threadCount;
  }

  /** Ends the helper threads; the kernels run on the calling thread from then on. */
  async dispose(): Promise<void> {
    const t = this.threads;
    this.threads = undefined;
    await t?.dispose();
  }

  /** `n` f32s, 16-byte aligned, for the engine's lifetime. Call before the first scratch(). */
  alloc(n: number): number {
    if (this.scratchBase >= 0) throw new Error('WasmKernels: alloc after scratch');
    return this.take(n);
  }

  /** Copies `data` into a new lifetime allocation. */
  put(data: ArrayLike<number>): number {
    const at = this.alloc(data.length);
    this.f32.set(data, at);
    return at;
  }

  /**
   * A weight matrix W[rows, cols] (a layer computes x W^T) copied into a new lifetime allocation as
   * gemmB reads it: B = W^T [cols x rows] in blocks of BLOCK columns, each block's rows one after the
   * other (kernels.c).
   */
  putWeights(w: Float32Array, rows: number, cols: number): number {
    const at = this.alloc(rows * cols);
    const f = this.f32;
    for (let n0 = 0; n0 < rows; n0 += BLOCK) {
      const width = Math.min(BLOCK, rows - n0);
      const base = at + n0 * cols;
      for (let n = 0; n < width; n++) {
        const src = (n0 + n) * cols;
        for (let k = 0; k < cols; k++) f[base + k * width + n] = w[src + k];
      }
    }
    return at;
  }

  private int8Works: boolean | undefined;

  /**
   * Whether the int8 products work here: the Relaxed SIMD build, on a runtime whose dot product
   * gives the exact sums. Checked, not assumed: Node 20's V8 (11.3, before Relaxed SIMD shipped)
   * computes something else, while Node 24's gives the sums (bench/RESULTS.md, stop 64).
   */
  get int8(): boolean {
    return (this.int8Works ??= typeof this.exports.gemmQ === 'function' && this.checkInt8());
  }

  /** gemmQ on 5 tokens (four at a time, then one) by 16 columns of random bytes, unit scales: each output an exact integer. */
  private checkInt8(): boolean {
    const T = 5, K = 32, N = 16;
    const saved = this.top; // above the arenas: given back below
    const a = this.take((T * K) / 4), scale = this.take(T), sum = this.take(T), u = this.take((N * K) / 4), ws = this.take(N), y = this.take(T * N);
    const bytes = new Int8Array(this.memory.buffer);
    const i32 = new Int32Array(this.memory.buffer);
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 8;
    for (let i = 0; i < T * K; i++) bytes[a * 4 + i] = (next() % 255) - 127;
    for (let i = 0; i < N * K; i++) bytes[u * 4 + i] = 1 + (next() % 127);
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += bytes[a * 4 + t * K + k];
      i32[sum + t] = s;
      this.f32[scale + t] = 1;
    }
    this.f32.fill(1, ws, ws + N);
    this.exports.gemmQ!(T, K, N, a * 4, scale * 4, sum * 4, u * 4, ws * 4, y * 4, N, 0);
    let exact = true;
    for (let t = 0; t < T; t++)
      for (let n = 0; n < N; n++) {
        let want = 0;
        // Column n's bytes for k: its block's group k / 4, at (n % 16) * 4 + k % 4.
        for (let k = 0; k < K; k++) want += bytes[a * 4 + t * K + k] * (bytes[u * 4 + (k >> 2) * 64 + n * 4 + (k & 3)] - 64);
        if (this.f32[y + t * N + n] !== want) exact = false;
      }
    this.top = saved;
    return exact;
  }

  /**
   * A weight matrix W[rows, cols] (rows a multiple of 16, cols of 4) as gemmQ reads it, in a new
   * lifetime allocation: row n scaled by r = max|W[n]| / 63 and rounded, plus 64 (kernels.c), in
   * blocks of 16 rows, each block cols / 4 groups of 64 bytes (4 rows' 4 bytes, four times).
   */
  putWeightsQ(w: Float32Array, rows: number, cols: number): QuantizedWeights {
    if (rows % BLOCK || cols % 4) throw new Error(`putWeightsQ: ${rows} x ${cols}`);
    const scales = new Float32Array(rows);
    const bytes = new Uint8Array(rows * cols);
    for (let n = 0; n < rows; n++) {
      let max = 0;
      for (let k = 0; k < cols; k++) max = Math.max(max, Math.abs(w[n * cols + k]));
      const r = max / 63;
      scales[n] = r;
      const base = (n - (n % BLOCK)) * cols + (n % BLOCK) * 4;
      for (let k = 0; k < cols; k++) bytes[base + (k >> 2) * 64 + (k & 3)] = (r > 0 ? Math.round(w[n * cols + k] / r) : 0) + 64;
    }
    const u = this.alloc(Math.ceil((rows * cols) / 4));
    new Uint8Array(this.memory.buffer).set(bytes, u * 4);
    return { u, scales: this.put(scales), rows, cols };
  }

  /** T rows of x (`xs` apart, K a multiple of 4) as int8 rows of K bytes at `a`, their scales and sums (kernels.c). */
  quantizeRows(T: number, K: number, x: number, xs: number, q: QuantizedRows): void {
    this.exports.quantizeRows!(T, K, x * 4, xs, q.a * 4, q.scale * 4, q.sum * 4);
  }

  /** What quantizeRows(x) into `q` left, quantized into `rest` (kernels.c): a second product over it adds what the first missed. */
  quantizeRest(T: number, K: number, x: number, xs: number, q: QuantizedRows, rest: QuantizedRows): void {
    this.exports.quantizeRest!(T, K, x * 4, xs, q.a * 4, q.scale * 4, rest.a * 4, rest.scale * 4, rest.sum * 4);
  }

  /** y[T x N] (+)= the int8 product of quantizeRows' rows and putWeightsQ's matrix (N = its rows). */
  gemmQuantized(T: number, w: QuantizedWeights, q: QuantizedRows, y: number, ys: number, accumulate: boolean): void {
    const K = w.cols, acc = accumulate ? 1 : 0;
    this.split('gemmQ', T * K * w.rows, w.rows, BLOCK, (n0, n1) => [T, K, n1 - n0, q.a * 4, q.scale * 4, q.sum * 4, w.u * 4 + n0 * K, (w.scales + n0) * 4, (y + n0) * 4, ys, acc]);
  }

  /** gateUp from int8 products: g and u [T x F] from quantizeRows' rows and two putWeightsQ matrices (F rows each). */
  gateUpQuantized(T: number, q: QuantizedRows, wg: QuantizedWeights, wu: QuantizedWeights, g: number, u: number): void {
    const K = wg.cols, F = wg.rows;
    this.split('gateUpQ', 2 * T * K * F, F, BLOCK, (f0, f1) => [T, K, F, f0, f1, q.a * 4, q.scale * 4, q.sum * 4, wg.u * 4, wg.scales * 4, wu.u * 4, wu.scales * 4, g * 4, u * 4]);
  }

  /** Starts a new scratch arena: allocations from scratchAlloc() until the next reset. */
  resetScratch(): void {
    if (this.scratchBase < 0) this.scratchBase = this.top;
    this.top = this.scratchBase;
  }

  scratchAlloc(n: number): number {
    if (this.scratchBase < 0) this.resetScratch();
    return this.take(n);
  }

  private take(n: number): number {
    const at = this.top;
    this.top += Math.ceil(n / 4) * 4;
    const need = this.top * 4 - this.memory.buffer.byteLength;
    if (need > 0) {
      this.memory.grow(Math.ceil(need / 65536));
      this.f32 = new Float32Array(this.memory.buffer);
    }
    return at;
  }

  /**
   * Runs `name` on the threads, one slice of [0, n) on multiples of `align` each (`args` gives a
   * slice's arguments), or whole on this thread when the work is small or there are no helpers.
   */
  private split(name: (typeof KERNEL_NAMES)[number], work: number, n: number, align: number, args: (from: number, to: number) => number[]): void {
    const t = this.threads;
    const using = this.using;
    if (!t || using === 1 || work < MIN_SPLIT_WORK || n < 2 * align) {
      (this.exports[name] as (...a: number[]) => void)(...args(0, n));
      return;
    }
    t.run(name, slices(n, using * PIECES_PER_THREAD, align).map(([from, to]) => args(from, to)), using - 1);
  }

  /** y[T x N] (+)= x[T x K] . b, b a weight matrix [K x N] from putWeights(). */
  gemmWeights(T: number, K: number, N: number, x: number, xs: number, b: number, y: number, ys: number, accumulate: boolean): void {
    const acc = accumulate ? 1 : 0;
    // Whole blocks of columns when there are enough (each thread streams only its part of b), else rows.
    if (N >= BLOCK * this.using || T < 8) this.split('gemmB', T * K * N, N, BLOCK, (n0, n1) => [T, K, n1 - n0, x * 4, xs, (b + n0 * K) * 4, (y + n0) * 4, ys, acc]);
    else this.split('gemmB', T * K * N, T, 4, (t0, t1) => [t1 - t0, K, N, (x + t0 * xs) * 4, xs, b * 4, (y + t0 * ys) * 4, ys, acc]);
  }

  /** The selective scan; A and h transposed ([N, Di]); Di a multiple of 4. See kernels.c. */
  scan(T: number, Di: number, N: number, a: { dtRaw: number; dtBias: number; AT: number; B: number; C: number; bs: number; x: number; D: number; z: number; zs: number; hT: number; y: number }): void {
    this.split('scan', 8 * T * Di * N, Di, 4, (c0, c1) => [T, Di, c0, c1, N, a.dtRaw * 4, a.dtBias * 4, a.AT * 4, a.B * 4, a.C * 4, a.bs, a.x * 4, a.D * 4, a.z * 4, a.zs, a.hT * 4, a.y * 4]);
  }

  /** SwiGLU's gate: g[T x F] = silu(x . bg) * (x . bu), bg and bu [K x F] from putWeights(); F a multiple of 4. */
  gateUp(T: number, K: number, F: number, x: number, xs: number, bg: number, bu: number, g: number, u: number): void {
    this.split('gateUp', 2 * T * K * F, F, BLOCK, (f0, f1) => [T, K, F, f0, f1, x * 4, xs, bg * 4, bu * 4, g * 4, u * 4]);
  }

  /** Mamba's causal conv + silu over [hist (K-1 rows), x rows]; wT [K, Di]; Di a multiple of 4. */
  convSilu(T: number, Di: number, K: number, hist: number, x: number, xs: number, wT: number, bias: number, out: number): void {
    this.split('convSilu', T * Di * (K + 8), Di, 4, (c0, c1) => [T, Di, c0, c1, K, hist * 4, x * 4, xs, wT * 4, bias * 4, out * 4]);
  }

  /** RMSNorm of T rows of width d (see kernels.c), on this thread: it is small. */
  rmsNorm(T: number, d: number, x: number, out: number, w: number, eps: number): void {
    this.exports.rmsNorm(T, d, x * 4, out * 4, w * 4, eps);
  }

  /**
   * Keys (transposed, kt: G groups of [hd x L]) and values (v: G of [L x hd]), in blocks of 16 columns (kernels.c), from nOld rows
   * [nOld x G*hd] before the chunk, then L - nOld rows `ns` apart.
   */
  gatherKV(L: number, nOld: number, G: number, hd: number, a: { kOld: number; vOld: number; kNew: number; vNew: number; ns: number; kt: number; v: number }): void {
    this.exports.gatherKV(L, nOld, G, hd, a.kOld * 4, a.vOld * 4, a.kNew * 4, a.vNew * 4, a.ns, a.kt * 4, a.v * 4);
  }

  /**
   * The attention of a few rows (T < 8: a decode step) from the keys' and values' rows as they lie
   * (kernels.c attendRows): nOld rows of a ring of `cap` slots (G * hd apart) from slot `first`,
   * then the chunk's at kNew / vNew (`ns` apart). s: [H x T x L] scratch. Threads share the heads;
   * hd a multiple of 4.
   */
  attendRows(T: number, H: number, G: number, hd: number, L: number, nOld: number, a: { q: number; qs: number; kRing: number; vRing: number; cap: number; first: number; kNew: number; vNew: number; ns: number; s: number; o: number; os: number; scale: number; lo: number; hi: number }): void {
    this.split('attendRows', 2 * T * H * L * hd, H, 1, (h0, h1) => [T, h0, h1, H, G, hd, L, nOld, a.q * 4, a.qs, a.kRing * 4, a.vRing * 4, a.cap, a.first, a.kNew * 4, a.vNew * 4, a.ns, a.s * 4, T * L, a.o * 4, a.os, a.scale, a.lo, a.hi]);
  }

  /** Scratch for a chunk's int8 attention (T rows, L keys, G groups of hd; hd a multiple of 16): see QuantizedAttention. */
  attentionScratch(T: number, G: number, hd: number, L: number): QuantizedAttention {
    const Lk = Math.ceil(L / 16) * 16, Lv = Math.ceil(L / 4) * 4;
    const bytes = (n: number) => this.scratchAlloc(Math.ceil(n / 4));
    return {
      ku: bytes(G * Lk * hd), ks: this.scratchAlloc(G * Lk), vu: bytes(G * hd * Lv), vs: this.scratchAlloc(G * hd), vsum: this.scratchAlloc(G * hd),
      s: this.scratchAlloc(T * Lk), qa: bytes(T * hd), qscale: this.scratchAlloc(T), qsum: this.scratchAlloc(T), pa: bytes(T * Lv), pscale: this.scratchAlloc(T), psum: this.scratchAlloc(T),
    };
  }

  /** gatherKV's int8 counterpart (kernels.c gatherKVQ), into `q`'s keys and values; on this thread. */
  gatherKVQuantized(L: number, nOld: number, G: number, hd: number, a: { kOld: number; vOld: number; kNew: number; vNew: number; ns: number }, q: QuantizedAttention): void {
    this.exports.gatherKVQ!(L, nOld, G, hd, a.kOld * 4, a.vOld * 4, a.kNew * 4, a.vNew * 4, a.ns, q.ku * 4, q.ks * 4, q.vu * 4, q.vs * 4, q.vsum * 4);
  }

  /** attend in int8 (kernels.c attendQ) over gatherKVQuantized's keys and values; threads share the rows. */
  attendQuantized(T: number, H: number, G: number, hd: number, L: number, a: { q: number; qs: number; o: number; os: number; scale: number; lo: number; hi: number }, q: QuantizedAttention): void {
    this.split('attendQ', 2 * T * H * L * hd, T, 4, (t0, t1) => [t0, t1, H, G, hd, L, a.q * 4, a.qs, q.ku * 4, q.ks * 4, q.vu * 4, q.vs * 4, q.vsum * 4, q.s * 4, q.qa * 4, q.qscale * 4, q.qsum * 4, q.pa * 4, q.pscale * 4, q.psum * 4, a.o * 4, a.os, a.scale, a.lo, a.hi]);
  }

  /**
   * Sliding-window attention of a chunk's T query rows (q rows `qs` apart, H heads) over L keys and
   * values (kt: G groups of [hd x L] from gatherKV, v: G of [L x hd]); row i sees columns
   * [lo + i, hi + i). s: [T x L] scratch; o: rows `os` apart. Threads share the rows; a few rows (a
   * decode step) take attendRows.
   */
  attend(T: number, H: number, G: number, hd: number, L: number, a: { q: number; qs: number; kt: number; v: number; s: number; o: number; os: number; scale: number; lo: number; hi: number }): void {
    this.split('attend', 2 * T * H * L * hd, T, 4, (t0, t1) => [t0, t1, H, G, hd, L, a.q * 4, a.qs, a.kt * 4, a.v * 4, a.s * 4, a.o * 4, a.os, a.scale, a.lo, a.hi]);
  }


}
