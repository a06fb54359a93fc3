import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { SambaError } from './errors';

/** Text to token ids and back, from a model folder's tokenizer.json (byte-level BPE with special tokens). */
export interface Tokenizer {
  readonly vocabSize: number;
  /** Plain text to ids; never a special id, whatever the text holds (special-token text is text). */
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** The id of a special token by its name (src/prompt/tokens.ts SPECIAL), if the tokenizer has it. */
  specialId(token: string): number | undefined;
}

export async function loadTokenizer(dir: string, modelVocab: number): Promise<Tokenizer> {
  const file = path.join(dir, 'tokenizer.json');
  const text = await fs.readFile(file, 'utf8').catch(() => {
    throw new SambaError('tokenizer', `${file} is missing. Copy the tokenizer.json that belongs to these weights into the model folder.`);
  });
  let json: { model?: { vocab?: Record<string, number> }; added_tokens?: { id: number; content: string }[] };
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SambaError('tokenizer', `${file}: not valid JSON (${(e as Error).message}). Replace it with the model's tokenizer.json.`);
  }
  if (!json || typeof json.model !== 'object' || json.model === null) {
    throw new SambaError('tokenizer', `${file}: has no "model" section; it is not a Hugging Face tokenizer.json.`);
  }
  let hf: HfTokenizer;
  try {
    hf = new HfTokenizer(json, {});
  } catch (e) {
    throw new SambaError('tokenizer', `${file}: cannot be loaded (${(e as Error).message}). Replace it with the model's tokenizer.json.`);
  }
  const special = new Map<string, number>();
  for (const t of json.added_tokens ?? []) special.set(t.content, t.id);
  const ids = [...Object.values(json.model.vocab ?? {}), ...special.values()];
  const vocabSize = ids.length ? Math.max(...ids) + 1 : 0;
  if (vocabSize > modelVocab) {
    throw new SambaError('tokenizer', `${file}: ids go up to ${vocabSize - 1} but the model's vocab_size is ${modelVocab}. This tokenizer belongs to another model.`);
  }
  // Text never becomes a special id (special-token text in a file stays text): encode with
  // the added tokens switched off, as Python's `encode_special_tokens = True` does (src/prompt/).
  const plain = new HfTokenizer({ ...json, added_tokens: [] }, {});
  return {
    vocabSize,
    encode: (s) => plain.encode(s, { add_special_tokens: false }).ids,
    decode: (t) => (t.length ? hf.decode([...t], { skip_special_tokens: false }) : ''),
    specialId: (s) => special.get(s),
  };
}
