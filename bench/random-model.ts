import type { Model } from '../src/model/weights';
// One generator of random models for the GPU tests and the benches (speed does not depend on the values).
import { randomModelOf } from '../test/helpers/random-model';

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
