import * as path from 'node:path';
import { loadModel } from '../src/model/load';
import { loadTokenizer } from '../src/model/tokenizer';
import { createCpuEngine } from '../src/cpu/engine';
import { packageRoot } from '../src/package-files';
import { Bm25Index } from '../src/qa/bm25';
import { retrieve } from '../src/qa/retrieval';
import { buildQaPrompt } from '../src/qa/prompt';
import { questionPieces } from '../src/prompt/assist';
import { fileHeadPieces } from '../src/prompt/file';
import { piecesToIds, text } from '../src/prompt/pieces';
import { answerStopIds } from '../src/prompt/stop';
import { continueFrom } from '../src/engine/generate';
import { RepoWorkspace } from '../src/eval/completion';
import { loadQuestions, scoreQuestion } from '../src/eval/qa';

/**
 * Q&A retrieval with the model's own guess added to the question's words (tried at stop 68 and left:
 * bench/RESULTS.md). The guess: the Q&A layout without passages (--mode qa) or a comment holding the
 * question at the top of a file in the repository's main language (--mode code), 40 tokens, greedy;
 * --state on writes it after the workspace state. Prints file first and lines cited for the question
 * alone (0), with the whole guess (1) and with its identifiers (2).
 *   node out/bench/qa-hyde.js --mode qa|code --state on|off --questions FILE --repos DIR [DIR ...]
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (k: string, d: string) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
  const mode = arg('--mode', 'qa');
  const useState = arg('--state', 'off') === 'on';
  const maxTokens = Number(arg('--tokens', '40'));
  const qfile = arg('--questions', '');
  const repos = argv.slice(argv.indexOf('--repos') + 1).filter((a) => !a.startsWith('--'));
  const dir = path.join(packageRoot(), 'models', 'default');
  const model = await loadModel(dir);
  const tok = await loadTokenizer(dir, model.config.vocabSize);
  const engine = createCpuEngine(model, { threads: 2 });
  const questions = loadQuestions(qfile, repos);
  const tally: Record<string, number> = { n: 0, first0: 0, first1: 0, first2: 0, lines0: 0, lines1: 0, lines2: 0, named: 0 };
  for (const r of repos) {
    const name = path.basename(path.resolve(r));
    const mine = questions.filter((q) => q.repo === name);
    if (!mine.length) continue;
    const ws = await RepoWorkspace.open(r, engine, tok, {});
    const files = ws.searched('');
    const exts = new Map<string, number>();
    for (const p of files.keys()) exts.set(path.extname(p), (exts.get(path.extname(p)) ?? 0) + 1);
    const ext = [...exts].sort((a, b) => b[1] - a[1])[0][0];
    const comment = ext === '.py' ? '#' : '//';
    const index = new Bm25Index();
    await index.syncSliced(files, new AbortController().signal);
    const target = useState ? await ws.open('') : undefined;
    for (const q of mine) {
      const pieces = mode === 'qa' ? questionPieces(q.question) : [...fileHeadPieces(`src/notes${ext}`), ...text(`${comment} ${q.question}\n`)];
      const ids = piecesToIds(tok, pieces, { lower: true });
      const state = target ? engine.snapshot(target.ready.state) : engine.newState();
      const logits = await engine.prefill(ids, state);
      const out: number[] = [];
      for await (const t of continueFrom(engine, logits, state, { maxTokens, stop: answerStopIds(tok), repetitionPenalty: 1.2, penaltyWindow: 64 })) out.push(t);
      engine.release(state);
      const guess = tok.decode(out);
      const idents = (guess.match(/[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/g) ?? []).filter((w) => /[a-z][A-Z]|_|\./.test(w) || /^[A-Z]/.test(w)).join(' ');
      const score = (query: string) => {
        const passages = retrieve(index, query, { limit: 6 });
        const { used } = buildQaPrompt(q.question, passages, []);
        return scoreQuestion(q, used.map(({ path: p, startLine, endLine }) => ({ path: p, startLine, endLine })), undefined);
      };
      const s0 = score(q.question), s1 = score(`${q.question} ${guess}`), s2 = score(`${q.question} ${idents}`);
      tally.n++;
      tally.first0 += +s0.fileFirst; tally.first1 += +s1.fileFirst; tally.first2 += +s2.fileFirst;
      tally.lines0 += +s0.linesCited; tally.lines1 += +s1.linesCited; tally.lines2 += +s2.linesCited;
      tally.named += +guess.includes(q.path);
      console.error(JSON.stringify({ repo: name, q: q.question, truth: q.path, guess, f: [s0.fileFirst, s1.fileFirst, s2.fileFirst] }));
    }
    target?.dispose();
    ws.close();
  }
  console.log(JSON.stringify({ questions: qfile, mode, useState, ...tally }));
  await engine.dispose();
}

void main();
