import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { loadTokenizer } from '../src/model/tokenizer';
import { createCpuEngine } from '../src/cpu/engine';
import { packageRoot } from '../src/package-files';
import { Bm25Index } from '../src/qa/bm25';
import { retrieve } from '../src/qa/retrieval';
import { answerLead, buildQaPrompt } from '../src/qa/prompt';
import { qaPieces } from '../src/prompt/assist';
import { piecesToIds } from '../src/prompt/pieces';
import { encodeText } from '../src/prompt/tokens';
import { logProb } from '../src/engine/sampling';
import { RepoWorkspace } from '../src/eval/completion';
import { loadQuestions } from '../src/eval/qa';

/**
 * Can the model choose the Q&A lead among retrieval's passages? Each passage's lead ("`name` in
 * path, line N:", as training's answers begin) scored by the model after the passages and the
 * question (the panel's prompt without a lead), against BM25's first.
 *   node out/bench/qa-lead-choice.js --questions FILE --repos DIR [DIR ...]
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const qfile = argv[argv.indexOf('--questions') + 1];
  const repos = argv.slice(argv.indexOf('--repos') + 1).filter((a) => !a.startsWith('--'));
  const dir = path.join(packageRoot(), 'models', 'default');
  const model = await loadModel(dir);
  const tok = await loadTokenizer(dir, model.config.vocabSize);
  const engine = createCpuEngine(model, { threads: 2 });
  const questions = loadQuestions(qfile, repos);
  const tally = { n: 0, bm25: 0, sum: 0, mean: 0, any: 0 };
  for (const r of repos) {
    const name = path.basename(path.resolve(r));
    const mine = questions.filter((q) => q.repo === name);
    if (!mine.length) continue;
    const ws = await RepoWorkspace.open(r, engine, tok, {});
    const files = ws.searched('');
    const index = new Bm25Index();
    await index.syncSliced(files, new AbortController().signal);
    for (const q of mine) {
      const passages = retrieve(index, q.question, { limit: 6 });
      const { used } = buildQaPrompt(q.question, passages, []);
      if (!used.length) continue;
      const prompt = piecesToIds(tok, qaPieces({ history: [], passages: [...used].reverse(), question: q.question, lead: '' }), { lower: true });
      const state = engine.newState();
      const last = await engine.prefill(prompt, state);
      const scores: { path: string; sum: number; mean: number; lead: string }[] = [];
      for (const p of used) {
        const full = answerLead(p, q.question);
        const lead = full.slice(0, full.indexOf(':', full.indexOf(' line')) + 1);
        const ids = Array.from(encodeText(tok, lead));
        const s = engine.snapshot(state);
        let sum = logProb(last, ids[0]);
        if (ids.length > 1) for (const x of await engine.prefill(ids.slice(0, -1), s, { logProbsOf: ids.slice(1) })) sum += x;
        engine.release(s);
        scores.push({ path: p.path, sum, mean: sum / ids.length, lead });
      }
      engine.release(state);
      const bySum = [...scores].sort((a, b) => b.sum - a.sum)[0];
      const byMean = [...scores].sort((a, b) => b.mean - a.mean)[0];
      tally.n++;
      tally.bm25 += +(used[0].path === q.path);
      tally.sum += +(bySum.path === q.path);
      tally.mean += +(byMean.path === q.path);
      tally.any += +used.some((p) => p.path === q.path);
      console.error(`${name} | ${q.question} | truth ${q.path} | bm25 ${used[0].path} | model ${bySum.lead} | mean ${byMean.path}`);
    }
    ws.close();
  }
  console.log(JSON.stringify({ questions: qfile, ...tally }));
  await engine.dispose();
}

void main();
