// Whether a suggestion is worth showing by how sure the model is of it. A small model writes a
// plausible line at every place and most are wrong; its own probability of the line it shows tells
// the likely ones apart well (measured on the evaluation's held-out lines, bench/RESULTS.md): a
// suggestion that appears rarely but is right earns trust, one wrong at every pause is noise.

/** The `samba.completions.confidence` setting: which suggestions typing brings up. */
export type ConfidenceLevel = 'any' | 'likely' | 'sure';

/**
 * How much log p(the file's next line | the suggestion) counts beside the suggestion's own log-probability
 * where the editor has a next line and the line was chosen among candidates (rerank.ts scores both):
 * a line that leads badly into what follows it is more often wrong. Chosen on the stop-37 evaluation
 * (H100, shipped model, 4 candidates, settings a and c, 2,504 suggestions) and checked on stop 36's
 * run with the 512-token block (2,782): at the same share shown, the shown lines' edit similarity is
 * 0.020-0.022 higher at "likely" and 0.036-0.040 at "sure", exact as often or more (bench/RESULTS.md).
 * 0.05-0.15 did about as well; 0.3 and more did worse.
 */
export const NEXT_LINE_WEIGHT = 0.1;

/** What a suggestion is judged by: its first line's log-probability alone, or with NEXT_LINE_WEIGHT of the next line's where known. */
export interface MinScore {
  /** The least log p(first line) (nats) where the next line's is not known. */
  readonly line: number;
  /** The least log p(first line) + NEXT_LINE_WEIGHT x log p(next line | first line) where it is. */
  readonly withNext: number;
  /**
   * The least log p(first line) where the next line leaves the cursor's block (rerank.ts
   * nextLeavesBlock: while code is written, the brace the editor closed below). The model is surer
   * there than it is right: at `line`'s -4, 70.0% of the lines inside functions asked as while written
   * are shown and 28.6% of those exact; continuing lines at `likely`, 57.1% and 39.9% (stop 55, H100).
   */
  readonly leaving: number;
  /**
   * The least log p(first line) there for a line that steps aside from the body (stepsAside): one
   * that ends the function (`return`, `throw`, `raise`), or a comment. While a body is written from
   * the top the brace below is always the block's end, and the model returns early and comments
   * where the code goes on. Written so (stop 56's `samba eval --writing`, H100, setting c), the
   * returns scored -3 to -2 were right 1 time in 41, from -1.5 31 in 50; the comments scored -3 to
   * -2 none of 12 (stop 61; with stop 57's runs and a CPU walk, 1 of 19).
   */
  readonly leavingAside: number;
}

/**
 * The least score shown at each level. `line` was chosen on the stop-32 evaluation (H200, shipped
 * model, setting c, 4 candidates, 1,400 held-out lines): showing every suggestion, 22.1% are exact;
 * at -4, 56% are shown and 36% of those exact (edit similarity 0.61 against 0.49); at -2, 30% are
 * shown and 55% exact. `withNext` shows as many as `line` does on the stop-37 evaluation (57% and
 * 32% of suggestions), so a level keeps its meaning. `leaving` keeps it too, chosen on stop 55's
 * `samba eval --writing` (H100, setting c, 936 lines judged so): at -3, 54% shown and 35% exact
 * (the same lines' wrong suggestions shown 487 -> 341, right ones 194 -> 185); at -1.5, 29% and 56%
 * (bench/RESULTS.md, stop 55).
 */
export const MIN_SCORE: Record<ConfidenceLevel, MinScore> = {
  any: { line: -Infinity, withNext: -Infinity, leaving: -Infinity, leavingAside: -Infinity },
  likely: { line: -4, withNext: -5.75, leaving: -3, leavingAside: -2 },
  sure: { line: -2, withNext: -3, leaving: -1.5, leavingAside: -1.5 },
};

export const DEFAULT_CONFIDENCE: ConfidenceLevel = 'likely';

/**
 * A suggestion's lines after its first are shown while the model is at least this sure of each
 * (at any level but "any"): over a new function's body they are mostly wrong, and the model's
 * own score tells the few right ones apart (bench/function-bodies.ts, stop 33: cut there, the same
 * right lines and half the wrong ones).
 */
export const MIN_LATER_LINE_LOG_PROB = -2;

/**
 * `raw` up to its first line after the first that the model scores below `min` (`lineLogProbs[i]`:
 * line i's, complete()'s; an empty line, unscored, is kept).
 */
export function cutUnsureLines(raw: string, lineLogProbs: readonly (number | undefined)[] | undefined, min: number): string {
  if (!lineLogProbs) return raw;
  const lines = raw.split('\n');
  let n = 1;
  while (n < lines.length && sureEnough(lineLogProbs[n], min)) n++;
  return lines.slice(0, n).join('\n');
}

/** The level a setting names, or the default for anything else. */
export function confidenceLevel(value: unknown): ConfidenceLevel {
  return value === 'any' || value === 'likely' || value === 'sure' ? value : DEFAULT_CONFIDENCE;
}

/** Shown at `min`: a line scored at least `min`, or one not scored (nothing to judge it by). */
export function sureEnough(lineLogProb: number | undefined, min: number): boolean {
  return lineLogProb === undefined || lineLogProb >= min;
}

/** What a suggestion's first line is judged by (complete.ts's Completed has each). */
export interface FirstLine {
  readonly lineLogProb?: number;
  readonly nextLogProb?: number;
  /** The next line leaves the cursor's block: the line is judged by itself. */
  readonly leavesBlock?: boolean;
  /** The line the repository writes between copies of both the cursor's neighbours (rerank.ts): shown at every level. */
  readonly between?: boolean;
  /** The cursor's line as the suggestion completes it (MinScore.leavingAside); absent: not known. */
  readonly line?: string;
}

/** The cursor's line as a suggestion `text` inserted after `prefix` completes it (FirstLine.line). */
export function completedLine(prefix: string, text: string): string {
  return prefix.slice(prefix.lastIndexOf('\n') + 1) + text.split('\n')[0];
}

/**
 * A line that steps aside from the body being written: it leaves the function (`return`, `throw`
 * or `raise` first) or is a comment (`//`, `/*`, `*`, `# `; not a C directive or a Rust attribute,
 * nor a pointer's `*p`).
 */
export function stepsAside(line: string): boolean {
  return /^\s*(?:(?:return|throw|raise)\b|\/\/|\/\*|\*\/|\*(?:\s|$)|#(?:\s|$))/.test(line);
}

/**
 * A suggestion's first line shown at `min`: judged with the next line's log-probability where it is
 * known, by its own against `min.leaving` where the next line leaves the cursor's block (MinScore;
 * `min.leavingAside` for a line that steps aside from the body).
 * The line kept as the one between both neighbours is always shown, whatever the model's own score:
 * on stop 56's H100 runs 62-71% of those were exact, as often as what `sure` shows (59-65%).
 */
export function firstLineSure(f: FirstLine, min: MinScore): boolean {
  if (f.between || f.lineLogProb === undefined) return true;
  if (f.leavesBlock) return f.lineLogProb >= (f.line !== undefined && stepsAside(f.line) ? min.leavingAside : min.leaving);
  return f.nextLogProb === undefined ? f.lineLogProb >= min.line : f.lineLogProb + NEXT_LINE_WEIGHT * f.nextLogProb >= min.withNext;
}

/** The levels as the status menu offers them (package.json's enumDescriptions say the same). */
export const CONFIDENCE_CHOICES: readonly { readonly level: ConfidenceLevel; readonly label: string; readonly detail: string }[] = [
  { level: 'likely', label: 'Likely ones', detail: 'Hold back what the model finds unlikely: half the places, right twice as often.' },
  { level: 'sure', label: 'Only sure ones', detail: 'A third of the places; more than half of those exactly right.' },
  { level: 'any', label: 'Every suggestion', detail: 'Whatever the model writes, at every pause.' },
];

/** This session's suggestions taken, for the confidence chooser: how often what the current level shows is used. */
export function takenThisSession(t: { readonly offered: number; readonly taken: number }): string {
  return t.offered ? `; this session ${t.taken} of ${t.offered} suggestions taken (${Math.round((100 * t.taken) / t.offered)}%)` : '';
}
