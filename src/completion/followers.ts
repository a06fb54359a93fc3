// Lines the repository writes between the lines around the cursor: where the line above stands
// elsewhere (in other files, or elsewhere in this one), what came next there; and where the line
// below stands, what came before it. They join the candidate lines that rerank.ts scores with the
// model, so the workspace can offer a line the model would not have written first; the model's two
// log-probabilities decide, except for the one line the repository writes between copies of both.
import { MAX_PLACES, substantive } from './context-block/continuations';

/** Occurrences of the line above looked at, at most (a "}" stands everywhere). */
const MAX_OCCURRENCES = 4000;
/** Longer lines are not offered: a suggestion is one line of code, not a minified file's. */
const MAX_LINE_CHARS = 160;
/**
 * Places of the line below looked at, at most, for the lines between both neighbours: there the line
 * above anchors too, so a line below that stands in many places (`} else {`, a license banner's
 * line) still finds the one copy (stop 56's H100 records, both settings, 2,800 continuing lines and
 * 2,800 of Rust/Java/C/C++: such lines at 17-256 places were the file's 62 times of 75, and where
 * one was not, the model's own choice was not right either).
 */
const MAX_BETWEEN_PLACES = 256;
/** Characters of the texts searched per request, at most: about 15 ms on the 2-core machine (a 44 MB workspace took up to 41 ms whole). */
const MAX_SCAN_CHARS = 16_000_000;

/**
 * Every line that follows `above` (the line above the cursor's that holds something) in `texts`
 * (trimmed, not `above` again, not too long), with how often, first seen first. `texts` are looked
 * in nearest first and apart (the document before the cursor's line and after it, so the cursor's
 * own place is not one; then other files), until MAX_SCAN_CHARS. Apart from pickFollowers so that
 * typing on one line (the same `above`, the same texts) searches once.
 */
export function followerCounts(above: string, texts: Iterable<string>): Map<string, number> {
  above = above.trim();
  const counts = new Map<string, number>();
  if (!above) return counts;
  let seen = 0;
  let scanned = 0;
  for (const text of texts) {
    if (scanned > MAX_SCAN_CHARS) break;
    scanned += text.length;
    for (let at = text.indexOf(above); at >= 0 && seen < MAX_OCCURRENCES; at = text.indexOf(above, at + above.length)) {
      const place = wholeLine(text, at, above.length);
      if (!place) continue;
      seen++;
      const next = nextLine(text, place.end);
      if (next === undefined || next === above || next.length > MAX_LINE_CHARS) continue;
      counts.set(next, (counts.get(next) ?? 0) + 1);
    }
    if (seen >= MAX_OCCURRENCES) break;
  }
  return counts;
}

/** What precederCounts finds: the lines before the line below, and of those the ones between both neighbours. */
export interface Preceders {
  /** Each line right before a copy of `below`, with how often (a place that has `above` before it too counts twice). */
  readonly counts: Map<string, number>;
  /** Each line that stands between a copy of `above` and a copy of `below` (the cursor's whole neighbourhood), with how often. */
  readonly between: Map<string, number>;
}

/**
 * Every line that comes right before `below` (the first line after the cursor's that holds
 * something) in `texts`, as followerCounts counts followers; a place that also has `above` right
 * before that line counts twice (the cursor's whole neighbourhood matches), and is also counted in
 * `between`. `counts` is empty where `below` is too short or stands in more than MAX_PLACES places,
 * `between` where it is too short or stands in more than MAX_BETWEEN_PLACES.
 */
export function precederCounts(above: string, below: string, texts: Iterable<string>): Preceders {
  above = above.trim();
  below = below.trim();
  const none = (): Preceders => ({ counts: new Map(), between: new Map() });
  const found = none();
  // What comes before an idiom (`}`, `return nil`, `if err != nil {`) is anything: the line below is
  // looked for only where it would anchor a continuation (continuations.ts).
  if (!substantive(below)) return found;
  let places = 0;
  let scanned = 0;
  for (const text of texts) {
    if (scanned > MAX_SCAN_CHARS) break;
    scanned += text.length;
    for (let at = text.indexOf(below); at >= 0; at = text.indexOf(below, at + below.length)) {
      const place = wholeLine(text, at, below.length);
      if (!place) continue;
      if (++places > MAX_BETWEEN_PLACES) return none();
      const before = previousLine(text, place.start);
      if (!before || before.line === below || before.line.length > MAX_LINE_CHARS) continue;
      const between = above !== '' && previousLine(text, before.start)?.line === above;
      found.counts.set(before.line, (found.counts.get(before.line) ?? 0) + (between ? 2 : 1));
      if (between) found.between.set(before.line, (found.between.get(before.line) ?? 0) + 1);
    }
  }
  if (places > MAX_PLACES) found.counts.clear();
  return found;
}

/** Of followerCounts, those that start with `typed` and add to it, most frequent first (ties: first seen first), at most `limit`. */
export function pickFollowers(counts: ReadonlyMap<string, number>, typed: string, limit: number): string[] {
  // Map keeps insertion order and sort is stable: ties stay first seen first.
  return [...counts].filter(([line]) => line.length > typed.length && line.startsWith(typed)).sort((a, b) => b[1] - a[1]).slice(0, Math.max(0, limit)).map(([line]) => line);
}

/** The line of `text` that the `length` characters at `at` are, trimmed (only whitespace between them and its start and end): where it starts and ends. */
function wholeLine(text: string, at: number, length: number): { start: number; end: number } | undefined {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  let end = text.indexOf('\n', at);
  if (end < 0) end = text.length;
  return text.slice(start, at).trim() === '' && text.slice(at + length, end).trim() === '' ? { start, end } : undefined;
}

/** The next line after `end` (a newline's index) that holds something, trimmed. */
function nextLine(text: string, end: number): string | undefined {
  for (let s = end + 1; s < text.length; ) {
    let e = text.indexOf('\n', s);
    if (e < 0) e = text.length;
    const line = text.slice(s, e).trim();
    if (line) return line;
    s = e + 1;
  }
  return undefined;
}

/** The line before `start` (a line's first index) that holds something, trimmed, and where it starts. */
function previousLine(text: string, start: number): { line: string; start: number } | undefined {
  for (let e = start - 1; e > 0; ) {
    const s = text.lastIndexOf('\n', e - 1) + 1;
    const line = text.slice(s, e).trim();
    if (line) return { line, start: s };
    e = s - 1;
  }
  return undefined;
}
