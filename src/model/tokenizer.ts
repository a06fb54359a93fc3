import * as path from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { ByteLevelBpe } from './bpe';
import { SambaError } from './errors';
import { MAX_TOKENIZER_BYTES, parseStrictJson, readSmallText } from './files';

/** Text to token ids and back, from a model folder's tokenizer.json (byte-level BPE with special tokens). */
export interface Tokenizer {
  readonly vocabSize: number;
  /** Plain text to ids; never a special id, whatever the text holds (special-token text is text). */
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** The id of a special token by its name (src/prompt/tokens.ts SPECIAL), if the tokenizer has it. */
  specialId(token: string): number | undefined;
}

export interface TokenizerOptions {
  /** Encode through @huggingface/tokenizers even where bpe.ts covers the tokenizer (the reference tests and benches compare with). */
  readonly library?: boolean;
}

export async function loadTokenizer(dir: string, modelVocab: number, options: TokenizerOptions = {}): Promise<Tokenizer> {
  const file = path.join(dir, 'tokenizer.json');
  const fix = "Copy the tokenizer.json that belongs to these weights into the model folder.";
  const text = await readSmallText(file, 'tokenizer', MAX_TOKENIZER_BYTES, fix);
  const json = parseStrictJson(text, file, 'tokenizer', "Replace it with the model's tokenizer.json.") as {
    model?: { vocab?: Record<string, number> | unknown[] };
    added_tokens?: { id: number; content: string }[];
  } | null;
  if (!json || typeof json !== 'object' || typeof json.model !== 'object' || json.model === null) {
    throw new SambaError('tokenizer', `${file}: has no "model" section; it is not a Hugging Face tokenizer.json.`);
  }
  const special = new Map<string, number>();
  for (const t of json.added_tokens ?? []) special.set(t.content, t.id);
  // A loop, not Math.max(...ids): a 128K-entry vocabulary would overflow the call stack.
  let vocabSize = 0;
  const vocab = json.model.vocab ?? {};
  // BPE and WordPiece map pieces to ids; Unigram lists [piece, score] pairs, the index being the id.
  for (const id of [...(Array.isArray(vocab) ? vocab.map((_, i) => i) : Object.values(vocab)), ...special.values()]) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new SambaError('tokenizer', `${file}: token id ${String(id)} is not a non-negative integer. Replace it with the model's tokenizer.json.`);
    vocabSize = Math.max(vocabSize, id + 1);
  }
  if (vocabSize > modelVocab) {
    throw new SambaError('tokenizer', `${file}: ids go up to ${vocabSize - 1} but the model's vocab_size is ${modelVocab}. This tokenizer belongs to another model.`);
  }
  // Text never becomes a special id (special-token text in a file stays text): bpe.ts knows no
  // added tokens, and the library encodes with them switched off, as Python's
  // `encode_special_tokens = True` does (src/prompt/).
  const bpe = options.library ? undefined : byteLevelBpe(json);
  // The library's tokenizer only where bpe.ts does not cover this one (building it was about 70 ms of
  // a model load in a CPU profile on the H200 machine).
  let hf: HfTokenizer | undefined, plain: HfTokenizer | undefined;
  if (!bpe) {
    try {
      hf = new HfTokenizer(json, {});
      plain = new HfTokenizer({ ...json, added_tokens: [] }, {});
    } catch (e) {
      throw new SambaError('tokenizer', `${file}: cannot be loaded (${(e as Error).message}). Replace it with the model's tokenizer.json.`);
    }
  }
  return {
    vocabSize,
    encode: bpe ? (s) => bpe.encode(s) : (s) => plain!.encode(s, { add_special_tokens: false }).ids,
    // No "clean-up" of spaces: it turns `a !== b` into `a!== b` and `x ? y` into `x? y` (prose rules, not code's).
    decode: bpe ? (t) => bpe.decode(t) : (t) => (t.length ? hf!.decode([...t], { skip_special_tokens: false, clean_up_tokenization_spaces: false }) : ''),
    specialId: (s) => special.get(s),
  };
}

/**
 * The fast encoder and decoder (bpe.ts) for the tokenizer.json it covers: no normalizer, the plain
 * ByteLevel pre-tokenizer and decoder, a BPE model without dropout, affixes, byte fallback or
 * ignore_merges (GPT-2's layout, ours). Anything else goes through @huggingface/tokenizers, slower but complete.
 */
export function byteLevelBpe(json: Record<string, unknown>): ByteLevelBpe | undefined {
  const pre = json.pre_tokenizer as Record<string, unknown> | null | undefined;
  const m = json.model as Record<string, unknown>;
  const covered =
    json.normalizer == null &&
    (json.decoder as Record<string, unknown> | null | undefined)?.type === 'ByteLevel' &&
    pre?.type === 'ByteLevel' && !pre.add_prefix_space && (pre.use_regex ?? true) === true &&
    m.type === 'BPE' && m.dropout == null && !m.end_of_word_suffix && !m.continuing_subword_suffix && !m.continuing_subword_prefix && !m.byte_fallback && !m.ignore_merges &&
    m.vocab !== null && typeof m.vocab === 'object' && !Array.isArray(m.vocab) && Array.isArray(m.merges);
  if (!covered) return undefined;
  const merges = (m.merges as unknown[]).map((x) => (Array.isArray(x) ? x : String(x).split(' ', 2)) as [string, string]);
  try {
    const added = new Map(((json.added_tokens ?? []) as { id: number; content: string }[]).map((t) => [t.id, t.content] as const));
    return new ByteLevelBpe({ vocab: new Map(Object.entries(m.vocab as Record<string, number>)), merges, added });
  } catch {
    return undefined; // a vocabulary that lacks a byte or a merge's result: the library's path handles it as it always did
  }
}
