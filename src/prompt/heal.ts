import type { Tokenizer } from '../model/tokenizer';
import { SPECIAL_NAMES } from './tokens';

/**
 * Token healing for prompts that end in whitespace (a line start, or "x = "). Byte-level BPE gives a
 * whitespace run that precedes text all but its last character as one piece, and that last character
 * to what follows when it is a space ("\n       " + " foo"); a prompt cut inside the run ends in
 * tokens the model never saw before text ("\n" + "\n        "). The trailing whitespace tokens are
 * taken off and the run encoded again as it is before text; a last space is left for the first
 * generated token to spell (" foo"), so the model continues from a split it was trained on. A prompt
 * that ends inside a word being typed (" ret") or a run of punctuation ("foo(" before `("` or `()`)
 * gets the same treatment: the last piece is spelled again.
 */
export class Healer {
  /** Each token id's text, decoded alone ('' for ids the tokenizer lacks and special ids: "<|endoftext|>" spells no "<"). */
  private readonly texts: string[];

  constructor(private readonly tokenizer: Tokenizer, modelVocab: number) {
    this.texts = new Array<string>(modelVocab).fill('');
    const n = Math.min(modelVocab, tokenizer.vocabSize);
    for (let i = 0; i < n; i++) this.texts[i] = tokenizer.decode([i]);
    for (const name of SPECIAL_NAMES) {
      const id = tokenizer.specialId(name);
      if (id !== undefined && id < modelVocab) this.texts[id] = '';
    }
  }

  text(id: number): string {
    return this.texts[id] ?? '';
  }

  /**
   * The prompt healed at its end, and the text the first generated tokens must spell again.
   * Trailing whitespace (at most `maxPop` tokens) is encoded as it is before text, a last space left
   * to spell (`needsText`: the suggestion must bring text). Else the tokens of a last piece that may
   * be the start of a longer one (" ret" + "u" while " return" is typed, "(" before `("`) are taken
   * off to be spelled again: a file never has " ret" before "urn", so the model continues from the
   * split it knows.
   */
  heal(tokens: readonly number[], maxPop = 64): { tokens: number[]; healed: string; needsText: boolean } {
    let k = tokens.length;
    while (k > 0 && tokens.length - k < maxPop) {
      const t = this.text(tokens[k - 1]);
      if (!t || t.trim() !== '' || t.includes('\uFFFD')) break;
      k--;
    }
    if (k === tokens.length) {
      // The whole piece: "retu" is " ret" + "u", and " ret" before "u" is no more a file's split than "u" alone.
      let j = tokens.length;
      let piece = '';
      while (j > 0 && tokens.length - j < MAX_RESPELL) {
        const t = this.text(tokens[j - 1]);
        if (!t || !RESPELL.test(t + piece)) break;
        piece = t + piece;
        j--;
      }
      return { tokens: tokens.slice(0, j), healed: piece, needsText: false };
    }
    const run = this.tokenizer.decode(tokens.slice(k));
    const last = run.slice(-1);
    // All but the last character is one pre-split piece before text; a last tab or newline is a piece
    // of its own, a last space belongs to the text's first token.
    const again = [...this.tokenizer.encode(run.slice(0, -1)), ...(last === ' ' ? [] : this.tokenizer.encode(last))];
    return { tokens: [...tokens.slice(0, k), ...again], healed: last === ' ' ? ' ' : '', needsText: true };
  }

  /**
   * The best token consistent with `remaining` (text still to be re-spelled), or plain argmax when
   * nothing remains. With `onLine`, what a token spells past `remaining` must not end the line
   * before it holds something nor be whitespace alone (the indentation is the user's: a small model
   * otherwise spelled space after space to the token limit), and ids in `banned` (end tokens) are
   * out: the line gets content.
   */
  pick(logits: Float32Array, remaining: string, onLine?: { readonly banned: readonly number[] }): number {
    let best = -1;
    let bestV = -Infinity;
    // A space before text belongs to the text's token (" foo"): a token that ends the re-spelled
    // text on that space was only ever followed by more whitespace in training, and after one the
    // model wrote box drawings and bars. Taken only when no other token fits.
    const endsOnSpace = remaining.endsWith(' ');
    let fallback = -1;
    let fallbackV = -Infinity;
    for (let i = 0; i < logits.length; i++) {
      const v = logits[i];
      if (v <= bestV) continue;
      const s = this.texts[i];
      if (remaining && (!s || !(s.startsWith(remaining) || remaining.startsWith(s)))) continue;
      if (onLine) {
        const past = s.length > remaining.length ? s.slice(remaining.length) : '';
        if (onLine.banned.includes(i) || !s || (past !== '' && /^[ \t]*(\n|$)/.test(past))) continue;
      }
      if (endsOnSpace && s === remaining) {
        if (v > fallbackV) [fallback, fallbackV] = [i, v];
        continue;
      }
      best = i;
      bestV = v;
    }
    return best >= 0 ? best : fallback;
  }

  /** What is left of `remaining` to re-spell after token `id`. */
  rest(remaining: string, id: number): string {
    const s = this.text(id);
    return s.length >= remaining.length ? '' : remaining.slice(s.length);
  }

  /** What is left of `remaining` after tokens `ids`, in order (a line begun elsewhere). */
  restAfter(remaining: string, ids: readonly number[]): string {
    return ids.reduce((r, id) => this.rest(r, id), remaining);
  }
}

/**
 * A token that may be the start of a longer one: after at most one space, a piece of a word
 * (letters, digits, _) or of a punctuation run (the tokenizer keeps `("`, `=>`, `();` whole).
 */
const RESPELL = /^ ?(?:[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_\uFFFD]+)$/u;
/** Tokens of one such piece taken off at most. */
const MAX_RESPELL = 8;

const healers = new WeakMap<Tokenizer, Healer>();

/** One healer per tokenizer (building one decodes the whole vocabulary). */
export function healerFor(tokenizer: Tokenizer, modelVocab: number): Healer {
  let h = healers.get(tokenizer);
  if (!h) healers.set(tokenizer, (h = new Healer(tokenizer, modelVocab)));
  return h;
}
