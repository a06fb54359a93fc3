import { SambaError } from '../model/errors';
import type { Tokenizer } from '../model/tokenizer';

/**
 * The special tokens of the prompt format (models/default/tokenizer.json ids 0-7, in this order).
 * This file is the only place their text is spelled (docs/layout: /work/notes/layout.md, v2).
 */
export const SPECIAL = {
  endOfText: '<|endoftext|>',
  file: '<|file|>',
  fimPrefix: '<|fim_prefix|>',
  fimSuffix: '<|fim_suffix|>',
  fimMiddle: '<|fim_middle|>',
  question: '<|question|>',
  answer: '<|answer|>',
  summary: '<|summary|>',
} as const;

export type SpecialName = (typeof SPECIAL)[keyof typeof SPECIAL];

/** In id order. */
export const SPECIAL_NAMES: readonly SpecialName[] = Object.values(SPECIAL);

/**
 * Plain text that stands in for a token a (small, older) tokenizer lacks, in Q&A and summary
 * prompts; generation stops where a stand-in of a stop token appears (see stop.ts).
 */
export const PLAIN_STAND_IN: Readonly<Record<SpecialName, string>> = {
  [SPECIAL.endOfText]: '\n\n',
  [SPECIAL.file]: '\n=== File: ',
  [SPECIAL.fimPrefix]: '',
  [SPECIAL.fimSuffix]: '',
  [SPECIAL.fimMiddle]: '',
  [SPECIAL.question]: '\nQuestion: ',
  [SPECIAL.answer]: '\nAnswer: ',
  [SPECIAL.summary]: '\nSummary:\n',
};

export function hasSpecial(tokenizer: Tokenizer, name: SpecialName): boolean {
  return tokenizer.specialId(name) !== undefined;
}

/** The id of a special token; a clear error when this model's tokenizer lacks it. */
export function specialId(tokenizer: Tokenizer, name: SpecialName): number {
  const id = tokenizer.specialId(name);
  if (id === undefined) {
    const what = ([SPECIAL.fimPrefix, SPECIAL.fimSuffix, SPECIAL.fimMiddle] as readonly SpecialName[]).includes(name) ? 'this model cannot fill in the middle (inline completions)' : 'this model does not know the prompt format';
    throw new SambaError('tokenizer', `The model's tokenizer.json has no ${name} token: ${what}. Use a model trained with Samba Code's prompt format (models/default).`);
  }
  return id;
}

/** Text to ids, never a special id: `<|fim_middle|>` inside a file is text (Tokenizer.encode guarantees it). */
export function encodeText(tokenizer: Tokenizer, text: string): number[] {
  return text ? tokenizer.encode(text) : [];
}
