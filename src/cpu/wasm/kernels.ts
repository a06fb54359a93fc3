import { KERNELS_WASM } from './kernels-wasm';

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
    Memory: new (d: { initial: number }) => WasmMemory;
    Module: new (bytes: Uint8Array) => WasmModule;
    Instance: new (m: WasmModule, imports: object) => { exports: Record<string, unknown> };
  };
}).WebAssembly;

/**
 * The WebAssembly SIMD kernels of kernels.c over one memory: a bump arena for what lives as long as
 * the engine (packed weights) and a scratch arena reset for every chunk of tokens. Offsets are in
 * f32 elements; the kernels take bytes, which the wrappers convert.
 */
export class WasmKernels {
  private readonly memory: WasmMemory;
  private readonly exports: {
    gemm(T: number, K: number, N: number, x: number, xs: number, b: number, y: number, ys: number, acc: number): void;
    scan(T: number, Di: number, N: number, dtRaw: number, dtBias: number, A: number, B: number, C: number, bs: number, x: number, D: number, z: number, zs: number, h: number, y: number): void;
    softmaxBand(T: number, L: number, S: number, scale: number, lo: number, hi: number): void;
    siluMul(n: number, g: number, u: number): void;
    convSilu(T: number, Di: number, K: number, hist: number, x: number, xs: number, wT: number, bias: number, out: number): void;
  };
  /** A view of the whole memory; replaced when the memory grows. */
  f32: Float32Array;
  private top: number;
  private scratchBase = -1;

  private constructor(module: WasmModule) {
    this.memory = new WA.Memory({ initial: 32 });
    const instance = new WA.Instance(module, { env: { memory: this.memory } });
    const e = instance.exports as Record<string, unknown>;
    this.exports = e as unknown as WasmKernels['exports'];
    // Below __heap_base lie the kernels' stack and data.
    this.top = Math.ceil((e.__heap_base as { value: number }).value / 16) * 4;
    this.f32 = new Float32Array(this.memory.buffer);
  }

  private static module: WasmModule | undefined;

  /** Undefined where WebAssembly SIMD is not available (the caller keeps the scalar path). */
  static create(): WasmKernels | undefined {
    try {
      const module = (WasmKernels.module ??= new WA.Module(Buffer.from(KERNELS_WASM, 'base64')));
      return new WasmKernels(module);
    } catch {
      return undefined;
    }
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

  /** y[T x N] (+)= x[T x K] . b[K x N]; x rows `xs` apart, y rows `ys` apart. */
  gemm(T: number, K: number, N: number, x: number, xs: number, b: number, y: number, ys: number, accumulate: boolean): void {
    this.exports.gemm(T, K, N, x * 4, xs, b * 4, y * 4, ys, accumulate ? 1 : 0);
  }

  /** The selective scan; A and h transposed ([N, Di]); Di a multiple of 4. See kernels.c. */
  scan(T: number, Di: number, N: number, a: { dtRaw: number; dtBias: number; AT: number; B: number; C: number; bs: number; x: number; D: number; z: number; zs: number; hT: number; y: number }): void {
    this.exports.scan(T, Di, N, a.dtRaw * 4, a.dtBias * 4, a.AT * 4, a.B * 4, a.C * 4, a.bs, a.x * 4, a.D * 4, a.z * 4, a.zs, a.hT * 4, a.y * 4);
  }

  /** g[i] = silu(g[i]) * u[i], n a multiple of 4. */
  siluMul(n: number, g: number, u: number): void {
    this.exports.siluMul(n, g * 4, u * 4);
  }

  /** Mamba's causal conv + silu over [hist (K-1 rows), x rows]; wT [K, Di]; Di a multiple of 4. */
  convSilu(T: number, Di: number, K: number, hist: number, x: number, xs: number, wT: number, bias: number, out: number): void {
    this.exports.convSilu(T, Di, K, hist * 4, x * 4, xs, wT * 4, bias * 4, out * 4);
  }

  /** Scaled softmax of each row i of s[T x L] over columns [lo + i, hi + i); the rest become 0. */
  softmaxBand(T: number, L: number, s: number, scale: number, lo: number, hi: number): void {
    this.exports.softmaxBand(T, L, s * 4, scale, lo, hi);
  }
}
