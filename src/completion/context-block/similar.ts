// Windows of other files most like the code before the cursor (Copilot's neighbouring-snippet
// method): every file cut into WINDOW-line windows every STEP lines, each window the set of its
// identifier tokens, ranked by Jaccard similarity against the tokens of the lines before the cursor.
// Tokens are hashed to ids (a collision now and then moves a score a little; no vocabulary to grow),
// and an inverted index (token -> windows) limits a query to the windows that share a token with it.
// Files added since the index was last built are scanned directly until there are enough of them
// to rebuild it, so an edit costs only its own file.

export const WINDOW = 30;
export const STEP = 15;
const BITS = 20;
const MASK = (1 << BITS) - 1;
/** Windows added since the last rebuild that a query scans directly before it rebuilds instead. */
const DELTA_LIMIT = 2000;

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> BITS)) & MASK;
}

/** Words of every language that say nothing about what code does, left out of the token sets. */
const KEYWORD = new Uint8Array(1 << BITS);
for (const k of ('if else for while do return function const let var new this class extends import from export default ' +
  'async await try catch finally throw true false null undefined typeof instanceof in of void switch case ' +
  'break continue interface type enum public private protected static readonly implements as is def self ' +
  'None True False and or not elif pass with lambda yield raise except global nonlocal func package go defer ' +
  'chan map struct range nil select fallthrough goto string number boolean any int float bool err error').split(' '))
  KEYWORD[hash(k)] = 1;

const isStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
const isPart = (c: number) => isStart(c) || (c >= 48 && c <= 57);

/** The identifier tokens of `text` (longer than one character, no keywords) as ids, with their 0-based line. */
export function tokenize(text: string): { ids: Int32Array; lines: Int32Array; lineCount: number } {
  let ids = new Int32Array(256);
  let lines = new Int32Array(256);
  let n = 0;
  let line = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (!isStart(c)) {
      i++;
      continue;
    }
    // Digits glued to the front of a word (0x1f) are not an identifier's start.
    if (i > 0 && isPart(text.charCodeAt(i - 1))) {
      while (i < text.length && isPart(text.charCodeAt(i))) i++;
      continue;
    }
    let h = 0x811c9dc5;
    const s = i;
    for (; i < text.length && isPart(text.charCodeAt(i)); i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const id = (h ^ (h >>> BITS)) & MASK;
    if (i - s < 2 || KEYWORD[id]) continue;
    if (n === ids.length) {
      ids = grow(ids);
      lines = grow(lines);
    }
    ids[n] = id;
    lines[n++] = line;
  }
  const lineCount = text.length && text.endsWith('\n') ? line : line + 1;
  return { ids: ids.subarray(0, n), lines: lines.subarray(0, n), lineCount };
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** The distinct token ids of `text`. */
export function tokenSet(text: string): Int32Array {
  return Int32Array.from(new Set(tokenize(text).ids));
}

interface Window {
  readonly path: string;
  /** 0-based inclusive lines. */
  readonly start: number;
  readonly end: number;
  /** Distinct token ids. */
  readonly tokens: Int32Array;
  alive: boolean;
}

export interface SimilarHit {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly score: number;
}

export class SimilarityIndex {
  private windows: Window[] = [];
  private readonly byPath = new Map<string, Window[]>();
  /** Inverted index of windows[0..built): the windows of token t are entries[offsets[t]..offsets[t+1]). */
  private offsets = new Int32Array(0);
  private entries = new Int32Array(0);
  private built = 0;
  private dead = 0;
  private counts = new Uint16Array(0);
  private readonly stamp = new Uint32Array(1 << BITS);
  private stampNow = 0;

  add(path: string, text: string): void {
    this.remove(path);
    const { ids, lines, lineCount } = tokenize(text);
    const mine: Window[] = [];
    let lo = 0;
    for (let s = 0; s === 0 || s + WINDOW - STEP < lineCount; s += STEP) {
      const e = Math.min(lineCount, s + WINDOW) - 1;
      while (lo < ids.length && lines[lo] < s) lo++;
      const now = this.nextStamp();
      const set: number[] = [];
      for (let k = lo; k < ids.length && lines[k] <= e; k++) {
        if (this.stamp[ids[k]] === now) continue;
        this.stamp[ids[k]] = now;
        set.push(ids[k]);
      }
      if (!set.length) continue;
      const w: Window = { path, start: s, end: e, tokens: Int32Array.from(set), alive: true };
      this.windows.push(w);
      mine.push(w);
    }
    this.byPath.set(path, mine);
  }

  remove(path: string): void {
    const mine = this.byPath.get(path);
    if (!mine) return;
    for (const w of mine) w.alive = false;
    this.dead += mine.length;
    this.byPath.delete(path);
  }

  /** The best windows with Jaccard similarity >= `threshold`, best first, at most `perFile` (not overlapping) per file. */
  query(query: Int32Array, o: { exclude: string; limit: number; threshold: number; perFile: number }): SimilarHit[] {
    if (!query.length) return [];
    if (this.windows.length - this.built > DELTA_LIMIT || this.dead > Math.max(DELTA_LIMIT, this.windows.length / 2)) this.rebuild();
    if (this.counts.length < this.built) this.counts = new Uint16Array(this.built);
    const counts = this.counts;
    const touched: number[] = [];
    for (const t of this.built ? query : []) {
      for (let k = this.offsets[t], end = this.offsets[t + 1]; k < end; k++) {
        const w = this.entries[k];
        if (counts[w]++ === 0) touched.push(w);
      }
    }
    const scored: SimilarHit[] = [];
    const consider = (win: Window, inter: number) => {
      if (!win.alive || win.path === o.exclude || !inter) return;
      const score = inter / (query.length + win.tokens.length - inter);
      if (score >= o.threshold) scored.push({ path: win.path, start: win.start, end: win.end, score });
    };
    for (const w of touched) {
      consider(this.windows[w], counts[w]);
      counts[w] = 0;
    }
    // Windows added since the index was built: count directly.
    const now = this.nextStamp();
    for (const t of query) this.stamp[t] = now;
    for (let w = this.built; w < this.windows.length; w++) {
      const win = this.windows[w];
      if (!win.alive) continue;
      let inter = 0;
      for (const t of win.tokens) if (this.stamp[t] === now) inter++;
      consider(win, inter);
    }
    scored.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.start - b.start));
    const out: SimilarHit[] = [];
    for (const h of scored) {
      const same = out.filter((x) => x.path === h.path);
      if (same.length >= o.perFile || same.some((x) => x.start <= h.end && h.start <= x.end)) continue;
      out.push(h);
      if (out.length >= o.limit) break;
    }
    return out;
  }

  private nextStamp(): number {
    if (++this.stampNow === 0xffffffff) {
      this.stamp.fill(0);
      this.stampNow = 1;
    }
    return this.stampNow;
  }

  /** Drops removed windows and indexes all the others (counting sort by token). */
  private rebuild(): void {
    this.windows = this.windows.filter((w) => w.alive);
    this.dead = 0;
    const offsets = new Int32Array((1 << BITS) + 1);
    for (const w of this.windows) for (const t of w.tokens) offsets[t + 1]++;
    for (let t = 0; t < 1 << BITS; t++) offsets[t + 1] += offsets[t];
    const fill = offsets.slice(0, 1 << BITS);
    const entries = new Int32Array(offsets[1 << BITS]);
    this.windows.forEach((w, i) => {
      for (const t of w.tokens) entries[fill[t]++] = i;
    });
    this.offsets = offsets;
    this.entries = entries;
    this.built = this.windows.length;
  }
}

/**
 * The windows of one text (WINDOW lines every STEP) with Jaccard similarity >= `threshold` to
 * `query`, best first, at most `limit`, none overlapping another or lines `skip` holds.
 */
export function similarIn(text: string, query: Int32Array, o: { limit: number; threshold: number; skip: (start: number, end: number) => boolean }): Omit<SimilarHit, 'path'>[] {
  if (!query.length) return [];
  const q = new Set(query);
  const { ids, lines, lineCount } = tokenize(text);
  const scored: Omit<SimilarHit, 'path'>[] = [];
  let lo = 0;
  for (let s = 0; s === 0 || s + WINDOW - STEP < lineCount; s += STEP) {
    const e = Math.min(lineCount, s + WINDOW) - 1;
    while (lo < ids.length && lines[lo] < s) lo++;
    if (o.skip(s, e)) continue;
    const set = new Set<number>();
    for (let k = lo; k < ids.length && lines[k] <= e; k++) set.add(ids[k]);
    let inter = 0;
    for (const t of set) if (q.has(t)) inter++;
    const score = inter / (q.size + set.size - inter);
    if (inter && score >= o.threshold) scored.push({ start: s, end: e, score });
  }
  scored.sort((a, b) => b.score - a.score || a.start - b.start);
  const out: Omit<SimilarHit, 'path'>[] = [];
  for (const h of scored) {
    if (out.some((x) => x.start <= h.end && h.start <= x.end)) continue;
    out.push(h);
    if (out.length >= o.limit) break;
  }
  return out;
}
