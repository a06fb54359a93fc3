import type { ModelConfig } from './config';

/** How a tensor is stored in the file: a float dtype, or I8 with per-group scales (safetensors.ts). */
export type SourceDtype = 'F32' | 'F16' | 'BF16' | 'I8';

/** A host tensor, widened to f32, with the dtype it was stored in. Shapes are PyTorch's [out, in]. */
export interface Tensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
  readonly sourceDtype: SourceDtype;
  /**
   * The file's own bits where it stored f16: the GPU's f16 storage copies them rather than convert
   * `data` back. Dropped once an engine is made (createEngine), as they cost 2 bytes a weight.
   */
  half?: Uint16Array;
}

/** Drops every tensor's f16 bits (Tensor.half): the engine that copies them has been made. */
export function dropFileHalves(w: ModelWeights): void {
  const drop = (t: Tensor | undefined) => {
    if (t) delete t.half;
  };
  for (const t of [w.embed, w.normF, w.lmHead]) drop(t);
  for (const b of w.blocks) {
    drop(b.norm1);
    drop(b.norm2);
    for (const t of Object.values(b.mixer.kind === 'mamba' ? b.mixer.mamba : b.mixer.attention)) drop(t);
    for (const t of Object.values(b.mlp ?? {})) drop(t);
  }
}

export interface MambaWeights {
  readonly inProj: Tensor; // [2*Di, d]
  readonly inProjBias?: Tensor; // [2*Di]
  readonly convWeight: Tensor; // [Di, K] (the file's [Di, 1, K], squeezed)
  readonly convBias?: Tensor; // [Di]
  readonly xProj: Tensor; // [R + 2N, Di]
  readonly dtProj: Tensor; // [Di, R]
  readonly dtBias: Tensor; // [Di]
  readonly aLog: Tensor; // [Di, N]
  readonly d: Tensor; // [Di]
  readonly outProj: Tensor; // [d, Di]
  readonly outProjBias?: Tensor; // [d]
}

export interface AttentionWeights {
  readonly qkv: Tensor; // [(H + 2G) * hd, d]
  readonly out: Tensor; // [d, H * hd]
}

export interface MlpWeights {
  readonly gate: Tensor; // [F, d]
  readonly up: Tensor; // [F, d]
  readonly down: Tensor; // [d, F]
}

export type MixerWeights = { readonly kind: 'mamba'; readonly mamba: MambaWeights } | { readonly kind: 'attention'; readonly attention: AttentionWeights };

export interface BlockWeights {
  readonly norm1: Tensor;
  readonly mixer: MixerWeights;
  readonly norm2?: Tensor;
  readonly mlp?: MlpWeights;
}

export interface ModelWeights {
  readonly embed: Tensor; // [V, d]
  readonly blocks: readonly BlockWeights[];
  readonly normF: Tensor; // [d]
  /** The embedding itself when tied. */
  readonly lmHead: Tensor; // [V, d]
}

/** A loaded model: everything the engines need, and where it came from. */
export interface Model {
  readonly dir: string;
  readonly config: ModelConfig;
  readonly weights: ModelWeights;
  /** Identifies these exact weights and config; serialized states carry it. */
  readonly fingerprint: string;
}
