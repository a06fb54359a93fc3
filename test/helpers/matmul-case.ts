// One prompt-matmul test case on the GPU: W, x, bias and the starting y uploaded, and the host's
// product of what the kernel must multiply (shared by the f32/f16 kernels' and the tensor-core
// kernel's tests).
import { floatToHalf, createBuffer, uploadF32, uploadWeight, type GpuWeight } from '../../src/gpu/tensor';
import type { WeightDtype } from '../../src/gpu/kernels';
import { int8Values } from '../../src/model/quantize';
import { halfToFloat } from '../../src/model/safetensors';
import type { Tensor } from '../../src/model/weights';

export interface MatmulCase {
  readonly rows: number;
  readonly cols: number;
  readonly T: number;
  readonly xStride?: number;
  readonly xOff?: number;
  readonly accumulate?: boolean;
  readonly bias?: boolean;
  readonly dtype: WeightDtype;
  readonly maxBinding?: number;
}

export function values(n: number, seed: number, scale: number): Float32Array {
  return new Float32Array(n).map((_, i) => Math.sin(i * 0.731 + seed) * scale * (1 + ((i * 7) % 5) / 5));
}

export const f16 = (v: number) => halfToFloat(floatToHalf(v));

/** The weights as the GPU stores them; `half`: then rounded to f16, as the tensor-core kernel does. */
function stored(t: Tensor, dtype: WeightDtype, half: boolean): Float32Array {
  const v = dtype === 'f32' ? t.data : dtype === 'i8' ? int8Values(t).data : t.data.map(f16);
  return half ? v.map(f16) : v;
}

/**
 * Uploads the case and computes `want` = x W^T (+ bias) (+ y0) on the host, from the stored weights
 * and, with `half`, x rounded to f16. `scale`: the largest |want|.
 */
export function matmulCase(device: GPUDevice, cs: MatmulCase, maxBinding: number, half = false) {
  const { rows, cols, T, dtype } = cs;
  const xStride = cs.xStride ?? cols;
  const xOff = cs.xOff ?? 0;
  const w: Tensor = { name: 'w', shape: [rows, cols], data: values(rows * cols, 1, 0.3), sourceDtype: 'F32' };
  const W: GpuWeight = uploadWeight(device, 'w', [w], [[rows, cols]], dtype, cs.maxBinding ?? maxBinding);
  const wv = stored(w, dtype, half);
  const xData = values(T * xStride, 2, 1.5);
  const x = createBuffer(device, xData.byteLength, 'x');
  device.queue.writeBuffer(x, 0, xData);
  const biasData = values(rows, 3, 0.5);
  const bias = cs.bias ? uploadF32(device, { name: 'bias', shape: [rows], data: biasData }, [rows]) : undefined;
  const y0 = values(T * rows, 4, 0.7);
  const want = new Float32Array(T * rows);
  let scale = 0;
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let k = 0; k < cols; k++) {
        const xv = xData[t * xStride + xOff + k];
        s += wv[r * cols + k] * (half ? f16(xv) : xv);
      }
      if (bias) s += biasData[r];
      if (cs.accumulate) s += y0[t * rows + r];
      want[t * rows + r] = s;
      scale = Math.max(scale, Math.abs(s));
    }
  }
  return { W, x, bias, y0, want, scale, xStride, xOff };
}
