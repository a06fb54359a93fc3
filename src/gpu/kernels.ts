import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { packagePath } from '../package-files';

/** How the GPU stores a weight matrix: f32, f16, or int8 with a scale per 32 weights (src/model/quantize.ts). */
export type WeightDtype = 'f32' | 'f16' | 'i8';

/** The `kernels/` folder of the package. */
export function findKernelDir(): string {
  return packagePath('kernels');
}

const texts = new Map<string, string>();

function kernelText(name: string): string {
  let t = texts.get(name);
  if (t === undefined) {
    t = readFileSync(path.join(findKernelDir(), `${name}.wgsl`), 'utf8');
    texts.set(name, t);
  }
  return t;
}

/** Kernels that read weights get the weight preamble of the engine's storage dtype. */
const READS_WEIGHTS = new Set(['embed', 'matvec', 'linear_tiled', 'matmul_f32', 'matmul_f16', 'matmul_sgmat', 'scan_step']);
/** Kernels that read int8 weights, and the binding each gives the int8 preamble's scales (Ws). */
const SCALE_BINDING: Record<string, number> = { matvec: 9, linear_tiled: 5, matmul_f32: 5, matmul_f16: 5, matmul_sgmat: 5 };
/** Kernels with f16 arithmetic (the device has shader-f16): the module starts with `enable f16;`. */
const USES_F16 = new Set(['matmul_f16', 'matmul_sgmat']);
/** Kernels on subgroup matrices (the device has chromium-experimental-subgroup-matrix). */
const USES_SUBGROUP_MATRIX = new Set(['matmul_sgmat']);
/** Kernels that use the shared pointwise functions (silu, softplus, RoPE's cos/sin). */
const USES_ACTIVATIONS = new Set(['conv1d', 'conv_step', 'scan', 'scan_step', 'swiglu', 'matvec', 'rope']);

/**
 * WGSL of kernel `name`: per-dtype weight preamble + shared activations + the kernel, with
 * `__NAME__` placeholders replaced from `consts`.
 */
export function composeKernel(name: string, dtype: WeightDtype, consts: Record<string, number> = {}): string {
  const parts: string[] = [];
  if (USES_F16.has(name)) parts.push('enable f16;');
  if (USES_SUBGROUP_MATRIX.has(name)) parts.push('enable subgroups;\nenable chromium_experimental_subgroup_matrix;');
  if (READS_WEIGHTS.has(name)) {
    if (dtype === 'i8' && SCALE_BINDING[name] === undefined) throw new Error(`composeKernel: ${name} does not read int8 weights`);
    parts.push(kernelText(`weights_${dtype}`).replace('__WSB__', String(SCALE_BINDING[name])));
  }
  if (USES_ACTIVATIONS.has(name)) parts.push(kernelText('activations'));
  parts.push(kernelText(name));
  let text = parts.join('\n');
  for (const [k, v] of Object.entries(consts)) text = text.split(`__${k}__`).join(String(v));
  return unrollLoops(text, consts);
}

const UNROLL = /^([ \t]*)for \(var (\w+) = 0u; \2 < (\w+); \2\+\+\) \{ \/\/ unroll$/m;

/**
 * With consts.UNROLL = 1, each loop written `for (var i = 0u; i < C; i++) { // unroll` (C a name
 * in consts) is repeated C times with i a literal, so arrays of subgroup matrices are indexed by
 * constants only (a loop-indexed array may live in slow local memory); else the loops stay.
 */
export function unrollLoops(text: string, consts: Record<string, number>): string {
  if (!consts.UNROLL) return text;
  for (let m = UNROLL.exec(text); m; m = UNROLL.exec(text)) {
    const [head, indent, v, bound] = m;
    const n = consts[bound];
    if (n === undefined) throw new Error(`unrollLoops: the bound ${bound} is not a constant of the kernel`);
    const open = m.index + head.length;
    let depth = 1;
    let i = open;
    for (; depth > 0 && i < text.length; i++) depth += text[i] === '{' ? 1 : text[i] === '}' ? -1 : 0;
    if (depth) throw new Error(`unrollLoops: the loop over ${v} is not closed`);
    const body = text.slice(open, i - 1);
    const copies = Array.from({ length: n }, (_, k) => `${indent}{${body.replace(new RegExp(`\\b${v}\\b`, 'g'), `${k}u`)}}`);
    text = text.slice(0, m.index) + copies.join('\n') + text.slice(i);
  }
  return text;
}

/** One kernel with its constants, reading weights stored as `dtype` (default: the cache's). */
export interface KernelRequest {
  readonly name: string;
  readonly consts?: Record<string, number>;
  readonly dtype?: WeightDtype;
}

/** Compute pipelines by kernel text, one entry point `main`, layouts inferred. */
export class PipelineCache {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  constructor(
    readonly device: GPUDevice,
    readonly dtype: WeightDtype,
  ) {}

  /** Kernel `name` with `consts`, reading weights stored as `dtype` (default: the cache's). */
  get(name: string, consts: Record<string, number> = {}, dtype: WeightDtype = this.dtype): GPUComputePipeline {
    const key = this.key(name, consts, dtype);
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ label: name, code: composeKernel(name, dtype, consts) });
      p = this.device.createComputePipeline({ label: name, layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(key, p);
    }
    return p;
  }

  /**
   * Compiles the kernels not cached yet all at once, asynchronously: Dawn compiles them on its worker
   * threads (the default model's 21 kernels on lavapipe, 2 cores: 282-286 ms one after another,
   * 195-201 together; bench/pipeline-compile.ts). A kernel that does not compile rejects with its name.
   */
  async compile(kernels: readonly KernelRequest[]): Promise<void> {
    const todo = new Map<string, KernelRequest>();
    for (const k of kernels) {
      const key = this.key(k.name, k.consts ?? {}, k.dtype ?? this.dtype);
      if (!this.pipelines.has(key)) todo.set(key, k);
    }
    await Promise.all(
      [...todo].map(async ([key, { name, consts = {}, dtype = this.dtype }]) => {
        const module = this.device.createShaderModule({ label: name, code: composeKernel(name, dtype, consts) });
        try {
          this.pipelines.set(key, await this.device.createComputePipelineAsync({ label: name, layout: 'auto', compute: { module, entryPoint: 'main' } }));
        } catch (e) {
          throw new Error(`kernel ${name} (${dtype}) did not compile: ${((e as Error)?.message ?? String(e)).split('\n')[0]}`);
        }
      }),
    );
  }

  /**
   * Compiles kernel `name` as get() does, but reports a shader or pipeline error instead of raising
   * it on the device: for optional kernels (experimental features) that have a fallback. Returns the
   * error's first line, or undefined once the pipeline is cached.
   */
  async tryCompile(name: string, consts: Record<string, number> = {}, dtype: WeightDtype = this.dtype): Promise<string | undefined> {
    const key = this.key(name, consts, dtype);
    if (this.pipelines.has(key)) return undefined;
    this.device.pushErrorScope('internal');
    this.device.pushErrorScope('validation');
    let thrown: string | undefined;
    try {
      const module = this.device.createShaderModule({ label: name, code: composeKernel(name, dtype, consts) });
      const p = await this.device.createComputePipelineAsync({ label: name, layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(key, p);
    } catch (e) {
      thrown = String((e as Error)?.message ?? e);
    }
    const invalid = await this.device.popErrorScope();
    const internal = await this.device.popErrorScope();
    const err = invalid?.message ?? internal?.message ?? thrown; // the shader's own error before the pipeline's
    if (err !== undefined) this.pipelines.delete(key);
    return err?.split('\n').find((l) => l.trim()) ?? err;
  }

  private key(name: string, consts: Record<string, number>, dtype: WeightDtype): string {
    let key = `${name}:${dtype}`;
    for (const k in consts) key += `:${consts[k]}`; // per dispatch: cheaper than JSON
    return key;
  }
}
