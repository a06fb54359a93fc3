import type { Engine, EngineState } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import { logProb, type SamplingOptions } from '../engine/sampling';
import { continueFrom, continueGreedy } from '../engine/generate';
import { completionStopIds } from '../prompt/stop';
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
}

export type Stopped = 'end' | 'max' | 'line-budget' | 'deadline' | 'aborted';

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
}

/**
 * Runs the prompt's last token on a prepared state, then generates until an end token, the limits,
 * or an abort; returns raw text. `engine` owns `prompt.state`: the prompt's engine, or the CPU
 * decoder that took the state over (so a software GPU adapter runs one forward less).
 */
export async function complete(engine: Engine, tokenizer: Tokenizer, prompt: { readonly state: EngineState; readonly last: number }, o: CompleteOptions): Promise<Completed> {
  let first: { logits: Float32Array; state: EngineState } | undefined;
  try {
    // The logits are copied: an engine may reuse the array it returned for the next step's.
    const { ids, ...out } = await generate(engine, tokenizer, prompt, o, (logits, state) => (first = { logits: Float32Array.from(logits), state: engine.snapshot(state) }));
    if (out.candidates) return { ...out, lineLogProb: out.candidates.lines[out.candidates.index].line };
    if (!first || out.stopped === 'aborted' || o.signal?.aborted) return out;
    const lineLogProb = await firstLineLogProb(engine, tokenizer, first.state, first.logits, ids);
    return lineLogProb === undefined ? out : { ...out, lineLogProb };
  } finally {
    if (first) engine.release(first.state);
  }
}

/**
 * log p of `ids`' first line (its tokens before the first one that ends the line, as rerank.ts's
 * candidates stop), run on `state` (the prompt's, whose last logits are `logits`; moved): one prefill
 * of the line, as rerank.ts scores a candidate. Undefined for an empty first line.
 */
async function firstLineLogProb(engine: Engine, tokenizer: Tokenizer, state: EngineState, logits: Float32Array, ids: readonly number[]): Promise<number | undefined> {
  const stop = completionStopIds(tokenizer);
  const end = ids.findIndex((id) => stop.includes(id) || tokenizer.decode([id]).includes('\n'));
  const line = end < 0 ? ids : ids.slice(0, end);
  if (!line.length) return undefined;
  let lp = logProb(logits, line[0]);
  if (line.length > 1) for (const x of await engine.prefill(line.slice(0, -1), state, { logProbsOf: line.slice(1) })) lp += x;
  return lp;
}

/**
 * complete() without the line's score: `scoreFrom` gets the prompt's last logits and state when the
 * first line is not chosen among candidates (which score it themselves), before anything moves it.
 */
async function generate(engine: Engine, tokenizer: Tokenizer, prompt: { readonly state: EngineState; readonly last: number }, o: CompleteOptions, scoreFrom: (logits: Float32Array, state: EngineState) => void): Promise<Completed & { ids: number[] }> {
  const t0 = Date.now();
  const stop = completionStopIds(tokenizer);
  const out: number[] = [];
  const healed = o.heal?.text ?? '';
  let candidates: Completed['candidates'];
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
  if (!candidates) scoreFrom(logits, prompt.state);
  try {
    for (; (rest || needsContent()) && out.length < o.maxTokens; ) {
      if (o.signal?.aborted) return result('aborted');
      const next = o.heal!.healer.pick(logits, rest, onLine);
      out.push(next);
      rest = o.heal!.healer.rest(rest, next);
      // What the last healing token spells past the healed text is the suggestion's start.
      if (!rest && tokenizer.decode(out).length > healed.length) {
        if (out.length >= o.maxTokens) return result('max');
        if (o.lineBudgetMs !== undefined && Date.now() - t0 > o.lineBudgetMs && tokenizer.decode(out).slice(healed.length).includes('\n')) return result('line-budget');
      }
      logits = await engine.step(next, state);
    }
    if (out.length >= o.maxTokens) return result('max');
    const remaining = { ...o, maxTokens: o.maxTokens - out.length, stop };
    for await (const next of (o.temperature ?? 0) <= 0 ? continueGreedy(engine, logits, state, remaining) : continueFrom(engine, logits, state, remaining)) {
      out.push(next);
      const elapsed = Date.now() - t0;
      if (o.deadlineMs !== undefined && elapsed >= o.deadlineMs) return result('deadline');
      if (o.lineBudgetMs !== undefined && elapsed > o.lineBudgetMs && tokenizer.decode([next]).includes('\n')) return result('line-budget');
    }
    if (o.signal?.aborted) return result('aborted');
    return result(out.length >= o.maxTokens ? 'max' : 'end');
  } finally {
    // A chosen candidate's state is this function's; the prompt's is the caller's.
    if (state !== prompt.state) engine.release(state);
  }
}
