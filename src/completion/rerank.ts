// Choosing the cursor's line by what follows it. The prefix layout shows the model only the file
// before the cursor, but the editor knows the next line: of a few candidate lines, the one under
// which the model finds the file's next line most likely, together with the line itself, is kept:
//   score(c) = log p(c | prompt) + w * log p(next | prompt, c) [+ REPOSITORY_LINE_BONUS]
// with w = 1, or LEAVING_NEXT_WEIGHT where the next line leaves the cursor's block: while code is
// written, the `}` the editor put below a new body, or the next definition below, says little of the
// line, and scoring by it fully picked lines that end the body at once (`return ...`).
// The candidates: the best first tokens, each continued greedily (the first is the greedy line),
// and, with `branches`, the greedy line branched at its least likely tokens (the next-best token
// there, then greedy), so a line that goes wrong after its first token has another chance too;
// and, with `lines`, lines the repository writes around the same lines elsewhere (followers.ts),
// which count REPOSITORY_LINE_BONUS more: that the repository writes a line there is evidence the
// model's probability, which reads only this place, leaves out. The one line it writes between
// copies of both the line above and the line below (`between`) is kept outright: on stop 56's H100
// runs it was exact 62% of the time (71% on Rust, Java, C and C++ packages held out), where the
// model's choice is exact for 26% of all lines; exact lines +0.6 points in both settings, paired.
// With one candidate and no such lines this is plain greedy decoding.
import type { Engine, EngineState } from '../engine/engine';
import type { Tokenizer } from '../model/tokenizer';
import { argmax, logProb } from '../engine/sampling';
import { continueGreedy } from '../engine/generate';
import type { Healer } from '../prompt/heal';
import { lineEnder } from '../prompt/stop';
import type { Language } from '../code/language';
import { indentWidth, wrongLine } from './postprocess';

export interface RerankOptions {
  /** Candidate lines (first tokens tried), 2 or more to rerank at all. */
  readonly candidates: number;
  /** The text after the cursor's line up to the end of the next line that holds something: "\n" blank lines, then the line. */
  readonly next: string;
  /** Tokens per candidate line at most. */
  readonly maxLineTokens: number;
  /** Of the candidates, how many branch the greedy line where it was least sure (the rest differ in their first token). */
  readonly branches?: number;
  /** Lines the repository offers (followers.ts), each past what the cursor's line holds before the healed text: scored as candidates too. */
  readonly lines?: readonly string[];
  /** The only line the repository writes between copies of both the cursor's neighbouring lines, past what the line holds as `lines` are: scored first and taken alone unless wrongLine rules it out (then a candidate like the others, kept if every one is ruled out). */
  readonly between?: string;
  /**
   * The cursor's line before the healed text: a candidate that would make the line one no suggestion
   * should give (postprocess.ts wrongLine: a line below or above again) is kept only when every
   * candidate does.
   */
  readonly lineHead?: string;
  /** The text before the cursor's line (wrongLine's `above`). */
  readonly above?: string;
  /** The text after the cursor (wrongLine's `below`; `next` where not given). */
  readonly below?: string;
  /** The file's language (wrongLine's rules that read code). */
  readonly language?: Language;
  /** Checked before each step: once aborted, no more candidates are made (the caller stops too). */
  readonly signal?: AbortSignal;
  /** How much the next line's log-probability counts (default 1; LEAVING_NEXT_WEIGHT where it leaves the block; 0: the line's own alone). */
  readonly nextWeight?: number;
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
  /** How it was made: another first token, the greedy line branched at its least likely token, a line the repository offered, or the one it writes between both neighbours. */
  readonly kind: 'first' | 'branch' | 'repository' | 'between';
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
  /** Every candidate scored, in the order made (the greedy line the first of kind `first`), and which was kept. */
  readonly candidates: readonly CandidateLine[];
  readonly index: number;
}

/**
 * The candidates from `state` (which has run the prompt; `logits` are its last position's), scored
 * with `o.next`; the best one's tokens and state. `state` itself is left as it is. The line between
 * both neighbours (`o.between`) is taken alone where it can be; otherwise undefined when fewer than
 * two candidates could be made (the caller decodes greedily as usual).
 */
export async function chooseLine(engine: Engine, tokenizer: Tokenizer, state: EngineState, logits: Float32Array, heal: Healing | undefined, stop: readonly number[], o: RerankOptions): Promise<Chosen | undefined> {
  const text = (ids: readonly number[]) => tokenizer.decode(ids);
  const healed = heal?.text ?? '';
  const endsLine = lineEnder(tokenizer, stop);
  const nextIds = tokenizer.encode(o.next);
  if (!nextIds.length) return undefined;
  const lines = new Set<string>();
  const kept: { tokens: number[]; kind: CandidateLine['kind']; line: number; next: number; each: number[] }[] = [];
  /** Scores a new line (in one pass over it and the next line) and keeps it; a repeat or a blank is dropped. */
  const keep = async (tokens: number[], kind: CandidateLine['kind']) => {
    const line = text(tokens);
    if (o.signal?.aborted || lines.has(line) || line.slice(healed.length).trim() === '') return;
    lines.add(line);
    const probe = engine.snapshot(state);
    try {
      const scored = [...tokens, ...nextIds];
      const lp = await engine.prefill(scored.slice(0, -1), probe, { logProbsOf: scored.slice(1) });
      const each = [logProb(logits, tokens[0]), ...lp.subarray(0, tokens.length - 1)];
      let next = 0;
      for (let i = tokens.length - 1; i < lp.length; i++) next += lp[i];
      kept.push({ tokens, kind, line: each.reduce((a, b) => a + b, 0), next, each });
    } finally {
      engine.release(probe);
    }
  };
  const wrongAt = (k: (typeof kept)[number]) => o.lineHead !== undefined && wrongLine(o.lineHead, text(k.tokens), o.above ?? '', o.below ?? o.next, o.language);
  // The line between both neighbours first: kept outright, the model's own lines would not be
  // chosen, so none is made (unless wrongLine rules it out).
  const between = o.between === undefined ? [] : tokenizer.encode(healed + o.between);
  if (between.length && between.length <= o.maxLineTokens && !between.some(endsLine)) {
    await keep(between, 'between');
    if (kept.length && !wrongAt(kept[0]) && !o.signal?.aborted) return take(0);
  }
  const branches = Math.min(o.branches ?? 0, o.candidates - 1);
  // The best first tokens under healing's constraints, each continued to the line's end.
  const tried = new Set<number>();
  for (let c = 0; c < o.candidates - branches && !o.signal?.aborted; c++) {
    const masked = Float32Array.from(logits);
    for (const t of tried) masked[t] = -Infinity;
    const first = heal ? heal.healer.pick(masked, healed, heal.onLine) : argmax(masked);
    if (first < 0 || masked[first] === -Infinity) break;
    tried.add(first);
    if (endsLine(first)) continue;
    const s = engine.snapshot(state);
    try {
      await keep(await lineFrom(engine, text, s, [first], await engine.step(first, s), heal, endsLine, o), 'first');
    } finally {
      engine.release(s);
    }
  }
  // Then the greedy line (the first model line kept: the best first token's, unless that ended the line at once)
  // branched where it was least sure, past its first token and the healed text.
  const greedy = kept.find((k) => k.kind === 'first');
  if (greedy && branches > 0) {
    // A position is free where the tokens before it have spelled the healed text and put something on the line.
    const free = (j: number) => (!heal || heal.healer.restAfter(healed, greedy.tokens.slice(0, j)) === '') && text(greedy.tokens.slice(0, j)).slice(healed.length).trim() !== '';
    const at = greedy.each.map((x, j) => ({ x, j })).filter(({ j }) => j >= 1 && free(j)).sort((a, b) => a.x - b.x);
    for (const { j } of at.slice(0, branches)) {
      if (o.signal?.aborted) break;
      const s = engine.snapshot(state);
      try {
        const prefix = greedy.tokens.slice(0, j);
        const row = Float32Array.from(await engine.prefill(prefix, s));
        row[greedy.tokens[j]] = -Infinity;
        const alt = argmax(row);
        await keep(endsLine(alt) ? prefix : await lineFrom(engine, text, s, [...prefix, alt], await engine.step(alt, s), heal, endsLine, o), 'branch');
      } finally {
        engine.release(s);
      }
    }
  }
  // Then the repository's lines, spelled as the tokenizer spells them after the healed text.
  for (const line of o.lines ?? []) {
    if (o.signal?.aborted) break;
    const tokens = tokenizer.encode(healed + line);
    if (tokens.length && tokens.length <= o.maxLineTokens && !tokens.some(endsLine)) await keep(tokens, 'repository');
  }
  if (kept.length < 2 || o.signal?.aborted) return undefined;
  const w = o.nextWeight ?? 1;
  const score = (k: (typeof kept)[number]) => k.line + w * k.next + (k.kind === 'repository' ? REPOSITORY_LINE_BONUS : 0);
  // Likely lines include the next one again (a line repeated is likely); it is what the file already says.
  const wrong = kept.map(wrongAt);
  const open = wrong.some((r) => !r) ? (i: number) => !wrong[i] : () => true;
  let best = kept.findIndex((k, i) => k.kind === 'between' && open(i));
  if (best < 0) for (let i = 0; i < kept.length; i++) if (open(i) && (best < 0 || score(kept[i]) > score(kept[best]))) best = i;
  return take(best);

  /** The chosen line run on a copy of the prompt's state: generation continues from there. */
  async function take(best: number): Promise<Chosen> {
    const chosen = engine.snapshot(state);
    try {
      const after = await engine.prefill(kept[best].tokens, chosen);
      const candidates = kept.map((k) => ({ text: text(k.tokens).slice(healed.length), kind: k.kind, tokens: k.tokens.length, line: k.line, next: k.next }));
      return { tokens: kept[best].tokens, state: chosen, logits: after, candidates, index: best };
    } catch (e) {
      engine.release(chosen);
      throw e;
    }
  }
}

/**
 * A line continued to its end from `tokens` (already run on `s`, whose last logits are `l`), by
 * complete()'s rule: constrained while healed text remains or the line still needs content, greedy
 * after (on the engine's own loop where it has one, so the logits stay on the GPU). Moves `s`.
 */
async function lineFrom(engine: Engine, text: (ids: readonly number[]) => string, s: EngineState, start: readonly number[], l: Float32Array, heal: Healing | undefined, endsLine: (id: number) => boolean, o: RerankOptions): Promise<number[]> {
  const tokens = [...start];
  let rest = heal ? heal.healer.restAfter(heal.text, tokens) : '';
  const needsContent = () => heal?.onLine !== undefined && text(tokens).slice(heal.text.length).trim() === '';
  while (heal && (rest || needsContent()) && tokens.length < o.maxLineTokens) {
    if (o.signal?.aborted) return tokens;
    const t = heal.healer.pick(l, rest, heal.onLine);
    if (t < 0 || endsLine(t)) return tokens;
    tokens.push(t);
    rest = heal.healer.rest(rest, t);
    l = await engine.step(t, s);
  }
  for await (const t of continueGreedy(engine, l, s, { maxTokens: o.maxLineTokens - tokens.length, signal: o.signal })) {
    if (endsLine(t)) break;
    tokens.push(t);
  }
  return tokens;
}

/**
 * What follows the cursor's line up to the next line that holds something (within `maxLines`
 * lines), or undefined where reranking does not apply: text after the cursor on its line (the
 * suggestion must fit before it), or no such line near.
 */
export function nextLineText(suffix: string, maxLines = 3): string | undefined {
  // Only the lines needed: the suffix may be the rest of a long file, and this runs per request.
  const lines = suffix.split('\n', maxLines + 1);
  if (lines[0].trim() !== '') return undefined;
  for (let i = 1; i < lines.length && i <= maxLines; i++) {
    if (lines[i].trim() !== '') return '\n' + lines.slice(1, i + 1).join('\n');
  }
  return undefined;
}

/**
 * How much the next line counts where it leaves the cursor's block (nextLeavesBlock). While code is
 * written, that line is the brace the editor closed below or the next definition, and scoring by it
 * keeps lines that end the block at once (`return ...` as a new body's second line). Chosen on one
 * H100 run of `samba eval --writing` (936 lines inside functions of the seven evaluation
 * repositories, each asked as while its function is written from the top; 4 candidates, settings a
 * and c) and stop 53's run of the same lines continuing the file (660), recomputed from each
 * candidate's two recorded log-probabilities: where the next line leaves the block, exact (a) / (c)
 * writing 140 / 154 with the rule before (0 for a new body's first line, else 1), 166 / 176 at 0.2,
 * 166 / 173 at 0, 159 / 172 at 0.3; continuing 30 / 33 before, 32 / 34 at 0.2, 29 / 33 at 0
 * (bench/RESULTS.md, stop 54).
 */
export const LEAVING_NEXT_WEIGHT = 0.2;

/**
 * Nats added to the score of a line the repository offers (followers.ts). Chosen offline from the
 * candidates' recorded log-probabilities in three H100 runs of `samba eval` (settings a and c, 4
 * candidates; stop 54's continuing run, stop 55's continuing and writing runs): at 3, exact +3 / +7,
 * +9 / +12 and +3 / +7 lines of 1,400, 1,400 and 969 ((a) / (c)); at 2, +5 / +6, +5 / +8, +3 / +4; at 6,
 * none more than at 0. At `likely` fewer wrong lines are shown, as many right ones (bench/RESULTS.md,
 * stop 55); the bonus chooses a line, it does not make the model surer of it.
 */
export const REPOSITORY_LINE_BONUS = 3;

/** Whether the next line that holds something is indented less than the cursor's line: it leaves the cursor's block. */
export function nextLeavesBlock(prefix: string, suffix: string): boolean {
  const here = indentWidth(prefix.slice(prefix.lastIndexOf('\n') + 1));
  const next = lineBelow(suffix);
  return next !== undefined && indentWidth(next) < here;
}

/** The first line after the cursor's that holds something, as it stands; read line by line (the suffix may be the rest of a long file). */
export function lineBelow(suffix: string): string | undefined {
  for (let start = suffix.indexOf('\n'); start >= 0; ) {
    const end = suffix.indexOf('\n', start + 1);
    const line = suffix.slice(start + 1, end < 0 ? suffix.length : end);
    if (line.trim() !== '') return line;
    start = end;
  }
  return undefined;
}
