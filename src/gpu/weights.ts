import type { Model, Tensor } from '../model/weights';
import type { WeightDtype } from './kernels';
import { uploadF32, uploadWeight, type GpuTensor, type GpuWeight } from './tensor';

/**
 * The model's weights on the device. Matrices are in the engine's storage dtype; the embedding
 * and dt_proj, read by kernels of their own, stay f16 under int8 (see src/model/quantize.ts).
 */
export type MambaLayer = {
  kind: 'mamba';
  norm1: GpuTensor;
  inProj: GpuWeight;
  inProjBias?: GpuTensor;
  /** Conv weights [Di, K], then the bias [Di] (zeros if the model has none). */
  conv: GpuTensor;
  xProj: GpuWeight;
  dtProj: GpuWeight;
  dtBias: GpuTensor;
  /** -exp(A_log) [Di, N]. */
  A: GpuTensor;
  D: GpuTensor;
  outProj: GpuWeight;
  outProjBias?: GpuTensor;
};
export type AttnLayer = { kind: 'attention'; norm1: GpuTensor; qkv: GpuWeight; out: GpuWeight };
/** gate and up stacked: one projection gives [T, 2F]. */
export type Mlp = { norm2: GpuTensor; gateUp: GpuWeight; down: GpuWeight };
export type Layer = (MambaLayer | AttnLayer) & { mlp?: Mlp };

export interface GpuModel {
  readonly embed: GpuWeight;
  readonly lmHead: GpuWeight;
  readonly normF: GpuTensor;
  /** RoPE's inverse frequencies [hd / 2] (models with attention). */
  readonly invFreq?: GpuTensor;
  readonly layers: readonly Layer[];
  /** vec4s of the widest matrix input: the decoding matvec holds one input row in workgroup memory. */
  readonly widestInputVec4s: number;
}

/** Uploads every weight of `model`, checking each shape; matrices wider than `maxBinding` split into row blocks. */
export function uploadModel(device: GPUDevice, model: Model, dtype: WeightDtype, maxBinding: number): GpuModel {
  const c = model.config;
  const w = model.weights;
  const d = c.dModel;
  let widest = 0;
  const unscaled = dtype === 'i8' ? 'f16' : dtype;
  const weight = (name: string, parts: Tensor[], shapes: number[][], dt: WeightDtype = dtype): GpuWeight => {
    const W = uploadWeight(device, name, parts, shapes, dt, maxBinding);
    widest = Math.max(widest, W.pairs / 2);
    return W;
  };
  const f32 = (t: Parameters<typeof uploadF32>[1], shape: number[]) => uploadF32(device, t, shape);
  const embed = weight('embed', [w.embed], [[c.vocabSize, d]], unscaled);
  const lmHead = w.lmHead === w.embed ? embed : weight('lm_head', [w.lmHead], [[c.vocabSize, d]]);
  const normF = f32(w.normF, [d]);
  let invFreq: GpuTensor | undefined;
  if (c.mixers.includes('attention')) {
    // PyTorch: 1 / base ** (arange(0, hd, 2) / hd) in f32.
    const half = c.headDim / 2;
    const inv = new Float32Array(half);
    for (let i = 0; i < half; i++) inv[i] = 1 / Math.pow(c.ropeTheta, Math.fround((2 * i) / c.headDim));
    invFreq = f32({ name: 'rope.inv_freq', shape: [half], data: inv }, [half]);
  }
  const layers = w.blocks.map((b, i): Layer => {
    const norm1 = f32(b.norm1, [d]);
    let layer: Layer;
    if (b.mixer.kind === 'mamba') {
      const m = b.mixer.mamba;
      const Di = c.dInner, N = c.dState, R = c.dtRank, K = c.dConv;
      const A = new Float32Array(m.aLog.data.length);
      for (let k = 0; k < A.length; k++) A[k] = -Math.exp(m.aLog.data[k]);
      layer = {
        kind: 'mamba',
        norm1,
        inProj: weight(`layers.${i}.in_proj`, [m.inProj], [[2 * Di, d]]),
        inProjBias: m.inProjBias && f32(m.inProjBias, [2 * Di]),
        conv: f32({ name: m.convWeight.name, shape: [Di * K + Di], data: packConv(m.convWeight.data, m.convBias?.data, Di) }, [Di * K + Di]),
        xProj: weight(`layers.${i}.x_proj`, [m.xProj], [[R + 2 * N, Di]]),
        dtProj: weight(`layers.${i}.dt_proj`, [m.dtProj], [[Di, R]], unscaled),
        dtBias: f32(m.dtBias, [Di]),
        A: f32({ name: m.aLog.name, shape: m.aLog.shape, data: A }, [Di, N]),
        D: f32(m.d, [Di]),
        outProj: weight(`layers.${i}.out_proj`, [m.outProj], [[d, Di]]),
        outProjBias: m.outProjBias && f32(m.outProjBias, [d]),
      };
    } else {
      const a = b.mixer.attention;
      const H = c.nHead, G = c.nKvHead, hd = c.headDim;
      layer = {
        kind: 'attention',
        norm1,
        qkv: weight(`layers.${i}.qkv`, [a.qkv], [[(H + 2 * G) * hd, d]]),
        out: weight(`layers.${i}.out`, [a.out], [[d, H * hd]]),
      };
    }
    if (b.mlp && b.norm2) {
      const F = c.mlpHidden;
      layer.mlp = {
        norm2: f32(b.norm2, [d]),
        gateUp: weight(`layers.${i}.mlp.gate_up`, [b.mlp.gate, b.mlp.up], [[F, d], [F, d]]),
        down: weight(`layers.${i}.mlp.down`, [b.mlp.down], [[d, F]]),
      };
    }
    return layer;
  });
  return { embed, lmHead, normF, invFreq, layers, widestInputVec4s: widest };
}

/** Every matrix the decoding matvec reads. */
export function matrices(m: GpuModel): GpuWeight[] {
  const out = [m.lmHead];
  for (const L of m.layers) {
    out.push(...(L.kind === 'mamba' ? [L.inProj, L.xProj, L.dtProj, L.outProj] : [L.qkv, L.out]));
    if (L.mlp) out.push(L.mlp.gateUp, L.mlp.down);
  }
  return out;
}

/** Conv weights [Di, K] and bias [Di] in one array, as the conv kernels read them. */
function packConv(weight: Float32Array, bias: Float32Array | undefined, Di: number): Float32Array {
  const out = new Float32Array(weight.length + Di);
  out.set(weight);
  if (bias) out.set(bias, weight.length);
  return out;
}
