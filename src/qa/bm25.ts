import { splitPassages, type Passage, type SplitOptions } from './passages';
import { embed, nearness, shippedTermVectors, type TermVectors } from './ranker';
import { queryTerms, terms } from './terms';

/** BM25's term-frequency saturation and length normalization (Lucene's defaults; stop 47 tried others on the question sets, bench/RESULTS.md). */
const K1 = 1.2;
const B = 0.75;

/** Extra counts of each term of a name the passage defines (src/qa/passages.ts's symbols). */
const SYMBOL_WEIGHT = 6;
/**
 * Each of a question's terms that a name defined in the passage is made of adds this times its
 * idf, outside BM25's term-frequency curve: there SYMBOL_WEIGHT's extra counts saturate, so a
 * passage that only uses the question's words a few times outranked the one that defines what it
 * asks for. Chosen over 0.5 and 1.5 on the five question sets (bench/RESULTS.md, stop 25).
 */
const NAME_BOOST = 1;

/**
 * A passage's score is multiplied by (the share of the question's words it has) to this power:
 * BM25 sums what each word adds, so one rare word met by a short definition's name outscored a
 * passage that has most of the question (two user trials: "make a Range ..." led with
 * `makeSafeRegex`, "the next row I add" with tinydb's `add`). Lucene's coordination factor. At 0.5
 * on the five tuning sets: file first +5, lines cited +1, lead +5 of 289; the held-out set 35.7 ->
 * 33.9% first, 21.4 -> 23.2% lines, lead unchanged; both trials' leads right (bench/RESULTS.md, stop 48).
 */
const COORD_POWER = 0.5;

/**
 * How much the ranker's nearness of meaning (src/qa/ranker.ts, a cosine) counts, as a share of the
 * question's best BM25 score: a passage that shares no word with the question but means what it
 * asks can enter, one BM25 already found moves up. Chosen over 0.5 and 0.75 on the five tuning
 * question sets (file first +4, lines cited +9, lead +1 of 289); the held-out set: file first 33.9 ->
 * 35.7%, lines cited 23.2% unchanged, lead 8.9 -> 10.7% (bench/RESULTS.md, stop 49). Nothing counts
 * where BM25 matched nothing (the model's file ranking decides there: retrieval.ts).
 */
const MEANING_WEIGHT = 1;

/** Most milliseconds syncSliced works before it hands the event loop back. */
const SLICE_MS = 20;

/** One passage as BM25 counts it: its terms (the path counts as part of its text) and their total. */
interface Doc {
  readonly passage: Passage;
  readonly tf: ReadonlyMap<string, number>;
  readonly len: number;
  /** The terms of the names the passage defines (their parts and the whole name, not the runs). */
  readonly names: ReadonlySet<string>;
  /** Where the passage points in the ranker's space (src/qa/ranker.ts); undefined without vectors. */
  readonly vec?: Float32Array;
}

export interface Hit {
  readonly passage: Passage;
  readonly score: number;
}

/**
 * Okapi BM25 over the passages of a set of files, kept in step with their text file by file: a
 * file whose text changed is split and counted again, the others stay as they are. It lives in
 * the model worker next to the workspace's text (src/worker/session.ts), so a question neither
 * ships the workspace anywhere nor rebuilds the index.
 */
export class Bm25Index {
  private readonly files = new Map<string, { readonly text: string; readonly docs: readonly Doc[] }>();
  private readonly df = new Map<string, number>();
  private docCount = 0;
  private totalLen = 0;

  /** `vectors`: the Q&A ranker's (null: BM25 alone). */
  constructor(
    private readonly split: SplitOptions = {},
    private readonly vectors: TermVectors | null = shippedTermVectors(),
  ) {}

  /** Makes the index hold exactly `files` (path -> text); returns how many files were split and counted again. */
  sync(files: ReadonlyMap<string, string>): number {
    let changed = 0;
    for (const _ of this.syncSteps(files)) changed++;
    return changed;
  }

  /**
   * sync(), handing the event loop back after every SLICE_MS of work: a worker indexing a large
   * folder at its first question (16 M characters take 5.4 s on the 2-core machine) still serves
   * completions and file changes meanwhile. Stops where `signal` aborts (the next sync goes on).
   */
  async syncSliced(files: ReadonlyMap<string, string>, signal?: AbortSignal): Promise<number> {
    let changed = 0;
    let since = performance.now();
    for (const _ of this.syncSteps(files)) {
      changed++;
      if (performance.now() - since < SLICE_MS) continue;
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) break;
      since = performance.now();
    }
    return changed;
  }

  /** Deletes what `files` lacks, then indexes each changed file, one step per file. */
  private *syncSteps(files: ReadonlyMap<string, string>): Generator<string> {
    for (const path of [...this.files.keys()]) if (!files.has(path)) this.delete(path);
    for (const [path, text] of files) {
      if (this.files.get(path)?.text === text) continue;
      this.set(path, text);
      yield path;
    }
  }

  /** Adds or replaces one file (it keeps its place in the order). */
  set(path: string, text: string): void {
    this.count(this.files.get(path)?.docs ?? [], -1);
    const docs = splitPassages(path, text, this.split).map((passage): Doc => {
      const tf = new Map<string, number>();
      const text = `${passage.path}\n${passage.text}`;
      const words = terms(text, true);
      for (const t of words) tf.set(t, (tf.get(t) ?? 0) + 1);
      // A name defined here says what the passage is about more than a word used in it; a
      // method's class (`RateLimiter` of RateLimiter.tryAcquire) a little more too, its runs
      // included: "the TTL cache" names TTLCache, whose `expire` answers "Where are expired items
      // removed from the TTL cache?" (a cachetools trial led with the class's header instead).
      const owners = new Set<string>();
      const names = new Set<string>();
      for (const { name: symbol } of passage.symbols ?? []) {
        const dot = symbol.lastIndexOf('.');
        const name = symbol.slice(dot + 1);
        for (const t of terms(name, true)) {
          tf.set(t, (tf.get(t) ?? 0) + SYMBOL_WEIGHT);
          if (!t.startsWith('+')) names.add(t);
        }
        if (dot > 0) owners.add(symbol.slice(0, dot));
      }
      for (const owner of owners) for (const t of terms(owner, true)) tf.set(t, (tf.get(t) ?? 0) + 1);
      let len = 0;
      for (const n of tf.values()) len += n;
      // (The runs, "+..." terms, have no vector: embed passes them over.)
      const vec = this.vectors ? embed(this.vectors, words) : undefined;
      return { passage, tf, len, names, ...(vec ? { vec } : {}) };
    });
    this.count(docs, 1);
    this.files.set(path, { text, docs });
  }

  delete(path: string): void {
    const f = this.files.get(path);
    if (!f) return;
    this.count(f.docs, -1);
    this.files.delete(path);
  }

  /** The indexed files, in the order they were added. */
  get paths(): string[] {
    return [...this.files.keys()];
  }

  /** A file's first passage, for a file the model ranks but no term matches. */
  firstPassage(path: string): Passage | undefined {
    return this.files.get(path)?.docs[0]?.passage;
  }

  /**
   * Passages with a positive score, best first (ties: in file order, then line order): BM25, plus
   * the ranker's nearness of meaning scaled to the best BM25 score (MEANING_WEIGHT). None where BM25
   * matched nothing.
   */
  search(query: string): Hit[] {
    const N = this.docCount;
    const avgLen = this.totalLen / Math.max(1, N);
    const asked = queryTerms(query);
    const idf = new Map<string, number>();
    for (const t of new Set(asked)) {
      const n = this.df.get(t);
      if (n) idf.set(t, Math.log(1 + (N - n + 0.5) / (n + 0.5)));
    }
    if (!idf.size) return [];
    // The share counts the question's words, not its runs (which only say which words stand
    // together). A passage met by a run alone counts as meeting one word; a question of stop words
    // only ("is function", which meets isFunction by its run) has no share to count.
    const words = [...idf.keys()].filter((t) => !t.startsWith('+')).length;
    const meaning = this.vectors ? embed(this.vectors, asked) : undefined;
    const scored: { passage: Passage; bm25: number; near: number }[] = [];
    let top = 0;
    for (const { docs } of this.files.values()) {
      for (const d of docs) {
        let s = 0;
        let matched = 0;
        for (const [t, w] of idf) {
          const f = d.tf.get(t);
          if (!f) continue;
          s += (w * f * (K1 + 1)) / (f + K1 * (1 - B + (B * d.len) / avgLen));
          if (t[0] !== '+') matched++;
        }
        for (const [t, w] of idf) if (d.names.has(t)) s += NAME_BOOST * w;
        if (words) s *= (Math.max(1, matched) / words) ** COORD_POWER;
        scored.push({ passage: d.passage, bm25: s, near: Math.max(0, nearness(meaning, d.vec)) });
        top = Math.max(top, s);
      }
    }
    if (!top) return [];
    return scored
      .map(({ passage, bm25, near }) => ({ passage, score: bm25 + MEANING_WEIGHT * top * near }))
      .filter((h) => h.score > 0)
      .sort((a, b) => b.score - a.score);
  }

  /** Adds (+1) or removes (-1) passages from the document frequencies and lengths. */
  private count(docs: readonly Doc[], sign: 1 | -1): void {
    for (const d of docs) {
      for (const t of d.tf.keys()) {
        const n = (this.df.get(t) ?? 0) + sign;
        if (n > 0) this.df.set(t, n);
        else this.df.delete(t);
      }
      this.docCount += sign;
      this.totalLen += sign * d.len;
    }
  }
}
