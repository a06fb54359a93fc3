import { parseConfig } from '../src/model/config';
import type { Model, ModelWeights, Tensor, BlockWeights } from '../src/model/weights';

/** Shapes from the Samba paper's reference configurations, and a same-size GQA transformer. */
export const SHAPES: Record<string, Record<string, unknown>> = {
  'samba-421m': {
    model_type: 'samba', vocab_size: 32000, hidden_size: 1536, num_hidden_layers: 12, num_attention_heads: 12,
    num_key_value_heads: 12, head_dim: 128, intermediate_size: 4096, sliding_window: 2048, state_size: 16,
    conv_kernel: 4, expand: 2, time_step_rank: 96,
  },
  'transformer-421m': {
    model_type: 'transformer', vocab_size: 32000, hidden_size: 1536, num_hidden_layers: 12, num_attention_heads: 12,
    num_key_value_heads: 4, head_dim: 128, intermediate_size: 4096, max_position_embeddings: 131072,
  },
};

/** A model with random weights of a known shape, built in memory (no files), for speed benchmarks. */
export function randomModel(name: string, seed = 1): Model {
  const raw = SHAPES[name];
  if (!raw) throw new Error(`unknown shape "${name}"; known: ${Object.keys(SHAPES).join(', ')}`);
  const c = parseConfig(raw, name);
  let s = seed >>> 0;
  const t = (tname: string, shape: number[], scale = 0.02, offset = 0): Tensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      data[i] = offset + (s / 4294967296 - 0.5) * 2 * scale;
    }
    return { name: tname, shape, data, sourceDtype: 'F32' };
  };
  const d = c.dModel, Di = c.dInner, N = c.dState, R = c.dtRank, K = c.dConv;
  const blocks: BlockWeights[] = c.mixers.map((kind, i) => {
    const base = { norm1: t(`${i}.norm1`, [d], 0.1, 1), norm2: t(`${i}.norm2`, [d], 0.1, 1), mlp: { gate: t(`${i}.gate`, [c.mlpHidden, d]), up: t(`${i}.up`, [c.mlpHidden, d]), down: t(`${i}.down`, [d, c.mlpHidden]) } };
    if (kind === 'mamba') {
      return {
        ...base,
        mixer: {
          kind,
          mamba: {
            inProj: t(`${i}.in_proj`, [2 * Di, d]), convWeight: t(`${i}.conv`, [Di, K], 0.3), convBias: t(`${i}.conv_b`, [Di]),
            xProj: t(`${i}.x_proj`, [R + 2 * N, Di]), dtProj: t(`${i}.dt_proj`, [Di, R], 0.1), dtBias: t(`${i}.dt_b`, [Di], 1, -4),
            aLog: t(`${i}.A_log`, [Di, N], 0.5, 1.5), d: t(`${i}.D`, [Di], 0.1, 1), outProj: t(`${i}.out_proj`, [d, Di]),
          },
        },
      };
    }
    return { ...base, mixer: { kind, attention: { qkv: t(`${i}.qkv`, [(c.nHead + 2 * c.nKvHead) * c.headDim, d]), out: t(`${i}.out`, [d, c.nHead * c.headDim]) } } };
  });
  const embed = t('embed', [c.vocabSize, d]);
  const weights: ModelWeights = { embed, blocks, normF: t('norm_f', [d], 0.1, 1), lmHead: embed };
  return { dir: `(random ${name})`, config: c, weights, fingerprint: `random-${name}-${seed}` };
}
