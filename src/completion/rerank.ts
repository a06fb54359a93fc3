// Choosing the cursor's line by what follows it. The prefix layout shows the model only the file
// before the cursor, but the editor knows the next line: of a few candidate lines (the best first
// tokens, each continued greedily to the line's end), the one under which the model finds the
// file's next line most likely, together with the line itself, is kept:
//   score(c) = log p(c | prompt) + log p(next | prompt, c)
// The greedy line is candidate 0; with one candidate this is plain greedy decoding.
import type { Engine, EngineState } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import { argmax, logProb } from '../engine/sampling';
import type { Healer } from '../prompt/heal';

export interface RerankOptions {
  /** Candidate lines (first tokens tried), 2 or more to rerank at all. */
  readonly candidates: number;
  /** The text after the cursor's line up to the end of the next line that holds something: "\n" blank lines, then the line. */
  readonly next: string;
  /** Tokens per candidate line at most. */
  readonly maxLineTokens: number;
  /** Checked before each step: once aborted, no more candidates are made (the caller stops too). */
  readonly signal?: AbortSignal;
}

export interface Healing {
  readonly text: string;
  readonly healer: Healer;
  /** Tokens until the line holds something may not end it (src/prompt/heal.ts pick's onLine). */
  readonly onLine?: { readonly banned: readonly number[] };
}

/** One candidate line and its two log-probabilities (nats); its score is their sum. */
export interface CandidateLine {
  /** The line past the healed text (what the suggestion would show). */
  readonly text: string;
  readonly tokens: number;
  /** log p(line | prompt), and log p(next line | prompt, line). */
  readonly line: number;
  readonly next: number;
}

export interface Chosen {
  /** The line's tokens (the healed text's first): none ends the line. */
  readonly tokens: number[];
  /** The state after them and the logits for what follows: the caller owns the state. */
  readonly state: EngineState;
  readonly logits: Float32Array;
  /** Every candidate scored, in the order made (0: the greedy line), and which was kept. */
  readonly candidates: readonly CandidateLine[];
  readonly index: number;
}

/**
 * The candidates from `state` (which has run the prompt; `logits` are its last position's), scored
 * with `o.next`; the best one's tokens and state. `state` itself is left as it is. Undefined when
 * fewer than two candidates could be made (the caller decodes greedily as usual).
 */
export async function chooseLine(engine: Engine, tokenizer: Tokenizer, state: EngineState, logits: Float32Array, heal: Healing | undefined, stop: readonly number[], o: RerankOptions): Promise<Chosen | undefined> {
  const text = (ids: readonly number[]) => tokenizer.decode(ids);
  const healed = heal?.text ?? '';
  const endsLine = (id: number) => stop.includes(id) || text([id]).includes('\n');
  const nextIds = tokenizer.encode(o.next);
  if (!nextIds.length) return undefined;
  const tried = new Set<number>();
  const lines = new Set<string>();
  const kept: { tokens: number[]; state: EngineState; logits: Float32Array; line: number; next: number }[] = [];
  try {
    for (let c = 0; c < o.candidates && !o.signal?.aborted; c++) {
      // The c-th best first token under healing's constraints.
      const masked = Float32Array.from(logits);
      for (const t of tried) masked[t] = -Infinity;
      const first = heal ? heal.healer.pick(masked, healed, heal.onLine) : argmax(masked);
      if (first < 0 || masked[first] === -Infinity) break;
      tried.add(first);
      if (endsLine(first)) continue;
      // Continued greedily to the line's end, by complete()'s rule: constrained while healed text
      // remains or the line still needs content, argmax after.
      const s = engine.snapshot(state);
      const tokens = [first];
      let score = logProb(logits, first);
      let rest = heal ? heal.healer.rest(healed, first) : '';
      let l = await engine.step(first, s);
      while (tokens.length < o.maxLineTokens && !o.signal?.aborted) {
        const needsContent = heal?.onLine !== undefined && text(tokens).slice(healed.length).trim() === '';
        const t = heal && (rest || needsContent) ? heal.healer.pick(l, rest, heal.onLine) : argmax(l);
        if (t < 0 || endsLine(t)) break;
        score += logProb(l, t);
        tokens.push(t);
        if (heal) rest = heal.healer.rest(rest, t);
        l = await engine.step(t, s);
      }
      const line = text(tokens);
      if (lines.has(line) || line.slice(healed.length).trim() === '') {
        engine.release(s);
        continue;
      }
      lines.add(line);
      // The next line under this one: its first token from here, the others from one pass.
      const probe = engine.snapshot(s);
      try {
        let nextScore = logProb(l, nextIds[0]);
        if (nextIds.length > 1) {
          const all = await engine.prefill(nextIds.slice(0, -1), probe, { allLogits: true });
          const V = l.length;
          for (let i = 1; i < nextIds.length; i++) nextScore += logProb(all, nextIds[i], (i - 1) * V, V);
        }
        kept.push({ tokens, state: s, logits: l, line: score, next: nextScore });
      } finally {
        engine.release(probe);
      }
    }
    if (kept.length < 2 || o.signal?.aborted) return undefined;
    let best = 0;
    const score = (k: (typeof kept)[number]) => k.line + k.next;
    for (let i = 1; i < kept.length; i++) if (score(kept[i]) > score(kept[best])) best = i;
    const candidates = kept.map((k) => ({ text: text(k.tokens).slice(healed.length), tokens: k.tokens.length, line: k.line, next: k.next }));
    const [chosen] = kept.splice(best, 1);
    return { tokens: chosen.tokens, state: chosen.state, logits: chosen.logits, candidates, index: best };
  } finally {
    for (const k of kept) engine.release(k.state);
  }
}

/**
 * What follows the cursor's line up to the next line that holds something (within `maxLines`
 * lines), or undefined where reranking does not apply: text after the cursor on its line (the
 * suggestion must fit before it), or no such line near.
 */
export function nextLineText(suffix: string, maxLines = 3): string | undefined {
  const lines = suffix.split('\n');
  if (lines[0].trim() !== '') return undefined;
  for (let i = 1; i < lines.length && i <= maxLines; i++) {
    if (lines[i].trim() !== '') return '\n' + lines.slice(1, i + 1).join('\n');
  }
  return undefined;
}
