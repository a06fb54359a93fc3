import { parseConfig } from '../src/model/config';
import type { BlockWeights, Model, ModelWeights, Tensor } from '../src/model/weights';

// One generator of random models for the benches and the GPU tests (speed does not depend on the
// values; the tests import it from here: test/ depends on bench/, never the reverse).

/**
 * A model of any config (ours: samba or transformer) with random weights, built in memory, for
 * GPU-versus-CPU checks of shapes the fixtures do not have (head dims, GQA groups, windows).
 * `qkvScale` sets how peaked attention is: inputs are RMS-normalized, so scores grow with it.
 */
export function randomModelOf(raw: Record<string, unknown>, seed = 1, qkvScale = 0.12): Model {
  const c = parseConfig({ vocab_size: 64, intermediate_size: 48, state_size: 8, conv_kernel: 4, expand: 2, time_step_rank: 2, ...raw }, `random(${JSON.stringify(raw)})`);
  let s = seed >>> 0;
  const t = (name: string, shape: number[], scale: number, offset = 0): Tensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      data[i] = offset + (s / 4294967296 - 0.5) * 2 * scale;
    }
    return { name, shape, data, sourceDtype: 'F32' };
  };
  const d = c.dModel, Di = c.dInner, N = c.dState, R = c.dtRank, K = c.dConv, F = c.mlpHidden;
  const blocks: BlockWeights[] = c.mixers.map((kind, i) => {
    const base = { norm1: t(`${i}.norm1`, [d], 0.2, 1), norm2: t(`${i}.norm2`, [d], 0.2, 1), mlp: { gate: t(`${i}.gate`, [F, d], 0.2), up: t(`${i}.up`, [F, d], 0.2), down: t(`${i}.down`, [d, F], 0.2) } };
    if (kind === 'mamba') {
      return {
        ...base,
        mixer: {
          kind,
          mamba: {
            inProj: t(`${i}.in_proj`, [2 * Di, d], 0.2), convWeight: t(`${i}.conv`, [Di, K], 0.4), convBias: t(`${i}.conv_b`, [Di], 0.1),
            xProj: t(`${i}.x_proj`, [R + 2 * N, Di], 0.2), dtProj: t(`${i}.dt_proj`, [Di, R], 0.5), dtBias: t(`${i}.dt_b`, [Di], 1, -3),
            aLog: t(`${i}.A_log`, [Di, N], 0.5, 1), d: t(`${i}.D`, [Di], 0.3, 1), outProj: t(`${i}.out_proj`, [d, Di], 0.2),
          },
        },
      };
    }
    return { ...base, mixer: { kind, attention: { qkv: t(`${i}.qkv`, [(c.nHead + 2 * c.nKvHead) * c.headDim, d], qkvScale), out: t(`${i}.out`, [d, c.nHead * c.headDim], 0.1) } } };
  });
  const embed = t('embed', [c.vocabSize, d], 0.5);
  const weights: ModelWeights = { embed, blocks, normF: t('norm_f', [d], 0.2, 1), lmHead: embed };
  return { dir: '(random)', config: c, weights, fingerprint: `random-${seed}-${JSON.stringify(raw)}` };
}

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
  return randomModelOf(raw, seed);
}
