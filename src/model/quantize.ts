import type { Model, Tensor } from './weights';

/**
 * Int8 weights (the GPU engine's "i8" storage): each row of a matrix in groups of GROUP weights
 * along the input, each group one f32 scale s = max|w| / 127, and w stored as q = round(w / s) in
 * -127..127, so w is read back as s * q. Rows are padded with zeros to whole groups.
 */
export const GROUP = 32;

/** Quantizes `row` (its first `cols` values) into `q` (whole groups, zero padded) and `scales` (one per group). */
export function quantizeRow(row: Float32Array, cols: number, q: Int8Array, scales: Float32Array): void {
  const groups = q.length / GROUP;
  for (let g = 0; g < groups; g++) {
    const end = Math.min(cols, (g + 1) * GROUP);
    let m = 0;
    for (let k = g * GROUP; k < end; k++) m = Math.max(m, Math.abs(row[k]));
    const s = Math.fround(m / 127);
    scales[g] = s;
    for (let k = g * GROUP; k < (g + 1) * GROUP; k++) q[k] = k < end && s > 0 ? Math.round(row[k] / s) : 0;
  }
}

/** The values an int8-stored tensor [rows, cols] is read back as (for the CPU reference and tests). */
export function int8Values(t: Tensor): Tensor {
  const [rows, cols] = t.shape;
  const padded = Math.ceil(cols / GROUP) * GROUP;
  const q = new Int8Array(padded);
  const scales = new Float32Array(padded / GROUP);
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    quantizeRow(t.data.subarray(r * cols, (r + 1) * cols), cols, q, scales);
    for (let k = 0; k < cols; k++) data[r * cols + k] = Math.fround(scales[Math.floor(k / GROUP)] * q[k]);
  }
  // Without the file's f16 bits: they are not these values.
  const { half: _bits, ...rest } = t;
  return { ...rest, data };
}

/**
 * `model` with every matrix the GPU engine stores as int8 replaced by the values it reads back: the
 * blocks' projections and an untied LM head (the embedding, a tied head and dt_proj stay in f16).
 * The CPU reference runs it where the GPU runs int8, so both give the same states. The fingerprint
 * is left to the caller (the session marks int8 states apart from f16 ones).
 */
export function int8Model(model: Model): Model {
  const w = model.weights;
  const blocks = w.blocks.map((b) => {
    const mixer =
      b.mixer.kind === 'mamba'
        ? { kind: 'mamba' as const, mamba: { ...b.mixer.mamba, inProj: int8Values(b.mixer.mamba.inProj), xProj: int8Values(b.mixer.mamba.xProj), outProj: int8Values(b.mixer.mamba.outProj) } }
        : { kind: 'attention' as const, attention: { qkv: int8Values(b.mixer.attention.qkv), out: int8Values(b.mixer.attention.out) } };
    const mlp = b.mlp && { gate: int8Values(b.mlp.gate), up: int8Values(b.mlp.up), down: int8Values(b.mlp.down) };
    return { ...b, mixer, mlp };
  });
  const lmHead = w.lmHead === w.embed ? w.embed : int8Values(w.lmHead);
  return { ...model, weights: { ...w, blocks, lmHead } };
}
