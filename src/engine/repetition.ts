/**
 * Generation that does not loop, for Q&A answers and summaries (completions stay greedy: the
 * pipeline drops a suggestion that repeats itself). Two parts: CTRL's repetition penalty on the
 * tokens generated lately (in the generation loop, src/engine/generate.ts), and a guard that stops
 * at a loop and trims its repeated tail (in the loop's consumer, which streams text).
 */
export interface RepetitionOptions {
  /** CTRL's penalty: logits of recently generated tokens are divided by it when positive, multiplied when negative. 1 is off. */
  readonly penalty: number;
  /** How many of the last generated tokens the penalty applies to. */
  readonly window: number;
  /** The guard stops when the same n-gram of this many tokens appears for the `repeats`-th time (0: off)... */
  readonly ngram: number;
  readonly repeats: number;
  /** ...or when a line (holding a letter or digit) follows an identical line. */
  readonly lines: boolean;
}

/** Q&A and summaries, unless a setting says otherwise (samba.answers.*). */
export const ANSWER_REPETITION: RepetitionOptions = { penalty: 1.2, window: 64, ngram: 4, repeats: 3, lines: true };

/** `logits` with CTRL's penalty on the `recent` tokens (a copy; the engine's array stays as it is). */
export function penalize(logits: Float32Array, recent: Iterable<number>, penalty: number): Float32Array {
  if (penalty === 1) return logits;
  const out = new Float32Array(logits);
  for (const t of new Set(recent)) out[t] = out[t] > 0 ? out[t] / penalty : out[t] * penalty;
  return out;
}

const HAS_WORD = /[\p{L}\p{N}]/u;
/**
 * Watches generated tokens for a loop: the `repeats`-th occurrence of one n-gram, or a line that
 * repeats the line before it. A loop is cut where its repetition began: at the start of the run
 * of already-seen n-grams it ends ("hands the RateLimiter hands the RateLimiter hands ..." keeps
 * one "hands the RateLimiter"), or at the repeated line. Text that a later cut could still remove
 * is held back from the stream: the last n-1 tokens, a run of already-seen n-grams, and a line
 * while it could still turn out to repeat the one before; `settled` says how much may be shown.
 */
export class LoopGuard {
  private readonly tokens: number[] = [];
  /** Text length after each token (tokens[k] ends at ends[k]). */
  private readonly ends: number[] = [];
  private readonly seen = new Map<string, number>();
  /** First token of the run of already-seen n-grams the newest token ends, if it ends one. */
  private runStart: number | undefined;
  private settledTokens = 0;
  /** Where the line being written starts, and the last non-blank line before it (if it holds a word). */
  private lineStart = 0;
  private lastLine: string | undefined;

  constructor(private readonly o: Pick<RepetitionOptions, 'ngram' | 'repeats' | 'lines'> = ANSWER_REPETITION) {}

  /** Tokens that no later cut can remove. */
  get settled(): number {
    return this.settledTokens;
  }

  /**
   * Adds the next token; `text` is all generated text with it. Returns how many tokens to keep
   * when they now end in a loop (never fewer than `settled`), else undefined.
   */
  push(token: number, text: string): number | undefined {
    const i = this.tokens.length;
    this.tokens.push(token);
    this.ends.push(text.length);
    const n = this.o.ngram;
    let cut: number | undefined;
    if (n > 0 && this.o.repeats > 0 && i + 1 >= n) {
      const key = this.tokens.slice(i + 1 - n).join(',');
      const count = (this.seen.get(key) ?? 0) + 1;
      this.seen.set(key, count);
      if (count > 1) this.runStart ??= i + 1 - n;
      else this.runStart = undefined;
      if (count >= this.o.repeats) cut = this.runStart;
    }
    if (cut === undefined && this.o.lines) cut = this.repeatedLine(text);
    if (cut !== undefined) return Math.max(cut, this.settledTokens);
    // Held back: what the next cut could take.
    let hold = n > 0 ? i + 2 - n : i + 1;
    if (this.runStart !== undefined) hold = Math.min(hold, this.runStart);
    const partial = text.slice(this.lineStart);
    if (this.o.lines && this.lastLine !== undefined && this.lastLine.startsWith(partial)) hold = Math.min(hold, this.tokensBefore(this.lineStart));
    this.settledTokens = Math.max(this.settledTokens, Math.min(i + 1, hold));
    return undefined;
  }

  /** Checks the lines `text` completed since the last call: where a line repeating the previous (non-blank) one starts. */
  private repeatedLine(text: string): number | undefined {
    for (let nl = text.indexOf('\n', this.lineStart); nl >= 0; nl = text.indexOf('\n', this.lineStart)) {
      const line = text.slice(this.lineStart, nl);
      if (line.trim()) {
        if (line === this.lastLine) return this.tokensBefore(this.lineStart);
        this.lastLine = HAS_WORD.test(line) ? line : undefined;
      }
      this.lineStart = nl + 1;
    }
    return undefined;
  }

  /** How many whole tokens end at or before character `at`. */
  private tokensBefore(at: number): number {
    let k = 0;
    while (k < this.ends.length && this.ends[k] <= at) k++;
    return k;
  }
}

