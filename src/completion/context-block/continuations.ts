// Places in other files where the line just above the cursor also stands, and what follows it there.
// A sibling test, a second handler written like the first, a table of constants: the next line is
// often the line after the same line elsewhere (bench/block-oracle.ts counts how often). Each file
// keeps one hash per line of its whitespace-squeezed text; a query scans them all (a typed array,
// well under a millisecond for 400K lines) and checks a hit against the text itself.

/** A line shorter than this (squeezed) says too little to anchor on: `}`, `return`, `end`. */
const MIN_CHARS = 8;
/** A line standing in more places than this (`if err != nil {`) is not a place, it is an idiom. */
export const MAX_PLACES = 16;

export interface Continuation {
  readonly path: string;
  /** 0-based line of the anchor's copy in `path`. */
  readonly line: number;
  /** How many lines up to and including the anchor match, from the anchor upward (1 to 4). */
  readonly matched: number;
}

const squeeze = (line: string) => line.replace(/\s+/g, ' ').trim();
const isSpace = (c: number) => c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
const isWordish = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;

/** Per line of `text`: the hash of its squeezed text, or 0 for a line too short or without a letter. */
export function lineKeys(text: string): Int32Array {
  let keys = new Int32Array(Math.max(16, text.length >> 5));
  let n = 0;
  for (let i = 0; i <= text.length; ) {
    let h = 0x811c9dc5;
    let len = 0;
    let letter = false;
    let space = false;
    for (; i < text.length && text.charCodeAt(i) !== 10; i++) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        space = len > 0;
        continue;
      }
      if (space) {
        h = Math.imul(h ^ 32, 0x01000193);
        len++;
        space = false;
      }
      h = Math.imul(h ^ c, 0x01000193);
      len++;
      letter ||= isWordish(c);
    }
    if (n === keys.length) {
      const more = new Int32Array(keys.length * 2);
      more.set(keys);
      keys = more;
    }
    keys[n++] = len >= MIN_CHARS && letter ? h | 1 : 0;
    i++;
    // A final newline ends the last line; it does not start another.
    if (i === text.length) break;
  }
  return keys.subarray(0, n);
}

/** Whether a line says enough to look for elsewhere (MIN_CHARS squeezed, a letter): not `}`, `return`, `end`. */
export function substantive(line: string): boolean {
  return lineKeys(line)[0] !== 0;
}

export class LineIndex {
  private readonly keys = new Map<string, Int32Array>();

  add(path: string, text: string): void {
    this.keys.set(path, lineKeys(text));
  }

  remove(path: string): void {
    this.keys.delete(path);
  }

  /**
   * The copies, in other files, of the nearest substantive line above `cursor` in `lines` (blank
   * or short lines between them allowed), best first: more matching lines above the anchor, then
   * path order; one per file. None when that line stands in more than MAX_PLACES places.
   */
  find(path: string, lines: readonly string[], cursor: number, limit: number, linesOf: (path: string) => readonly string[]): Continuation[] {
    let anchor = Math.min(cursor, lines.length);
    let k = 0;
    while (!k && --anchor >= 0) k = lineKeys(lines[anchor])[0];
    if (!k) return [];
    const places: { path: string; line: number }[] = [];
    for (const [p, keys] of this.keys) {
      if (p === path) continue;
      for (let i = keys.indexOf(k); i >= 0; i = keys.indexOf(k, i + 1)) if (places.push({ path: p, line: i }) > MAX_PLACES) return [];
    }
    const want = squeeze(lines[anchor]);
    const hits: Continuation[] = [];
    for (const { path: p, line: i } of places) {
      const theirs = linesOf(p);
      if (squeeze(theirs[i] ?? '') !== want) continue;
      let matched = 1;
      while (matched < 4 && anchor - matched >= 0 && i - matched >= 0 && squeeze(lines[anchor - matched]) === squeeze(theirs[i - matched])) matched++;
      hits.push({ path: p, line: i, matched });
    }
    hits.sort((a, b) => b.matched - a.matched || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
    // One place per file: a second copy in the same file says the same.
    const out: Continuation[] = [];
    for (const h of hits) if (!out.some((o) => o.path === h.path) && out.push(h) >= limit) break;
    return out;
  }
}
