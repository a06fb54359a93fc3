import type { Engine, EngineState } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import { logProb, type SamplingOptions } from '../engine/sampling';
import { continueFrom, continueGreedy } from '../engine/generate';
import { completionStopIds, lineEnder } from '../prompt/stop';
import type { Healer } from '../prompt/heal';
import { chooseLine, type CandidateLine, type RerankOptions } from './rerank';

export interface CompleteOptions extends SamplingOptions {
  readonly maxTokens: number;
  /** Past this many ms, stop at the next newline (llama.vscode's rule: show a line now rather than a block late). */
  readonly lineBudgetMs?: number;
  /** Hard stop: whatever exists at this many ms is returned. */
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
  readonly seed?: number;
  /**
   * Text taken off the prompt's end (token healing): generated again first, token by token, and not
   * returned. With `content`, the suggestion's first line is not left empty (no end token or line
   * break before something is written): at a fresh line a user waits for code, not a blank line.
   */
  readonly heal?: { readonly text: string; readonly healer: Healer; readonly content?: boolean };
  /** The first line chosen among candidates by the file's next line (rerank.ts); greedy without. */
  readonly rerank?: RerankOptions;
  /** Score the first line (default) or every line (lineLogProbs, for a multi-line suggestion). */
  readonly scoreLines?: 'first' | 'all';
  /** Stop where the first line ends: a single-line suggestion shows nothing after it. */
  readonly oneLine?: boolean;
}

export type Stopped = 'end' | 'max' | 'line' | 'line-budget' | 'deadline' | 'aborted';

export interface Completed {
  readonly text: string;
  readonly tokens: number;
  readonly stopped: Stopped;
  /** The candidate lines scored, and the one kept, where the first line was chosen among them. */
  readonly candidates?: { readonly lines: readonly CandidateLine[]; readonly index: number };
  /**
   * log p(the suggestion's first line | prompt) in nats, healed text included, as rerank.ts scores a
   * candidate: how sure the model is of what it shows (src/completion/confidence.ts). Absent when
   * the first line is empty or the request was aborted.
   */
  readonly lineLogProb?: number;
  /** log p(the file's next line | the first line), where the first line was chosen among candidates (rerank.ts) and the next line counted fully. */
  readonly nextLogProb?: number;
  /** The first line was chosen with the next line counting less, as it leaves the cursor's block (rerank.ts nextLeavesBlock): judged by itself (confidence.ts). */
  readonly leavesBlock?: true;
  /** The first line is the one the repository writes between copies of both the cursor's neighbours (rerank.ts): shown at every level (confidence.ts). */
  readonly between?: true;
  /** With scoreLines 'all': log p of each line of `text` the same way (undefined for an empty line). */
  readonly lineLogProbs?: readonly (number | undefined)[];
}

/**
 * Runs the prompt's last token on a prepared state, then generates until an end token, the limits,
 * or an abort; returns raw text. `engine` owns `prompt.state`: the prompt's engine, or the CPU
 * decoder that took the state over (so a software GPU adapter runs one forward less).
 */
export async function complete(engine: Engine, tokenizer: Tokenizer, prompt: { readonly state: EngineState; readonly last: number }, o: CompleteOptions): Promise<Completed> {
  let from: { logits: Float32Array; state: EngineState; at: number } | undefined;
  try {
    // The logits are copied: an engine may reuse the array it returned for the next step's.
    const { ids, ...out } = await generate(engine, tokenizer, prompt, o, (logits, state, at) => (from = { logits: Float32Array.from(logits), state: engine.snapshot(state), at }));
    const chosen = out.candidates?.lines[out.candidates.index];
    // Judged by the line alone where the next line did not fully count in choosing it (it leaves the
    // block): judged with it, stop 54's writing run's same choices showed more lines, none more exact.
    const leaves = (o.rerank?.nextWeight ?? 1) < 1;
    const next = !chosen ? {} : { ...(leaves ? { leavesBlock: true as const } : { nextLogProb: chosen.next }), ...(chosen.kind === 'between' ? { between: true as const } : {}) };
    if (!from || out.stopped === 'aborted' || o.signal?.aborted) return chosen === undefined ? out : { ...out, lineLogProb: chosen.line, ...next };
    const lines = await lineLogProbs(engine, tokenizer, from, ids, o.scoreLines === 'all' ? Infinity : 1);
    if (chosen !== undefined) lines[0] = chosen.line;
    if (lines[0] === undefined) return out;
    return { ...out, lineLogProb: lines[0], ...next, ...(o.scoreLines === 'all' ? { lineLogProbs: lines } : {}) };
  } finally {
    if (from) engine.release(from.state);
  }
}

/**
 * log p of each of the first `count` lines of `ids` (a line: its tokens before the one that ends it,
 * as rerank.ts's candidates stop; that token counts for no line), of the tokens from `from.at` on,
 * run on `from.state` (moved; its last logits are `from.logits`) in one prefill, as rerank.ts scores
 * a candidate. Lines before `from.at`'s are left undefined (a candidate scored them); so is an empty one.
 */
async function lineLogProbs(engine: Engine, tokenizer: Tokenizer, from: { logits: Float32Array; state: EngineState; at: number }, ids: readonly number[], count: number): Promise<number[]> {
  const ends = ids.map(lineEnder(tokenizer));
  // The tokens to score: from `at` to the end of the last line wanted.
  let end = ids.length;
  for (let i = 0, line = 0; i < ids.length; i++) if (ends[i] && ++line >= count) {
    end = i;
    break;
  }
  const scored = ids.slice(from.at, end);
  const lps: number[] = scored.length ? [logProb(from.logits, scored[0])] : [];
  if (scored.length > 1) lps.push(...(await engine.prefill(scored.slice(0, -1), from.state, { logProbsOf: scored.slice(1) })));
  const out: number[] = [];
  let line = 0;
  let sum = 0;
  let any = false;
  for (let i = 0; i < end; i++) {
    if (ends[i]) {
      if (any) out[line] = sum;
      [line, sum, any] = [line + 1, 0, false];
    } else if (i >= from.at) {
      sum += lps[i - from.at];
      any = true;
    }
  }
  if (any) out[line] = sum;
  return out;
}

/**
 * complete() without the lines' scores: `scoreFrom` gets the logits and state from which the tokens
 * from index `at` on were generated, before anything moves it: the prompt's (at 0) when the first
 * line is not chosen among candidates (which score it themselves), else, with `scoreLines: 'all'`,
 * the chosen line's.
 */
async function generate(engine: Engine, tokenizer: Tokenizer, prompt: { readonly state: EngineState; readonly last: number }, o: CompleteOptions, scoreFrom: (logits: Float32Array, state: EngineState, at: number) => void): Promise<Completed & { ids: number[] }> {
  const t0 = Date.now();
  const stop = completionStopIds(tokenizer);
  const out: number[] = [];
  const healed = o.heal?.text ?? '';
  let candidates: Completed['candidates'];
  // Where a line's end ends the suggestion: always for one line, else once the line budget is spent.
  const lineMayEnd = (elapsed: number) => o.oneLine === true || (o.lineBudgetMs !== undefined && elapsed > o.lineBudgetMs);
  const result = (stopped: Stopped) => ({ text: tokenizer.decode(out).slice(healed.length), tokens: out.length, stopped, candidates, ids: out });
  if (o.signal?.aborted) return result('aborted');
  let logits = await engine.prefill([prompt.last], prompt.state);
  // Healing: the first tokens must spell the text taken off the prompt; the model chooses how.
  // Then, with `content`, tokens until the line holds something may not end it.
  const onLine = o.heal?.content ? { banned: stop } : undefined;
  const needsContent = () => onLine !== undefined && tokenizer.decode(out).slice(healed.length).trim() === '';
  let state = prompt.state;
  let rest = healed;
  if (o.rerank && o.rerank.candidates > 1) {
    const chosen = await chooseLine(engine, tokenizer, prompt.state, logits, o.heal && { text: healed, healer: o.heal.healer, onLine }, stop, { ...o.rerank, maxLineTokens: Math.min(o.rerank.maxLineTokens, o.maxTokens), signal: o.signal });
    if (chosen) {
      state = chosen.state;
      logits = chosen.logits;
      candidates = { lines: chosen.candidates, index: chosen.index };
      out.push(...chosen.tokens);
      rest = o.heal ? o.heal.healer.restAfter(rest, chosen.tokens) : '';
    }
  }
  if (!candidates) scoreFrom(logits, prompt.state, 0);
  else if (o.scoreLines === 'all') scoreFrom(logits, state, out.length);
  try {
    for (; (rest || needsContent()) && out.length < o.maxTokens; ) {
      if (o.signal?.aborted) return result('aborted');
      const next = o.heal!.healer.pick(logits, rest, onLine);
      out.push(next);
      rest = o.heal!.healer.rest(rest, next);
      // What the last healing token spells past the healed text is the suggestion's start.
      if (!rest && tokenizer.decode(out).length > healed.length) {
        if (out.length >= o.maxTokens) return result('max');
        if (lineMayEnd(Date.now() - t0) && tokenizer.decode(out).slice(healed.length).includes('\n')) return result(o.oneLine ? 'line' : 'line-budget');
      }
      logits = await engine.step(next, state);
    }
    if (out.length >= o.maxTokens) return result('max');
    const remaining = { ...o, maxTokens: o.maxTokens - out.length, stop };
    for await (const next of (o.temperature ?? 0) <= 0 ? continueGreedy(engine, logits, state, remaining) : continueFrom(engine, logits, state, remaining)) {
      out.push(next);
      const elapsed = Date.now() - t0;
      if (o.deadlineMs !== undefined && elapsed >= o.deadlineMs) return result('deadline');
      if (lineMayEnd(elapsed) && tokenizer.decode([next]).includes('\n')) return result(o.oneLine ? 'line' : 'line-budget');
    }
    if (o.signal?.aborted) return result('aborted');
    return result(out.length >= o.maxTokens ? 'max' : 'end');
  } finally {
    // A chosen candidate's state is this function's; the prompt's is the caller's.
    if (state !== prompt.state) engine.release(state);
  }
}
