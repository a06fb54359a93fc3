// What a question finds when the model's state holds only part of a folder: a machine without a GPU
// reads 32,768 tokens of it (the 2-core machine's automatic budget), a repository is often larger.
// Each question is retrieved twice on the Q&A panel's path (questionPrompt, no file active), over
//   state:    the files the state holds under the budget (what the worker searched before stop 50)
//   searched: every file the folder admits (src/workspace/files.ts searchedTexts, what it searches now)
// and scored as `samba eval --tasks qa-retrieval` scores it.
// usage: node out/bench/qa-budget.js --questions training/data/qa-questions-user2.json[,FILE...]
//          --repos .device-data/eval-repos [--budget 32768] [--model models/default]
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadTokenizer } from '../src/model/tokenizer';
import { parseConfig } from '../src/model/config';
import { loadQuestions, scoreQuestion, type QaScore } from '../src/eval/qa';
import { questionPrompt } from '../src/qa/conversation';
import { Bm25Index } from '../src/qa/bm25';
import { WorkspaceFilter } from '../src/workspace/filter';
import { loadWorkspaceFiles } from '../src/workspace/load';
import { orderFiles } from '../src/workspace/order';
import { searchedTexts } from '../src/workspace/files';

const { values } = parseArgs({
  options: {
    questions: { type: 'string', default: 'training/data/qa-questions-user2.json' },
    repos: { type: 'string', default: '.device-data/eval-repos' },
    budget: { type: 'string', default: '32768' },
    model: { type: 'string', default: 'models/default' },
  },
});

async function main(): Promise<void> {
  const budgetTokens = Number(values.budget);
  const configFile = path.join(values.model!, 'config.json');
  const tokenizer = await loadTokenizer(values.model!, parseConfig(JSON.parse(readFileSync(configFile, 'utf8')), configFile).vocabSize);
  const repos = readdirSync(values.repos!).filter((r) => r !== 'dl');
  const signal = new AbortController().signal;
  const pct = (xs: boolean[]) => `${((100 * xs.filter(Boolean).length) / Math.max(1, xs.length)).toFixed(1)}%`;
  console.log(`budget ${budgetTokens} tokens; file first / lines cited, over the state's files -> over every file`);
  for (const set of values.questions!.split(',')) {
    const questions = loadQuestions(set, repos);
    const rows: { inState: boolean; state: QaScore; searched: QaScore }[] = [];
    for (const repo of repos) {
      const mine = questions.filter((q) => q.repo === repo);
      if (!mine.length) continue;
      const loaded = await loadWorkspaceFiles(new WorkspaceFilter(path.resolve(values.repos!, repo)), tokenizer);
      const ordered = orderFiles(loaded.files, { budgetTokens });
      const state = new Map(ordered.files.map((f) => [f.path, f.text]));
      const searched = searchedTexts(ordered, new Map(loaded.files.map((f) => [f.path, f.text])));
      const indexes = { state: new Bm25Index(), searched: new Bm25Index() };
      for (const q of mine) {
        const ask = async (files: ReadonlyMap<string, string>, index: Bm25Index) => {
          const p = await questionPrompt(undefined, index, files, q.question, [], signal);
          return scoreQuestion(q, p.sources, p.leadAt);
        };
        rows.push({ inState: state.has(q.path), state: await ask(state, indexes.state), searched: await ask(searched, indexes.searched) });
      }
      const tokens = loaded.files.reduce((n, f) => n + f.tokenCount, 0);
      console.log(`  ${repo}: ${loaded.files.length} files, ${tokens} tokens; the state holds ${ordered.files.length} (${ordered.tokens} tokens); ${mine.filter((q) => !state.has(q.path)).length} of ${mine.length} questions' files are over the budget`);
    }
    const line = (label: string, rs: typeof rows) =>
      `  ${label.padEnd(34)} ${String(rs.length).padStart(4)}   first ${pct(rs.map((r) => r.state.fileFirst))} -> ${pct(rs.map((r) => r.searched.fileFirst))}   lines ${pct(rs.map((r) => r.state.linesCited))} -> ${pct(rs.map((r) => r.searched.linesCited))}`;
    console.log(path.basename(set));
    console.log(line('all', rows));
    console.log(line("answer's file in the state", rows.filter((r) => r.inState)));
    console.log(line("answer's file over the budget", rows.filter((r) => !r.inState)));
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
