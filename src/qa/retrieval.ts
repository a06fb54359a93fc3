import { Bm25Index, type Hit } from './bm25';
import type { Passage, SplitOptions } from './passages';
import { isProse, isTestOrDeclaration, languageOf } from '../code/language';
import { scanLines } from '../code/shape';

export interface Retrieved extends Passage {
  /** Its BM25 score (prose weighed down for a "where"/"how" question); 0 for a file only the model ranked. */
  readonly score: number;
}

export interface RetrieveOptions {
  /** Passages returned. */
  readonly limit?: number;
  /** At most this many passages of one file (default 3: where code answers, its file often holds the caller, the definition and the class), so one long file does not crowd out the rest. */
  readonly maxPerFile?: number;
  /** The model's relevance per file (higher is better), from LocalAssistant.scoreFiles; BM25 alone without it. */
  readonly modelScores?: ReadonlyMap<string, number>;
  /**
   * The model re-ranks only the files whose best BM25 score is within this fraction of the best
   * file's (default MODEL_MARGIN; 1: every file it scored; 0: none, BM25 alone, unless BM25
   * matched nothing).
   */
  readonly modelMargin?: number;
  /** For a question the code answers (asksForCode), the BM25 score of documentation, tests and type declarations is multiplied by this. */
  readonly proseWeight?: number;
}

/** A question about the project's documents (its README, license, installation): prose answers it. */
const ASKS_FOR_DOCS = /\b(readme|documentation|docs|licen[cs]e[sd]?|install(ation|ing)?|changelog|tutorial)\b/i;
/** "What is ...", "What are ...", "What's ...": a definition, which a document may give as well as code. */
const ASKS_WHAT_IS = /^\s*what(\s+(is|are)\b|'s\b)/i;

/**
 * Whether the code that does something answers the question, so that documentation, tests and
 * declarations weigh less (preferCode): every question but one that asks what something is or asks
 * about the project's documents. The Q&A panel is asked about a workspace's code: stop 61 found a
 * sixth user-worded set's "If I convert ...", "Why does ..." and "Are ... allowed?" led by test
 * files, where only where/how/which/when questions preferred code (bench/RESULTS.md).
 */
export function asksForCode(question: string): boolean {
  return !ASKS_WHAT_IS.test(question) && !ASKS_FOR_DOCS.test(question);
}

const textInCode = new WeakMap<Passage, boolean>();

/**
 * A passage of code that is mostly text: at least half its lines inside multi-line strings (a
 * CLI's help, a message table), not counting Python docstrings. It describes what code does, as
 * documentation does (a user trial: semver's help text led "Where is a prerelease version incremented?").
 */
export function mostlyText(p: Passage): boolean {
  let known = textInCode.get(p);
  if (known !== undefined) return known;
  const language = languageOf(p.path);
  const lines = p.text.split('\n');
  const shape = scanLines(lines, language);
  let text = 0;
  let all = 0;
  let docstring = false;
  let prev = '';
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    all++;
    if (shape.inString[i] !== 2) {
      // A string opened on this line is a docstring when it opens the line right after a header (`def f():`).
      docstring = language === 'python' && /^\s*[rRbBuU]?("""|''')/.test(lines[i]) && (!prev || /:\s*(#.*)?$/.test(prev));
    } else if (!docstring) text++;
    prev = lines[i];
  }
  known = language !== 'other' && all > 0 && text * 2 >= all;
  textInCode.set(p, known);
  return known;
}

/**
 * What a passage where no code starts or runs (only types, constants, a file's imports) weighs in a
 * question that asks for code and no type: the code that does it answers. Chosen on the five tuning
 * question sets (0.4-0.6 alike: file first 91.7/92.1/57.1/57.1/58.9% -> 93.1/93.7/54.8/60.7/60.7,
 * lines cited +3 of 289); a Go trial's lead was a file's const block for "What happens to a recently
 * added entry when it is read a second time?". The held-out set: 33.9 -> 35.7% first, lines 21.4 -> 19.6.
 */
export const NO_CODE_WEIGHT = 0.6;

/** "Which class ...", "What struct ...": a question a type answers. */
const ASKS_FOR_TYPE = /\b(class(es)?|structs?|interfaces?|enums?|which type)\b/i;

/**
 * BM25's hits re-sorted for a question that asks for code (asksForCode): prose, tests, declaration files and text in code
 * weighed by `weight`, a passage without code by NO_CODE_WEIGHT (unless a type is asked for).
 */
function preferCode(hits: Hit[], question: string, weight: number): Hit[] {
  if (!asksForCode(question)) return hits;
  const describes = (p: Passage) => isProse(p.path) || isTestOrDeclaration(p.path) || mostlyText(p);
  const noCode = ASKS_FOR_TYPE.test(question) ? 1 : NO_CODE_WEIGHT;
  const runs = (p: Passage) => (p.symbols?.some((s) => s.kind === 'code') ?? false) || p.within !== undefined;
  const factor = (p: Passage) => (describes(p) ? weight : runs(p) ? 1 : noCode);
  return hits.map((h) => ({ ...h, score: h.score * factor(h.passage) })).sort((a, b) => b.score - a.score);
}

/** Every file split into passages and indexed (a fresh index; the worker keeps one up to date instead). */
export function indexFiles(files: ReadonlyMap<string, string>, split?: SplitOptions): Bm25Index {
  const index = new Bm25Index(split);
  index.sync(files);
  return index;
}

/**
 * How far below BM25's best file (a fraction of its score) the model may re-rank files: 0, BM25
 * alone. Chosen on the 72 questions of training/data/qa-questions.json (bench/qa-rerank.ts, default
 * model v2, the model scoring BM25's best 8 files from their first 1,024 tokens): the right file
 * first for 87.5% with BM25 alone and at margin 0.05, 83.3% at 0.1, 80.6% at 0.2, 69.4% at 0.5 and
 * 40.3% when the model orders all 8; 77.8% for the reciprocal-rank fusion that shipped before. A
 * question's time on the CPU drops by the scoring (up to its 5 s budget). The model still ranks a
 * small workspace where BM25 matches nothing; a better model can be measured again with the bench.
 */
export const MODEL_MARGIN = 0;

/** Each file's best BM25 score (prose weighed down as retrieve() does), best file first. */
function fileScores(index: Bm25Index, question: string, proseWeight = 0.5): [string, number][] {
  const best = new Map<string, number>();
  for (const { passage, score } of preferCode(index.search(question), question, proseWeight)) if (!best.has(passage.path)) best.set(passage.path, score);
  return [...best];
}

/** The files BM25 ranks highest (by their best passage), at most `count`. */
export function lexicalFiles(index: Bm25Index, question: string, count: number): string[] {
  return fileScores(index, question).slice(0, count).map(([p]) => p);
}

/**
 * The files the model's ranking may reorder (at most `count`): those within `margin` of BM25's best
 * (see MODEL_MARGIN). None when only one file contends: nothing for the model to decide.
 */
export function contendingFiles(index: Bm25Index, question: string, count: number, margin = MODEL_MARGIN): string[] {
  if (margin <= 0) return [];
  const files = fileScores(index, question);
  const top = files[0]?.[1] ?? 0;
  const near = files.filter(([, s]) => margin >= 1 || s >= top * (1 - margin)).slice(0, count);
  return near.length > 1 ? near.map(([p]) => p) : [];
}

/**
 * BM25 over passages, best first, at most `maxPerFile` of one file. With the model's file scores,
 * the files within `modelMargin` of BM25's best go first, in the model's order (each file's
 * passages in BM25's); the rest follow in BM25's order. Where BM25 matched nothing, the model's
 * ranking alone: each file it ranks brings its first passage.
 */
export function retrieve(index: Bm25Index, question: string, o: RetrieveOptions = {}): Retrieved[] {
  const hits = preferCode(index.search(question), question, o.proseWeight ?? 0.5);
  const margin = hits.length ? o.modelMargin ?? MODEL_MARGIN : 1;
  let ordered = hits;
  if (o.modelScores?.size && margin > 0) {
    const best = new Map<string, number>();
    for (const { passage, score } of hits) if (!best.has(passage.path)) best.set(passage.path, score);
    const top = hits[0]?.score ?? 0;
    const ranked = [...o.modelScores].filter(([p]) => margin >= 1 || (best.get(p) ?? 0) >= top * (1 - margin)).sort((a, b) => b[1] - a[1]);
    const rank = new Map(ranked.map(([p], r) => [p, r]));
    const only = ranked.filter(([p]) => !best.has(p)).map(([p]) => index.firstPassage(p)).filter((p): p is Passage => !!p).map((passage) => ({ passage, score: 0 }));
    const of = (h: Hit) => rank.get(h.passage.path) ?? Infinity;
    // Array.prototype.sort is stable: within a file, and after the model's files, BM25's order stays.
    ordered = [...hits, ...only].sort((a, b) => (of(a) === of(b) ? 0 : of(a) - of(b)));
  }
  const perFile = new Map<string, number>();
  const out: Retrieved[] = [];
  for (const { passage, score } of ordered) {
    const n = perFile.get(passage.path) ?? 0;
    if (n >= (o.maxPerFile ?? 3)) continue;
    perFile.set(passage.path, n + 1);
    out.push({ ...passage, score });
    if (out.length >= (o.limit ?? 6)) break;
  }
  return out;
}
