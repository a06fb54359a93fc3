// How often does the in-window block hold the line the user types next? For `samba eval`'s targets
// (the same sampling and seed), the block the completion pipeline builds at each budget, and whether
// a line of it equals the target line (whitespace aside; lines of at least 12 characters, so `}` and
// `return nil` do not count): the most a model that copies from the block could gain there. Beside
// it, the same for the prompt's own window of the file before the cursor, and for any other file
// of the repository (what a perfect retriever could offer). No model runs; the tokenizer counts.
// --context-budget N: the model's state holds N tokens of the repository (the target's file active,
// as the extension orders them); the block at each budget is built twice, from the state's files
// alone (the worker before stop 50) and from every file (src/workspace/files.ts searchedTexts).
import * as path from 'node:path';
import { cliArgs } from '../src/cli-args';
import { loadModel } from '../src/model/load';
import { loadTokenizer } from '../src/model/tokenizer';
import { loadRepo } from '../src/eval/repo';
import { sampleCompletionTargets } from '../src/eval/completion';
import { buildContextBlock } from '../src/completion/context-block';
import { MAX_PREFIX_CHARS } from '../src/prompt/fim';
import { orderFiles } from '../src/workspace/order';
import { searchedTexts } from '../src/workspace/files';

const USAGE = 'usage: node out/bench/block-oracle.js [--model DIR] [--targets N] [--seed N] [--budgets 512,1024,...] [--context-budget N] REPO_DIR...';
const { values, positionals: repos } = cliArgs(
  USAGE,
  {
    model: { type: 'string', default: 'models/default' },
    targets: { type: 'int', default: 200, min: 1, max: 100_000 },
    seed: { type: 'int', default: 0, min: 0, max: 2 ** 31 },
    budgets: { type: 'ints', default: [512, 1024, 1300, 2048], min: 1, max: 100_000 },
    'context-budget': { type: 'int', default: 0, min: 0, max: 100_000_000 },
  },
  process.argv.slice(2),
  true,
);
const n = values.targets;
const seed = values.seed;
const budgets = values.budgets;
/** Lines shorter than this (whitespace squeezed) are not counted: `}` or `return nil` is in any block. */
const MIN_CHARS = 12;

const norm = (l: string) => l.replace(/\s+/g, ' ').trim();

async function main(): Promise<void> {
  const model = await loadModel(values.model);
  const tokenizer = await loadTokenizer(values.model, model.config.vocabSize);
  const countTokens = (s: string) => tokenizer.encode(s).length;
  const total = { targets: 0, window: 0, repo: 0, inState: 0, block: new Map<number, number>(), stateBlock: new Map<number, number>(), tokens: new Map<number, number>() };
  const contextBudget = values['context-budget'];
  for (const dir of repos) {
    const repo = await loadRepo(dir, tokenizer);
    const files = new Map(repo.files.map((f) => [f.path, f.text]));
    const targets = sampleCompletionTargets(path.basename(dir), repo.files, n, seed).filter((t) => norm(t.truth).length >= MIN_CHARS);
    const lineSets = new Map([...files].map(([p, t]) => [p, new Set(t.split('\n').map(norm))]));
    const row = { repo: path.basename(dir), targets: targets.length, inWindow: 0, inRepo: 0, block: {} as Record<number, number>, blockTokens: {} as Record<number, number>, snippets: {} as Record<number, number>, stateBlock: {} as Record<number, number>, inState: 0 };
    for (const b of budgets) [row.block[b], row.blockTokens[b], row.snippets[b], row.stateBlock[b]] = [0, 0, 0, 0];
    const inputs = repo.files.map((f) => ({ path: f.path, text: f.text, mtimeMs: 0, tokenCount: f.tokens.length }));
    for (const t of targets) {
      const truth = norm(t.truth);
      const window = t.prefix.slice(-MAX_PREFIX_CHARS).split('\n').map(norm);
      if (window.includes(truth)) row.inWindow++;
      if ([...lineSets].some(([p, s]) => p !== t.path && s.has(truth))) row.inRepo++;
      const cursorLine = t.prefix.split('\n').length - 1;
      const ordered = contextBudget ? orderFiles(inputs, { activePath: t.path, budgetTokens: contextBudget }) : undefined;
      const searched = ordered ? searchedTexts(ordered, files) : files;
      const state = ordered && new Map(ordered.files.map((f) => [f.path, f.text]));
      if (state && [...state].some(([p, x]) => p !== t.path && x.split('\n').map(norm).includes(truth))) row.inState++;
      for (const b of budgets) {
        if (state && buildContextBlock({ path: t.path, text: t.prefix + t.suffix, cursorLine, files: state, budgetTokens: b, countTokens }).some((x) => x.text.split('\n').map(norm).includes(truth))) row.stateBlock[b]++;
        const block = buildContextBlock({ path: t.path, text: t.prefix + t.suffix, cursorLine, files: searched, budgetTokens: b, countTokens });
        row.blockTokens[b] += block.reduce((s, x) => s + countTokens(x.text), 0) / targets.length;
        row.snippets[b] += block.length / targets.length;
        if (block.some((s) => s.text.split('\n').map(norm).includes(truth))) {
          row.block[b]++;
          if (process.env.ORACLE_LINES) console.error(`${row.repo} ${b}: ${truth}`);
        }
      }
    }
    console.log(JSON.stringify(row));
    total.targets += row.targets;
    total.window += row.inWindow;
    total.repo += row.inRepo;
    for (const b of budgets) total.block.set(b, (total.block.get(b) ?? 0) + row.block[b]);
    for (const b of budgets) total.stateBlock.set(b, (total.stateBlock.get(b) ?? 0) + row.stateBlock[b]);
    total.inState += row.inState;
  }
  const pct = (x: number) => `${((100 * x) / Math.max(1, total.targets)).toFixed(1)}%`;
  console.log(`targets with a line of ${MIN_CHARS}+ characters: ${total.targets}; the line is in the prompt's window before the cursor: ${pct(total.window)}; in another file of the repository: ${pct(total.repo)}`);
  for (const b of budgets) console.log(`block of ${b} tokens holds the line: ${pct(total.block.get(b)!)}${contextBudget ? ` (from the state's files alone: ${pct(total.stateBlock.get(b)!)})` : ''}`);
  if (contextBudget) console.log(`a state of ${contextBudget} tokens holds the line in another file: ${pct(total.inState)}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
