import { Bm25Index, type Hit } from './bm25';
import type { Passage, SplitOptions } from './passages';

export interface Retrieved extends Passage {
  /** Fused score (reciprocal rank fusion), higher first. */
  readonly score: number;
}

export interface RetrieveOptions {
  /** Passages returned. */
  readonly limit?: number;
  /** At most this many passages of one file (default 3: where code answers, its file often holds the caller, the definition and the class), so one long file does not crowd out the rest. */
  readonly maxPerFile?: number;
  /** The model's relevance per file (higher is better), from LocalAssistant.scoreFiles; BM25 alone without it. */
  readonly modelScores?: ReadonlyMap<string, number>;
  /** RRF's constant: larger flattens the difference between ranks. */
  readonly k?: number;
  /** For a question of where or how something is done, documentation's BM25 score is multiplied by this (code answers it). */
  readonly proseWeight?: number;
}

/** Documentation and prose, by extension or folder: it tells what code does; the code shows where and how. */
export function isProse(path: string): boolean {
  return /\.(md|markdown|mdx|rst|txt|adoc|asciidoc|org|html?)$/i.test(path) || /(^|\/)(docs?|documentation|site)\//i.test(path) || !/\.[^/]+$/.test(path);
}

/** "Where is ...", "How does ...", "Which function ...": asked about the code that does something. */
export function asksForCode(question: string): boolean {
  return /^\s*(where|how|which|what\s+(function|method|class|code))\b/i.test(question);
}

/** BM25's hits with prose weighed down when the question asks where or how (re-sorted). */
function preferCode(hits: Hit[], question: string, weight: number): Hit[] {
  if (weight === 1 || !asksForCode(question)) return hits;
  return hits.map((h) => (isProse(h.passage.path) ? { ...h, score: h.score * weight } : h)).sort((a, b) => b.score - a.score);
}

/** Every file split into passages and indexed (a fresh index; the worker keeps one up to date instead). */
export function indexFiles(files: ReadonlyMap<string, string>, split?: SplitOptions): Bm25Index {
  const index = new Bm25Index(split);
  index.sync(files);
  return index;
}

/** The files BM25 ranks highest (by their best passage), for the model to re-rank. */
export function lexicalFiles(index: Bm25Index, question: string, count: number): string[] {
  const files: string[] = [];
  for (const { passage } of index.search(question)) {
    if (!files.includes(passage.path)) files.push(passage.path);
    if (files.length >= count) break;
  }
  return files;
}

/**
 * BM25 over passages fused with the model's file ranking by reciprocal rank fusion: a passage
 * scores 1/(k + its BM25 rank) plus 1/(k + its file's model rank). A file only the model ranks
 * brings its first passage.
 */
export function retrieve(index: Bm25Index, question: string, o: RetrieveOptions = {}): Retrieved[] {
  const k = o.k ?? 60;
  const hits = preferCode(index.search(question), question, o.proseWeight ?? 0.5);
  const score = new Map<Passage, number>();
  hits.forEach(({ passage }, rank) => score.set(passage, 1 / (k + rank + 1)));
  if (o.modelScores?.size) {
    const ranked = [...o.modelScores].sort((a, b) => b[1] - a[1]).map(([p]) => p);
    const fileRank = new Map(ranked.map((p, r) => [p, r]));
    const matched = new Set<string>();
    for (const { passage } of hits) {
      matched.add(passage.path);
      const r = fileRank.get(passage.path);
      if (r !== undefined) score.set(passage, score.get(passage)! + 1 / (k + r + 1));
    }
    for (const [r, path] of ranked.entries()) {
      if (matched.has(path)) continue;
      const first = index.firstPassage(path);
      if (first) score.set(first, 1 / (k + r + 1));
    }
  }
  const perFile = new Map<string, number>();
  const out: Retrieved[] = [];
  for (const [p, s] of [...score].sort((a, b) => b[1] - a[1])) {
    const n = perFile.get(p.path) ?? 0;
    if (n >= (o.maxPerFile ?? 3)) continue;
    perFile.set(p.path, n + 1);
    out.push({ ...p, score: s });
    if (out.length >= (o.limit ?? 6)) break;
  }
  return out;
}
