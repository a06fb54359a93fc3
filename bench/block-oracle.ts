// How often does the in-window block hold the line the user types next? For `samba eval`'s targets
// (the same sampling and seed), the block the completion pipeline builds at each budget, and whether
// a line of it equals the target line (whitespace aside; lines of at least 12 characters, so `}` and
// `return nil` do not count): the most a model that copies from the block could gain there. Beside
// it, the same for the prompt's own window of the file before the cursor, and for any other file
// of the repository (what a perfect retriever could offer). No model runs; the tokenizer counts.
import * as path from 'node:path';
import { cliArgs } from '../src/cli-args';
import { loadModel } from '../src/model/load';
import { loadTokenizer } from '../src/model/tokenizer';
import { loadRepo } from '../src/eval/repo';
import { sampleCompletionTargets } from '../src/eval/completion';
import { buildContextBlock } from '../src/completion/context-block';
import { MAX_PREFIX_CHARS } from '../src/prompt/fim';

const USAGE = 'usage: node out/bench/block-oracle.js [--model DIR] [--targets N] [--seed N] [--budgets 512,1024,...] REPO_DIR...';
const { values, positionals: repos } = cliArgs(
  USAGE,
  {
    model: { type: 'string', default: 'models/default' },
    targets: { type: 'int', default: 200, min: 1, max: 100_000 },
    seed: { type: 'int', default: 0, min: 0, max: 2 ** 31 },
    budgets: { type: 'ints', default: [512, 1024, 1300, 2048], min: 1, max: 100_000 },
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
  const total = { targets: 0, window: 0, repo: 0, block: new Map<number, number>(), tokens: new Map<number, number>() };
  for (const dir of repos) {
    const repo = await loadRepo(dir, tokenizer);
    const files = new Map(repo.files.map((f) => [f.path, f.text]));
    const targets = sampleCompletionTargets(path.basename(dir), repo.files, n, seed).filter((t) => norm(t.truth).length >= MIN_CHARS);
    const lineSets = new Map([...files].map(([p, t]) => [p, new Set(t.split('\n').map(norm))]));
    const row = { repo: path.basename(dir), targets: targets.length, inWindow: 0, inRepo: 0, block: {} as Record<number, number>, blockTokens: {} as Record<number, number>, snippets: {} as Record<number, number> };
    for (const b of budgets) [row.block[b], row.blockTokens[b], row.snippets[b]] = [0, 0, 0];
    for (const t of targets) {
      const truth = norm(t.truth);
      const window = t.prefix.slice(-MAX_PREFIX_CHARS).split('\n').map(norm);
      if (window.includes(truth)) row.inWindow++;
      if ([...lineSets].some(([p, s]) => p !== t.path && s.has(truth))) row.inRepo++;
      const cursorLine = t.prefix.split('\n').length - 1;
      for (const b of budgets) {
        const block = buildContextBlock({ path: t.path, text: t.prefix + t.suffix, cursorLine, files, budgetTokens: b, countTokens });
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
  }
  const pct = (x: number) => `${((100 * x) / Math.max(1, total.targets)).toFixed(1)}%`;
  console.log(`targets with a line of ${MIN_CHARS}+ characters: ${total.targets}; the line is in the prompt's window before the cursor: ${pct(total.window)}; in another file of the repository: ${pct(total.repo)}`);
  for (const b of budgets) console.log(`block of ${b} tokens holds the line: ${pct(total.block.get(b)!)}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
