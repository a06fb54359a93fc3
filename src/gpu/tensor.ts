import { SambaError } from '../model/errors';
import type { Tensor } from '../model/weights';
import type { WeightDtype } from './kernels';
import { track } from './memory';
import { GROUP, quantizeRow } from '../model/quantize';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** f32 -> IEEE half bits, round to nearest even (overflow to inf, subnormals kept). */
export function floatToHalf(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

/** A device buffer with the shape it was checked against. */
export interface GpuTensor {
  readonly buffer: GPUBuffer;
  readonly shape: readonly number[];
}

export function createBuffer(device: GPUDevice, bytes: number, label: string, usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST): GPUBuffer {
  // Bindings need a non-zero size, a multiple of 4.
  return track(device, device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage }));
}

/**
 * Submits a copy of `count` floats of `src` and reads them back, on a bare device (benches and
 * tests; the engine reads through DeviceWatch.read, which also reports a lost device).
 */
export async function readFloats(device: GPUDevice, src: GPUBuffer, count: number): Promise<Float32Array> {
  const staging = createBuffer(device, count * 4, 'read-back', GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, count * 4);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0, count * 4));
  staging.destroy();
  return out;
}

/** An f32 tensor (norms, biases, conv, A, D: small, always full precision). */
export function uploadF32(device: GPUDevice, t: { name: string; shape: readonly number[]; data: Float32Array }, shape: readonly number[]): GpuTensor {
  checkShape(t.name, t.shape, shape);
  const buffer = createBuffer(device, t.data.byteLength, t.name);
  device.queue.writeBuffer(buffer, 0, t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return { buffer, shape };
}

export function checkShape(name: string, actual: readonly number[], expected: readonly number[]): void {
  if (actual.length !== expected.length || actual.some((n, i) => n !== expected[i])) {
    throw new SambaError('tensor-shape', `GPU engine: tensor "${name}" has shape [${actual.join(', ')}], expected [${expected.join(', ')}].`);
  }
}

/** One row block of a weight matrix: rows [rowStart, rowStart + rows). */
export interface WeightBlock {
  readonly buffer: GPUBuffer;
  /** int8 storage: the block's scales, [rows, pairs / 16] (one per 32 weights). */
  readonly scales?: GPUBuffer;
  readonly rowStart: number;
  readonly rows: number;
}

/**
 * A weight matrix [rows, cols] in storage dtype `dtype`, each row padded to a multiple of 8
 * elements (32 for int8) and `pairs` two-element units long (vec2<f32>, two f16 in a u32, or half
 * of a u32 of four int8). Split into row blocks when it exceeds the binding limit (large vocabularies).
 */
export interface GpuWeight {
  readonly name: string;
  readonly dtype: WeightDtype;
  readonly rows: number;
  readonly cols: number;
  readonly pairs: number;
  readonly blocks: readonly WeightBlock[];
}

/**
 * Uploads `parts` stacked along rows (e.g. gate and up as one [2F, d] matrix), all with `cols`
 * columns, converting to `dtype`.
 */
export function uploadWeight(device: GPUDevice, name: string, parts: readonly Tensor[], expected: readonly (readonly number[])[], dtype: WeightDtype, maxBinding: number): GpuWeight {
  parts.forEach((p, i) => checkShape(p.name, p.shape, expected[i]));
  const cols = parts[0].shape[1];
  const rows = parts.reduce((n, p) => n + p.shape[0], 0);
  const pairs = dtype === 'i8' ? Math.ceil(cols / GROUP) * (GROUP / 2) : Math.ceil(cols / 8) * 4; // whole quads of 8 elements (the decoding matvec's loads)
  const pairBytes = dtype === 'f32' ? 8 : dtype === 'f16' ? 4 : 2;
  const rowBytes = pairs * pairBytes;
  const scaleBytes = dtype === 'i8' ? ((2 * pairs) / GROUP) * 4 : 0;
  const perBlock = Math.floor(maxBinding / rowBytes);
  if (perBlock < 1) throw new SambaError('gpu', `Tensor "${name}": one row (${rowBytes} bytes) exceeds the GPU's storage binding limit (${maxBinding} bytes).`);
  // Row r of the stacked parts: its values, or the file's f16 bits for them (Tensor.half).
  const rowOf = <T extends Float32Array | Uint16Array>(r: number, of: (p: Tensor) => T): T => {
    for (const p of parts) {
      if (r < p.shape[0]) return of(p).subarray(r * cols, (r + 1) * cols) as T;
      r -= p.shape[0];
    }
    throw new Error('unreachable');
  };
  const rowAt = (r: number) => rowOf(r, (p) => p.data);
  const halfRowAt = (r: number) => rowOf(r, (p) => p.half!);
  const halves = dtype === 'f16' && parts.every((p) => p.half);
  const blocks: WeightBlock[] = [];
  for (let r0 = 0; r0 < rows; r0 += perBlock) {
    const n = Math.min(perBlock, rows - r0);
    const buffer = createBuffer(device, n * rowBytes, `${name}[${r0}:${r0 + n}]`, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    const scales = scaleBytes ? createBuffer(device, n * scaleBytes, `${name}[${r0}:${r0 + n}].scales`, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST) : undefined;
    // Convert and upload in slabs of rows so a big matrix never needs a second full host copy.
    const slabRows = Math.max(1, Math.min(n, Math.floor((16 << 20) / rowBytes)));
    for (let s = 0; s < n; s += slabRows) {
      const m = Math.min(slabRows, n - s);
      const out = new ArrayBuffer(m * rowBytes);
      if (dtype === 'f32') {
        const o = new Float32Array(out);
        for (let i = 0; i < m; i++) o.set(rowAt(r0 + s + i), i * pairs * 2);
      } else if (dtype === 'i8') {
        const sc = new Float32Array((m * scaleBytes) / 4);
        const per = scaleBytes / 4;
        for (let i = 0; i < m; i++) quantizeRow(rowAt(r0 + s + i), cols, new Int8Array(out, i * rowBytes, rowBytes), sc.subarray(i * per, (i + 1) * per));
        device.queue.writeBuffer(scales!, s * scaleBytes, sc);
      } else if (halves) {
        // The file's f16 bits, row by row: what converting `data` back would give, at copying speed.
        const o = new Uint16Array(out);
        for (let i = 0; i < m; i++) o.set(halfRowAt(r0 + s + i), i * pairs * 2);
      } else {
        const o = new Uint32Array(out);
        for (let i = 0; i < m; i++) {
          const row = rowAt(r0 + s + i);
          for (let k = 0; k < pairs; k++) {
            const lo = 2 * k < cols ? floatToHalf(row[2 * k]) : 0;
            const hi = 2 * k + 1 < cols ? floatToHalf(row[2 * k + 1]) : 0;
            o[i * pairs + k] = (lo | (hi << 16)) >>> 0;
          }
        }
      }
      device.queue.writeBuffer(buffer, s * rowBytes, out);
    }
    blocks.push({ buffer, scales, rowStart: r0, rows: n });
  }
  return { name, dtype, rows, cols, pairs, blocks };
}
