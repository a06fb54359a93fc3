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
  /** The guard stops when a stretch of tokens comes `repeats` times in a row (seen by its n-grams of this many tokens; 0: off)... */
  readonly ngram: number;
  readonly repeats: number;
  /** ...or when a line (holding a letter or digit) follows an identical line, or a line of marks alone comes a third time in a row. */
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
/** Identical lines of marks alone in a row that make a loop (a small model's "[:]" line after line). */
const MARK_LINE_REPEATS = 3;
const HAS_LETTER = /\p{L}/u;
const WORD_END = /[\p{L}\p{N}_]$/u;
const WORD_START = /^[\p{L}\p{N}_]/u;

/**
 * Watches generated tokens for a loop: the same stretch of tokens three times in a row (an n-gram
 * seen a third time, each time one period after the last, with everything between repeating too:
 * "hands the RateLimiter hands the RateLimiter hands ..."), or a line repeating the line before it.
 * Repeats that are not back to back (a name, a phrase, the same call in code) are text, not loops.
 * A loop is cut where its repetition began (after the first copy, at the end of a word), and text
 * that a later cut could still remove is held back from the stream: the last n-1 tokens, a run of
 * already-seen n-grams (a repetition is made of them), and a line while it is still a prefix of
 * the line before; `settled` says how many tokens may be shown.
 */
export class LoopGuard {
  private readonly tokens: number[] = [];
  /** Text length after each token (tokens[k] ends at ends[k]). */
  private readonly ends: number[] = [];
  /** Where each n-gram ended so far. */
  private readonly seen = new Map<string, number[]>();
  /** First token of the run of already-seen n-grams the newest token ends, if it ends one. */
  private runStart: number | undefined;
  private settledTokens = 0;
  /** Where the line being written starts, and the last non-blank line before it (if it holds a word). */
  private lineStart = 0;
  private lastLine: string | undefined;
  /** The run of identical lines without a letter or digit ("[:]" line after line), where its second copy starts. */
  private marks: { line: string; count: number; second: number } | undefined;

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
    if (n > 0 && this.o.repeats > 1 && i + 1 >= n) {
      const key = this.tokens.slice(i + 1 - n).join(',');
      const ends = this.seen.get(key) ?? [];
      if (ends.length) this.runStart ??= i + 1 - n;
      else this.runStart = undefined;
      if (ends.length >= this.o.repeats - 1) cut = this.repetition(i, ends, text);
      ends.push(i);
      this.seen.set(key, ends);
    }
    if (cut === undefined && this.o.lines) cut = this.repeatedLine(text);
    if (cut !== undefined) return Math.max(this.wordEnd(cut, text), this.settledTokens);
    // Held back: what the next cut could take.
    let hold = n > 0 ? i + 2 - n : i + 1;
    if (this.runStart !== undefined) hold = Math.min(hold, this.runStart);
    if (this.o.lines && this.lastLine?.startsWith(text.slice(this.lineStart))) hold = Math.min(hold, this.tokensBefore(this.lineStart));
    this.settledTokens = Math.max(this.settledTokens, Math.min(i + 1, hold));
    return undefined;
  }

  /**
   * Whether the n-gram ending at `i` closes `repeats` back-to-back copies of one stretch (it ended
   * one period p earlier, and 2p, ..., and every token between equals the one p before it): then
   * where the second copy begins.
   */
  private repetition(i: number, ends: readonly number[], text: string): number | undefined {
    const n = this.o.ngram;
    const t = this.tokens;
    for (let e = ends.length - 1; e >= 0; e--) {
      const p = i - ends[e];
      const first = i - (this.o.repeats - 1) * p;
      if (first < n - 1 || !ends.includes(first)) continue;
      let j = first + 1 - n;
      let k = j + p;
      while (k <= i && t[k] === t[k - p]) k++;
      if (k <= i) continue;
      // Back to where the repetition really starts, then keep one copy.
      while (j > 0 && t[j - 1] === t[j - 1 + p]) j--;
      const unit = text.slice(j > 0 ? this.ends[j - 1] : 0, this.ends[j + p - 1]);
      // "0, 0, 0, 0" or "| --- | --- |" in a table is text: a loop says words.
      if (HAS_LETTER.test(unit)) return j + p;
    }
    return undefined;
  }

  /** Checks the lines `text` completed since the last call: where a line repeating the previous (non-blank) one starts. */
  private repeatedLine(text: string): number | undefined {
    for (let nl = text.indexOf('\n', this.lineStart); nl >= 0; nl = text.indexOf('\n', this.lineStart)) {
      const line = text.slice(this.lineStart, nl);
      if (line.trim()) {
        if (line === this.lastLine) return this.tokensBefore(this.lineStart);
        this.lastLine = HAS_WORD.test(line) ? line : undefined;
        // Marks alone ("}", "---") may stand twice in a row in code or markdown; a third time is a loop.
        if (HAS_WORD.test(line)) this.marks = undefined;
        else if (this.marks?.line !== line) this.marks = { line, count: 1, second: -1 };
        else {
          if (++this.marks.count === 2) this.marks.second = this.lineStart;
          if (this.marks.count >= MARK_LINE_REPEATS) return this.tokensBefore(this.marks.second);
        }
      }
      this.lineStart = nl + 1;
    }
    return undefined;
  }

  /** A cut after `keep` tokens, moved on to the end of the word it falls in ("RateL|imiter": after "imiter"). */
  private wordEnd(keep: number, text: string): number {
    while (keep > 0 && keep < this.tokens.length && WORD_END.test(text.slice(0, this.ends[keep - 1])) && WORD_START.test(text.slice(this.ends[keep - 1], this.ends[keep]))) keep++;
    return keep;
  }

  /** How many whole tokens end at or before character `at`. */
  private tokensBefore(at: number): number {
    let k = 0;
    while (k < this.ends.length && this.ends[k] <= at) k++;
    return k;
  }
}
