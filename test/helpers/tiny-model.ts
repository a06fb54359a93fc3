import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeSafetensors } from '../../src/model/safetensors';
import { seededRandom } from '../../src/engine/sampling';

/** Config of a tiny random samba model, small enough for lavapipe. */
export const TINY_SAMBA = {
  model_type: 'samba',
  vocab_size: 64,
  hidden_size: 32,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  head_dim: 16,
  intermediate_size: 48,
  sliding_window: 4,
  state_size: 8,
  conv_kernel: 4,
  expand: 2,
  time_step_rank: 2,
};

export type TinyTensor = { name: string; shape: number[]; data: Float32Array };

/** Random tensors named and shaped as docs/model-format.md says for TINY_SAMBA. */
export function tinySambaTensors(seed = 1): TinyTensor[] {
  const c = TINY_SAMBA;
  const rnd = seededRandom(seed);
  const d = c.hidden_size, Di = c.expand * d, N = c.state_size, R = c.time_step_rank, K = c.conv_kernel;
  const hd = c.head_dim, H = c.num_attention_heads, G = c.num_key_value_heads, F = c.intermediate_size;
  const t = (name: string, shape: number[], scale = 0.2, offset = 0): TinyTensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = offset + (rnd() * 2 - 1) * scale;
    return { name, shape, data };
  };
  const out: TinyTensor[] = [t('embed.weight', [c.vocab_size, d], 0.5)];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    out.push(t(`layers.${i}.norm1.weight`, [d], 0.2, 1), t(`layers.${i}.norm2.weight`, [d], 0.2, 1));
    if (i % 2 === 0) {
      const m = `layers.${i}.mamba.`;
      out.push(
        t(m + 'in_proj.weight', [2 * Di, d]),
        t(m + 'conv1d.weight', [Di, 1, K], 0.4),
        t(m + 'conv1d.bias', [Di], 0.1),
        t(m + 'x_proj.weight', [R + 2 * N, Di]),
        t(m + 'dt_proj.weight', [Di, R], 0.5),
        t(m + 'dt_proj.bias', [Di], 1, -3),
        t(m + 'A_log', [Di, N], 0.5, 1),
        t(m + 'D', [Di], 0.3, 1),
        t(m + 'out_proj.weight', [d, Di]),
      );
    } else {
      out.push(t(`layers.${i}.attn.qkv.weight`, [(H + 2 * G) * hd, d], 0.3), t(`layers.${i}.attn.out.weight`, [d, H * hd]));
    }
    out.push(t(`layers.${i}.mlp.gate.weight`, [F, d]), t(`layers.${i}.mlp.up.weight`, [F, d]), t(`layers.${i}.mlp.down.weight`, [d, F]));
  }
  out.push(t('norm_f.weight', [d], 0.2, 1));
  return out;
}

/** Writes a tiny model folder (config, weights, a byte-level tokenizer) and returns its path. */
export async function writeTinyModel(options: { config?: Record<string, unknown>; tensors?: TinyTensor[]; tokenizer?: boolean } = {}): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'samba-tiny-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(options.config ?? TINY_SAMBA));
  await writeSafetensors(path.join(dir, 'model.safetensors'), options.tensors ?? tinySambaTensors());
  if (options.tokenizer !== false) writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizer()));
  return dir;
}

/** A word-level-free byte-level BPE with no merges over the 64 ids: enough to encode ASCII letters. */
function tinyTokenizer() {
  const vocab: Record<string, number> = {};
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 Ġ(){}';
  for (const ch of chars) if (Object.keys(vocab).length < 62 && !(ch in vocab)) vocab[ch] = Object.keys(vocab).length;
  return {
    version: '1.0',
    added_tokens: [{ id: 63, content: '<|endoftext|>', special: true, single_word: false, lstrip: false, rstrip: false, normalized: false }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges: [] },
  };
}
