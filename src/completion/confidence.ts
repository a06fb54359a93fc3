// Whether a suggestion is worth showing by how sure the model is of it. A small model writes a
// plausible line at every place and most are wrong; its own probability of the line it shows tells
// the likely ones apart well (measured on the evaluation's held-out lines, bench/RESULTS.md): a
// suggestion that appears rarely but is right earns trust, one wrong at every pause is noise.

/** The `samba.completions.confidence` setting: which suggestions typing brings up. */
export type ConfidenceLevel = 'any' | 'likely' | 'sure';

/**
 * The least log-probability (nats) of a suggestion's first line shown at each level (complete.ts's
 * lineLogProb). Chosen on the stop-32 evaluation (H200, shipped model, setting c, 4 candidates,
 * 1,400 held-out lines): showing every suggestion, 22.1% are exact; at -4, 56% are shown and 36%
 * of those exact (edit similarity 0.61 against 0.49); at -2, 30% are shown and 55% exact.
 */
export const MIN_LINE_LOG_PROB: Record<ConfidenceLevel, number> = { any: -Infinity, likely: -4, sure: -2 };

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

/** The levels as the status menu offers them (package.json's enumDescriptions say the same). */
export const CONFIDENCE_CHOICES: readonly { readonly level: ConfidenceLevel; readonly label: string; readonly detail: string }[] = [
  { level: 'likely', label: 'Likely ones', detail: 'Hold back what the model finds unlikely: half the places, right twice as often.' },
  { level: 'sure', label: 'Only sure ones', detail: 'A third of the places; more than half of those exactly right.' },
  { level: 'any', label: 'Every suggestion', detail: 'Whatever the model writes, at every pause.' },
];
