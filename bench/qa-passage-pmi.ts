// Does the model know which of BM25's passages a question is about? For each question, BM25's best
// passages (retrieve(), as the panel cites them) are scored by how much the question, written as a
// comment above the passage, raises the model's log-probability of the passage's own tokens:
//   gain(p) = log p(p | file head, "// question") - log p(p | file head)
// (the passage's tokens identical in both). The first source is then chosen by gain, or by BM25
// and gain fused, and file first / lines cited are compared with BM25 alone on the same questions.
// usage: node out/bench/qa-passage-pmi.js --questions training/data/qa-questions-user2.json
//          --repos .device-data/eval-repos [--k 8] [--model models/default] [--out FILE.jsonl]
import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadModel } from '../src/model/load';
import { loadTokenizer } from '../src/model/tokenizer';
import { createEngine, type Backend } from '../src/backend/create';
import { loadQuestions, scoreQuestion } from '../src/eval/qa';
import { Bm25Index } from '../src/qa/bm25';
import { languageOf } from '../src/code/language';
import { retrieve } from '../src/qa/retrieval';
import { RepoWorkspace } from '../src/eval/completion';
import { fileHeadPieces } from '../src/prompt/file';
import { piecesToIds } from '../src/prompt/pieces';
import { encodeText } from '../src/prompt/tokens';
import { logProb } from '../src/engine/sampling';
import type { Engine } from '../src/engine/engine';

const { values } = parseArgs({
  options: {
    questions: { type: 'string', default: 'training/data/qa-questions-user2.json' },
    repos: { type: 'string', default: '.device-data/eval-repos' },
    model: { type: 'string', default: 'models/default' },
    backend: { type: 'string', default: 'cpu' },
    k: { type: 'string', default: '8' },
    out: { type: 'string' },
  },
});

/** log p(tokens | prefix), summed over the tokens (the first from the prefix's last logits, if any). */
async function logLik(engine: Engine, prefix: number[], tokens: Uint32Array): Promise<number> {
  const state = engine.newState({});
  try {
    const last = prefix.length ? await engine.prefill(prefix, state) : undefined;
    let sum = last ? logProb(last, tokens[0]) : 0;
    const lp = await engine.prefill(Array.from(tokens.subarray(0, -1)), state, { logProbsOf: Array.from(tokens.subarray(1)) });
    for (const x of lp) sum += x;
    return sum;
  } finally {
    engine.release(state);
  }
}

async function main(): Promise<void> {
  const model = await loadModel(values.model!);
  const tokenizer = await loadTokenizer(values.model!, model.config.vocabSize);
  const engine = await createEngine(model, { backend: values.backend as Backend });
  const repos = (await import('node:fs')).readdirSync(values.repos!);
  const questions = loadQuestions(values.questions!, repos);
  const k = Number(values.k);
  const byRepo = new Map<string, typeof questions>();
  for (const q of questions) byRepo.set(q.repo, [...(byRepo.get(q.repo) ?? []), q]);
  const tally = { n: 0, bm25: [0, 0], gain: [0, 0], gainMean: [0, 0], fused: [0, 0] };
  for (const [repo, qs] of byRepo) {
    // The worker's files, as the eval's Q&A reads them: what it searches with no file active.
    const ws = await RepoWorkspace.open(path.join(values.repos!, repo), engine, tokenizer);
    const files = ws.searched('');
    ws.close();
    const index = new Bm25Index();
    index.sync(files);
    for (const q of qs) {
      const cited = retrieve(index, q.question, { limit: k });
      const scored: { p: (typeof cited)[number]; gain: number; mean: number }[] = [];
      for (const p of cited) {
        const comment = languageOf(p.path) === 'python' ? '#' : '//';
        const head = piecesToIds(tokenizer, fileHeadPieces(p.path), { lower: true });
        const ask = Array.from(encodeText(tokenizer, `${comment} ${q.question.replace(/\s+/g, ' ')}\n`));
        const body = Uint32Array.from(encodeText(tokenizer, p.text.endsWith('\n') ? p.text : `${p.text}\n`).slice(0, 384));
        const withQ = await logLik(engine, [...head, ...ask], body);
        const without = await logLik(engine, [...head], body);
        scored.push({ p, gain: withQ - without, mean: (withQ - without) / body.length });
      }
      const rankOf = (key: 'gain' | 'mean') => [...scored].sort((a, b) => b[key] - a[key]);
      const byGain = rankOf('gain');
      const byMean = rankOf('mean');
      // Reciprocal-rank fusion of BM25's order and the gain's.
      const rrf = (p: (typeof scored)[number]) => 1 / (10 + cited.indexOf(p.p)) + 1 / (10 + byGain.indexOf(p));
      const fused = [...scored].sort((a, b) => rrf(b) - rrf(a));
      const score = (order: typeof cited) => scoreQuestion(q, order.map((s) => ({ path: s.path, startLine: s.startLine, endLine: s.endLine })), undefined);
      const rows = {
        bm25: score(cited),
        gain: score(byGain.map((s) => s.p)),
        gainMean: score(byMean.map((s) => s.p)),
        fused: score(fused.map((s) => s.p)),
      };
      tally.n++;
      for (const [name, r] of Object.entries(rows)) {
        const t = tally[name as 'bm25'];
        t[0] += +r.fileFirst;
        // With only the first source cited: does it hold the answer lines?
        t[1] += +(r.sources[0]?.path === q.path && r.sources[0].startLine <= q.answerLines[0] && q.answerLines[1] <= r.sources[0].endLine);
      }
      const line = { repo, question: q.question, want: `${q.path}:${q.answerLines.join('-')}`, cited: scored.map((s) => `${s.p.path}:${s.p.startLine} ${s.gain.toFixed(1)} ${s.mean.toFixed(3)}`) };
      if (values.out) appendFileSync(values.out, JSON.stringify(line) + '\n');
      console.error(`${repo} ${rows.bm25.fileFirst ? 'B' : '-'}${rows.gain.fileFirst ? 'G' : '-'}${rows.gainMean.fileFirst ? 'M' : '-'}${rows.fused.fileFirst ? 'F' : '-'} ${q.question.slice(0, 80)}`);
    }
  }
  const pct = (x: number) => `${((100 * x) / tally.n).toFixed(1)}%`;
  console.log(`${values.questions}: ${tally.n} questions, top ${k} of BM25 re-ordered; file first / first source holds the answer lines`);
  for (const name of ['bm25', 'gain', 'gainMean', 'fused'] as const) console.log(`  ${name.padEnd(9)} ${pct(tally[name][0])} / ${pct(tally[name][1])}`);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
