// How Q&A retrieval's first pick should use the model's file ranking (issue 15): BM25 alone, the
// model fused by reciprocal rank (what shipped), or the model only where BM25 is unsure. The model's
// scores are what the worker computes (LocalAssistant.scoreFiles, each of BM25's best files scored
// alone and timed, no budget), written once per question set (--scores FILE, JSON lines); the
// policies are then compared on them through the real retrieve() and prompt, without the model.
// usage: node out/bench/qa-rerank.js --questions training/data/qa-questions.json --repos ~/.cache/samba-eval
//          [--scores FILE.jsonl] [--collect] [--model models/default] [--backend cpu] [--margins 0.1,0.2]
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadModel } from '../src/model/load';
import { loadTokenizer } from '../src/model/tokenizer';
import { createEngine, type Backend } from '../src/backend/create';
import { LocalAssistant } from '../src/assistant/local-assistant';
import { RepoWorkspace } from '../src/eval/completion';
import { loadQuestions, scoreQuestion, type QaScore } from '../src/eval/qa';
import type { QaQuestion } from '../src/eval/qa-questions';
import type { Passage } from '../src/qa/passages';
import { summarize } from '../src/eval/stats';
import { Bm25Index } from '../src/qa/bm25';
import { buildQaPrompt } from '../src/qa/prompt';
import { lexicalFiles, retrieve, type RetrieveOptions } from '../src/qa/retrieval';
import { WorkspaceFilter } from '../src/workspace/filter';

interface Scored {
  readonly question: string;
  readonly repo: string;
  readonly candidates: string[];
  /** path -> [mean log-prob of the question after the file's head, ms it took]. */
  readonly scores: Record<string, [number, number]>;
}

const { values } = parseArgs({
  options: {
    questions: { type: 'string', default: 'training/data/qa-questions.json' },
    repos: { type: 'string', default: path.join(process.env.HOME ?? '.', '.cache', 'samba-eval') },
    scores: { type: 'string' },
    collect: { type: 'boolean', default: false },
    model: { type: 'string', default: 'models/default' },
    backend: { type: 'string', default: 'cpu' },
    'budget-ms': { type: 'string', default: '5000' },
    margins: { type: 'string', default: '0.05,0.1,0.2,0.3,0.5,1' },
  },
});

const RERANK_FILES = 8; // src/qa/conversation.ts's default

/** A repository's files as the Q&A panel's worker holds them (the whole context, no file active). */
async function repoFiles(dir: string): Promise<Map<string, string>> {
  const filter = new WorkspaceFilter(dir);
  const files = new Map<string, string>();
  for (const f of (await filter.scan()).files) {
    const got = await filter.read(f.path);
    if (!('reason' in got)) files.set(f.path, got.text);
  }
  return files;
}

async function collect(questions: QaQuestion[], repos: string[], out: string): Promise<void> {
  const model = await loadModel(values.model!);
  const tokenizer = await loadTokenizer(values.model!, model.config.vocabSize);
  const engine = await createEngine(model, { backend: values.backend as Backend });
  const done = new Set(existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).question as string) : []);
  for (const dir of repos) {
    const name = path.basename(dir);
    const mine = questions.filter((q) => q.repo === name && !done.has(q.question));
    if (!mine.length) continue;
    const ws = await RepoWorkspace.open(dir, engine, tokenizer);
    const files = ws.searched('');
    ws.close();
    const index = new Bm25Index();
    index.sync(files);
    const assistant = new LocalAssistant({ engine, tokenizer, files });
    for (const q of mine) {
      const candidates = lexicalFiles(index, q.question, RERANK_FILES);
      const scores: Scored['scores'] = {};
      for (const p of candidates) {
        const t0 = performance.now();
        const s = await assistant.scoreFiles(q.question, [p], new AbortController().signal);
        scores[p] = [s.get(p)!, Math.round(performance.now() - t0)];
      }
      appendFileSync(out, JSON.stringify({ question: q.question, repo: name, candidates, scores } satisfies Scored) + '\n');
      console.error(`${name}: ${q.question} (${Object.values(scores).reduce((n, [, ms]) => n + ms, 0)} ms)`);
    }
  }
}

/** The policies compared: each the passages retrieved for a question, given its scored files. */
type Policy = (index: Bm25Index, question: string, s: Scored) => Passage[];
const withOptions = (f: (s: Scored) => RetrieveOptions): Policy => (index, question, s) => retrieve(index, question, { limit: 6, ...f(s) });

/**
 * What shipped before (main at 81a3bd9): BM25 fused with the model's ranking of all the files it
 * scored by reciprocal rank (k 60), a file only the model ranks bringing its first passage; kept
 * here to measure before and after in one run.
 */
function rrfBefore(index: Bm25Index, question: string, modelScores: ReadonlyMap<string, number>): Passage[] {
  const k = 60;
  const hits = retrieve(index, question, { limit: Infinity, maxPerFile: Infinity });
  const score = new Map<Passage, number>();
  hits.forEach((passage, rank) => score.set(passage, 1 / (k + rank + 1)));
  const ranked = [...modelScores].sort((a, b) => b[1] - a[1]).map(([p]) => p);
  const fileRank = new Map(ranked.map((p, r) => [p, r]));
  for (const passage of hits) {
    const r = fileRank.get(passage.path);
    if (r !== undefined) score.set(passage, score.get(passage)! + 1 / (k + r + 1));
  }
  for (const [r, p] of ranked.entries()) {
    const first = hits.some((h) => h.path === p) ? undefined : index.firstPassage(p);
    if (first) score.set(first, 1 / (k + r + 1));
  }
  const perFile = new Map<string, number>();
  const out: Passage[] = [];
  for (const [p] of [...score].sort((a, b) => b[1] - a[1])) {
    const n = perFile.get(p.path) ?? 0;
    if (n >= 3) continue;
    perFile.set(p.path, n + 1);
    out.push(p);
    if (out.length >= 6) break;
  }
  return out;
}
const all = (s: Scored) => new Map(Object.entries(s.scores).map(([p, [v]]) => [p, v]));
/** The files scored within the worker's budget (in BM25's order, as LocalAssistant.scoreFiles goes). */
const inBudget = (s: Scored, ms: number) => {
  let t = 0;
  const m = new Map<string, number>();
  for (const p of s.candidates) {
    t += s.scores[p][1];
    if (t > ms) break;
    m.set(p, s.scores[p][0]);
  }
  return m;
};

async function compare(questions: QaQuestion[], repos: string[], scored: Map<string, Scored>, policies: Record<string, Policy>): Promise<void> {
  const results: Record<string, QaScore[]> = Object.fromEntries(Object.keys(policies).map((k) => [k, []]));
  for (const dir of repos) {
    const name = path.basename(dir);
    const mine = questions.filter((q) => q.repo === name);
    if (!mine.length) continue;
    const files = await repoFiles(dir);
    const index = new Bm25Index();
    index.sync(files);
    for (const q of mine) {
      const s = scored.get(q.question);
      if (!s) throw new Error(`no model scores for "${q.question}": run with --collect first`);
      for (const [k, policy] of Object.entries(policies)) {
        const passages = policy(index, q.question, s);
        const { used } = buildQaPrompt(q.question, passages, []);
        results[k].push(scoreQuestion(q, used, undefined));
      }
    }
  }
  const pct = (xs: boolean[]) => {
    const r = summarize(xs.map(Number), 1);
    return `${(r.mean * 100).toFixed(1)}% [${(r.ci95[0] * 100).toFixed(0)}, ${(r.ci95[1] * 100).toFixed(0)}]`;
  };
  console.log(`${questions.length} questions of ${values.questions}:`);
  console.log(`  ${'policy'.padEnd(44)} ${'right file first'.padEnd(18)} ${'answer lines cited'.padEnd(18)} file cited`);
  for (const [k, r] of Object.entries(results)) console.log(`  ${k.padEnd(44)} ${pct(r.map((x) => x.fileFirst)).padEnd(18)} ${pct(r.map((x) => x.linesCited)).padEnd(18)} ${pct(r.map((x) => x.fileCited))}`);
}

async function main(): Promise<void> {
  const folders = JSON.parse(readFileSync('training/data/eval-repos.json', 'utf8')).repositories.map((r: { repo: string }) => path.join(values.repos!, r.repo.replace(/[^A-Za-z0-9._-]+/g, '_')));
  const questions = loadQuestions(values.questions!, folders);
  const out = values.scores ?? `/tmp/qa-rerank-${path.basename(values.questions!, '.json')}.jsonl`;
  if (values.collect) await collect(questions, folders, out);
  const scored = new Map<string, Scored>(readFileSync(out, 'utf8').trim().split('\n').map((l) => [JSON.parse(l).question, JSON.parse(l)]));
  const budget = Number(values['budget-ms']);
  const margins = values.margins!.split(',').filter(Boolean).map(Number);
  await compare(questions, folders, scored, {
    'before: BM25 + model by RRF, all 8 scored': (index, question, s) => rrfBefore(index, question, all(s)),
    [`before: BM25 + model by RRF, scored in ${budget} ms`]: (index, question, s) => rrfBefore(index, question, inBudget(s, budget)),
    'BM25 alone (the default, MODEL_MARGIN 0)': withOptions(() => ({})),
    ...Object.fromEntries(
      margins.flatMap((m) => [
        [`model re-ranks files within ${m} of BM25's best`, withOptions((s) => ({ modelScores: all(s), modelMargin: m }))],
        [`  ... within ${m}, scored in ${budget} ms`, withOptions((s) => ({ modelScores: inBudget(s, budget), modelMargin: m }))],
      ]),
    ),
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
