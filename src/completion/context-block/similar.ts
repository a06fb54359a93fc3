// Windows of other files most like the code before the cursor (Copilot's neighbouring-snippet
// method): every file cut into WINDOW-line windows every STEP lines, each window a set of identifier
// tokens, ranked by Jaccard similarity against the tokens of the lines before the cursor. An
// inverted index (token -> windows) keeps a query to the windows that share a token with it.

export const WINDOW = 60;
export const STEP = 30;

/** Words of every language that say nothing about what code does, left out of the token sets. */
const KEYWORDS = new Set(
  ('if else for while do return function const let var new this class extends import from export default ' +
    'async await try catch finally throw true false null undefined typeof instanceof in of void switch case ' +
    'break continue interface type enum public private protected static readonly implements as is def self ' +
    'None True False and or not elif pass with lambda yield raise except global nonlocal func package go defer ' +
    'chan map struct range nil select fallthrough goto string number boolean any int float bool err error').split(' '),
);

/** The identifier tokens of one line. */
export function lineTokens(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/[A-Za-z_$][\w$]*/g)) if (m[0].length > 1 && !KEYWORDS.has(m[0])) out.push(m[0]);
  return out;
}

interface Window {
  readonly path: string;
  /** 0-based inclusive lines. */
  readonly start: number;
  readonly end: number;
  readonly size: number;
  alive: boolean;
}

export interface SimilarHit {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly score: number;
}

export class SimilarityIndex {
  private readonly vocab = new Map<string, number>();
  private postings: number[][] = [];
  private windows: Window[] = [];
  private readonly byPath = new Map<string, number[]>();
  private dead = 0;
  private counts = new Uint16Array(0);

  add(path: string, lines: readonly string[]): void {
    this.remove(path);
    const ids: number[] = [];
    const lineIds = lines.map((l) => lineTokens(l).map((t) => this.id(t)));
    const starts: number[] = [];
    for (let s = 0; s === 0 || s + WINDOW - STEP < lines.length; s += STEP) starts.push(s);
    for (const s of starts) {
      const e = Math.min(lines.length, s + WINDOW) - 1;
      const set = new Set<number>();
      for (let i = s; i <= e; i++) for (const t of lineIds[i]) set.add(t);
      if (!set.size) continue;
      const w = this.windows.length;
      this.windows.push({ path, start: s, end: e, size: set.size, alive: true });
      for (const t of set) this.postings[t].push(w);
      ids.push(w);
    }
    this.byPath.set(path, ids);
  }

  remove(path: string): void {
    const ids = this.byPath.get(path);
    if (!ids) return;
    for (const w of ids) this.windows[w].alive = false;
    this.dead += ids.length;
    this.byPath.delete(path);
    if (this.dead > 1000 && this.dead > this.windows.length / 2) this.compact();
  }

  /** The best windows with Jaccard similarity >= `threshold`, best first, at most `perFile` (not overlapping) per file. */
  query(tokens: ReadonlySet<string>, o: { exclude: string; limit: number; threshold: number; perFile: number }): SimilarHit[] {
    if (this.counts.length < this.windows.length) this.counts = new Uint16Array(this.windows.length * 2);
    const counts = this.counts;
    const touched: number[] = [];
    for (const t of tokens) {
      const id = this.vocab.get(t);
      if (id === undefined) continue;
      for (const w of this.postings[id]) {
        if (counts[w]++ === 0) touched.push(w);
      }
    }
    const scored: SimilarHit[] = [];
    for (const w of touched) {
      const inter = counts[w];
      counts[w] = 0;
      const win = this.windows[w];
      if (!win.alive || win.path === o.exclude) continue;
      const score = inter / (tokens.size + win.size - inter);
      if (score >= o.threshold) scored.push({ path: win.path, start: win.start, end: win.end, score });
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

  private id(token: string): number {
    let id = this.vocab.get(token);
    if (id === undefined) {
      id = this.postings.length;
      this.vocab.set(token, id);
      this.postings.push([]);
    }
    return id;
  }

  /** Drops removed windows from the postings (renumbering the rest). */
  private compact(): void {
    const renum = new Int32Array(this.windows.length).fill(-1);
    const kept: Window[] = [];
    this.windows.forEach((w, i) => {
      if (w.alive) renum[i] = kept.push(w) - 1;
    });
    this.postings = this.postings.map((p) => p.map((w) => renum[w]).filter((w) => w >= 0));
    for (const [path, ids] of this.byPath) this.byPath.set(path, ids.map((w) => renum[w]));
    this.windows = kept;
    this.dead = 0;
  }
}
