import { SambaError } from './errors';
import { clip } from './files';

/** What each block mixes with. `attention` with a window of `Infinity` is full causal attention. */
export type MixerKind = 'mamba' | 'attention';

export type Family = 'samba' | 'transformer' | 'mamba';

/** One normalised description of every family the engine runs (see docs/model-format.md). */
export interface ModelConfig {
  readonly family: Family;
  readonly vocabSize: number;
  readonly dModel: number;
  readonly nLayer: number;
  /** The mixer of each block, in order. */
  readonly mixers: readonly MixerKind[];
  /** Whether blocks have a SwiGLU MLP after the mixer (not in pure Mamba). */
  readonly hasMlp: boolean;
  readonly mlpHidden: number;
  readonly normEps: number;
  readonly tieEmbeddings: boolean;
  // attention
  readonly nHead: number;
  readonly nKvHead: number;
  readonly headDim: number;
  /** Tokens a query sees, itself included; Infinity for full attention. */
  readonly window: number;
  readonly ropeTheta: number;
  /** Training length; the default KV capacity of full attention. */
  readonly maxPosition: number;
  // mamba
  readonly dInner: number;
  readonly dState: number;
  readonly dConv: number;
  readonly dtRank: number;
  /** Hugging Face Mamba's optional biases on in_proj/out_proj. */
  readonly projBias: boolean;
  readonly convBias: boolean;
}

type Json = Record<string, unknown>;

/** Reads and checks a parsed config.json. `file` is only used in error messages. */
export function parseConfig(raw: unknown, file: string): ModelConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SambaError('config', `${file}: expected a JSON object. Check that this is a model's config.json.`);
  }
  const j = raw as Json;
  const type = j.model_type;
  if (type === 'samba' || type === 'transformer') return parseOurs(j, type, file);
  if (type === 'mamba') return parseHfMamba(j, file);
  throw new SambaError(
    'config',
    `${file}: model_type is ${JSON.stringify(type)}; supported are "samba", "transformer" and "mamba" (Hugging Face MambaForCausalLM).`,
  );
}

/**
 * Upper bounds far above any model this engine runs, so a typo or a hostile config (1e8 layers, a
 * 2M-token window) is refused before anything is allocated for it, instead of costing gigabytes.
 */
const LIMITS: Record<string, number> = {
  vocab_size: 1 << 21,
  hidden_size: 1 << 16,
  num_hidden_layers: 1024,
  num_attention_heads: 1024,
  num_key_value_heads: 1024,
  head_dim: 1024,
  intermediate_size: 1 << 18,
  sliding_window: 1 << 17,
  max_position_embeddings: 1 << 20,
  state_size: 1024,
  conv_kernel: 64,
  expand: 64,
  time_step_rank: 1 << 16,
};

/** One state's sliding-window keys and values may take at most this (each saved file snapshot holds one). */
const MAX_WINDOW_STATE_BYTES = 1 << 30;

function field(j: Json, file: string) {
  const int = (name: string, fallback?: number): number => {
    const v = j[name] ?? fallback;
    if (v === undefined) throw new SambaError('config', `${file}: field "${name}" is missing; add it (see docs/model-format.md).`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new SambaError('config', `${file}: field "${name}" must be a positive integer, got ${clip(JSON.stringify(v) ?? String(v))}.`);
    }
    const max = LIMITS[name];
    if (max !== undefined && v > max) {
      throw new SambaError('config', `${file}: field "${name}" is ${v}, over this engine's limit of ${max}. Check the value (a typo?); no model this engine runs needs more.`);
    }
    return v;
  };
  const num = (name: string, fallback: number): number => {
    const v = j[name] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new SambaError('config', `${file}: field "${name}" must be a positive number, got ${clip(JSON.stringify(v) ?? String(v))}.`);
    }
    return v;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const v = j[name] ?? fallback;
    if (typeof v !== 'boolean') throw new SambaError('config', `${file}: field "${name}" must be true or false, got ${clip(JSON.stringify(v) ?? String(v))}.`);
    return v;
  };
  return { int, num, bool };
}

function parseOurs(j: Json, family: 'samba' | 'transformer', file: string): ModelConfig {
  const { int, num, bool } = field(j, file);
  const dModel = int('hidden_size');
  const nLayer = int('num_hidden_layers');
  const nHead = int('num_attention_heads');
  const nKvHead = int('num_key_value_heads', nHead);
  if (nHead % nKvHead !== 0) {
    throw new SambaError('config', `${file}: num_attention_heads (${nHead}) must be a multiple of num_key_value_heads (${nKvHead}).`);
  }
  if (j.head_dim === undefined && dModel % nHead !== 0) {
    throw new SambaError('config', `${file}: hidden_size (${dModel}) is not divisible by num_attention_heads (${nHead}); set head_dim.`);
  }
  const headDim = int('head_dim', dModel / nHead);
  if (headDim % 2 !== 0) throw new SambaError('config', `${file}: head_dim (${headDim}) must be even for RoPE.`);
  const window = family === 'samba' ? int('sliding_window') : Infinity;
  const mixers: MixerKind[] = [];
  for (let i = 0; i < nLayer; i++) mixers.push(family === 'samba' && i % 2 === 0 ? 'mamba' : 'attention');
  const expand = int('expand', 2);
  const attentionLayers = mixers.filter((m) => m === 'attention').length;
  const windowBytes = Number.isFinite(window) ? attentionLayers * window * nKvHead * headDim * 2 * 4 : 0;
  if (windowBytes > MAX_WINDOW_STATE_BYTES) {
    throw new SambaError('config', `${file}: sliding_window ${window} makes one state ${Math.round(windowBytes / 2 ** 20)} MiB of keys and values (the limit is ${MAX_WINDOW_STATE_BYTES / 2 ** 20} MiB; a snapshot is kept per file). Use the window the model was trained with.`);
  }
  return {
    family,
    vocabSize: int('vocab_size'),
    dModel,
    nLayer,
    mixers,
    hasMlp: true,
    mlpHidden: int('intermediate_size'),
    normEps: num('rms_norm_eps', 1e-5),
    tieEmbeddings: bool('tie_word_embeddings', true),
    nHead,
    nKvHead,
    headDim,
    window,
    ropeTheta: num('rope_theta', 10000),
    maxPosition: int('max_position_embeddings', 4096),
    dInner: expand * dModel,
    dState: int('state_size', 16),
    dConv: int('conv_kernel', 4),
    dtRank: int('time_step_rank', Math.ceil(dModel / 16)),
    projBias: false,
    convBias: true,
  };
}

function parseHfMamba(j: Json, file: string): ModelConfig {
  const { int, num, bool } = field(j, file);
  const dModel = int('hidden_size');
  const nLayer = int('num_hidden_layers');
  const rank = j.time_step_rank === 'auto' || j.time_step_rank === undefined ? Math.ceil(dModel / 16) : int('time_step_rank');
  const dInner = j.intermediate_size !== undefined ? int('intermediate_size') : int('expand', 2) * dModel;
  return {
    family: 'mamba',
    vocabSize: int('vocab_size'),
    dModel,
    nLayer,
    mixers: new Array<MixerKind>(nLayer).fill('mamba'),
    hasMlp: false,
    mlpHidden: 0,
    normEps: num('layer_norm_epsilon', 1e-5),
    tieEmbeddings: bool('tie_word_embeddings', true),
    nHead: 0,
    nKvHead: 0,
    headDim: 0,
    window: 0,
    ropeTheta: 0,
    maxPosition: 0,
    dInner,
    dState: int('state_size', 16),
    dConv: int('conv_kernel', 4),
    dtRank: rank,
    projBias: bool('use_bias', false),
    convBias: bool('use_conv_bias', true),
  };
}

/** One line for `samba info` and logs. */
export function describeConfig(c: ModelConfig): string {
  const mix = c.family === 'samba' ? `window ${c.window}` : c.family === 'transformer' ? 'full attention' : 'pure Mamba';
  return `${c.family}: ${c.nLayer} blocks x ${c.dModel}, vocab ${c.vocabSize}, ${mix}`;
}
