import type { Tokenizer } from '../model/tokenizer';
import { PLAIN_STAND_IN, encodeText, hasSpecial, specialId, type SpecialName } from './tokens';

export type { SpecialName } from './tokens';

/**
 * One unit of a prompt: a special token, or text encoded on its own (pieces never merge across a
 * boundary). Golden vectors (test/fixtures/prompt-golden.json) compare these, then the ids.
 */
export type Piece = readonly ['special', SpecialName] | readonly ['text', string];

export const special = (name: SpecialName): Piece => ['special', name];

/** A text piece; empty text is no piece at all (so pieces compare equal however they were built). */
export const text = (s: string): Piece[] => (s ? [['text', s]] : []);

export interface PiecesToIdsOptions {
  /**
   * A special token the tokenizer lacks becomes its plain-text stand-in (Q&A and summaries on
   * small models); without this it is an error naming the token.
   */
  readonly lower?: boolean;
}

export function piecesToIds(tokenizer: Tokenizer, pieces: readonly Piece[], o: PiecesToIdsOptions = {}): number[] {
  const out: number[] = [];
  for (const [kind, value] of pieces) {
    if (kind === 'text') out.push(...encodeText(tokenizer, value));
    else if (o.lower && !hasSpecial(tokenizer, value)) out.push(...encodeText(tokenizer, PLAIN_STAND_IN[value]));
    else out.push(specialId(tokenizer, value));
  }
  return out;
}

/** The pieces as one string, special tokens by name: for logs, views and tests, never for encoding. */
export function renderPieces(pieces: readonly Piece[]): string {
  return pieces.map((p) => p[1]).join('');
}
