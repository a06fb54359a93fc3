import type { Tokenizer } from '../model/tokenizer';

/**
 * Token healing for prompts that end at a line start. Byte-level BPE merges a newline with the
 * indentation after it ("\n   " + " foo"), so a prompt cut after "\n" + indent ends in tokens the
 * model never saw at that place. The trailing whitespace tokens are taken back off the prompt and
 * the first generated tokens are constrained to spell them again, so the model picks its own split.
 */
export class Healer {
  /** Each token id's text, decoded alone ('' for ids the tokenizer lacks). */
  private readonly texts: string[];

  constructor(private readonly tokenizer: Tokenizer, modelVocab: number) {
    this.texts = new Array<string>(modelVocab).fill('');
    const n = Math.min(modelVocab, tokenizer.vocabSize);
    for (let i = 0; i < n; i++) this.texts[i] = tokenizer.decode([i]);
  }

  text(id: number): string {
    return this.texts[id] ?? '';
  }

  /**
   * Pops whitespace-only tokens off the end, up to and including the one holding the last newline
   * (at most `maxPop`). Returns the kept tokens and the text popped (to be generated again).
   */
  heal(tokens: readonly number[], maxPop = 8): { tokens: number[]; healed: string } {
    let k = tokens.length;
    while (k > 0 && tokens.length - k < maxPop) {
      const t = this.text(tokens[k - 1]);
      if (!t || t.trim() !== '' || t.includes('\uFFFD')) break;
      k--;
      if (t.includes('\n')) break;
    }
    const popped = tokens.slice(k);
    return { tokens: tokens.slice(0, k), healed: popped.length ? this.tokenizer.decode(popped) : '' };
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
    for (let i = 0; i < logits.length; i++) {
      const v = logits[i];
      if (v <= bestV) continue;
      const s = this.texts[i];
      if (remaining && (!s || !(s.startsWith(remaining) || remaining.startsWith(s)))) continue;
      if (onLine) {
        const past = s.length > remaining.length ? s.slice(remaining.length) : '';
        if (onLine.banned.includes(i) || !s || (past !== '' && /^[ \t]*(\n|$)/.test(past))) continue;
      }
      best = i;
      bestV = v;
    }
    return best;
  }

  /** What is left of `remaining` to re-spell after token `id`. */
  rest(remaining: string, id: number): string {
    const s = this.text(id);
    return s.length >= remaining.length ? '' : remaining.slice(s.length);
  }
}

const healers = new WeakMap<Tokenizer, Healer>();

/** One healer per tokenizer (building one decodes the whole vocabulary). */
export function healerFor(tokenizer: Tokenizer, modelVocab: number): Healer {
  let h = healers.get(tokenizer);
  if (!h) healers.set(tokenizer, (h = new Healer(tokenizer, modelVocab)));
  return h;
}
