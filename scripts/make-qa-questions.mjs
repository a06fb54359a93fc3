// Writes training/data/qa-questions.json: the fixed question set of `samba eval --tasks qa`, built
// mechanically (src/eval/qa-questions.ts) from the repositories of training/data/eval-repos.json, read
// through the extension's own filter. Each question's answer is one definition: its file and lines.
// Usage: bash scripts/fetch-eval-repos.sh [CACHE]; node scripts/make-qa-questions.mjs [CACHE] [PER_KIND]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const dir = mkdtempSync(join(tmpdir(), 'qa-questions-'));
const entry = "export { repoQuestions, sampleQuestions } from './src/eval/qa-questions'; export { WorkspaceFilter } from './src/workspace/filter';";
await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'q.mjs'), logLevel: 'warning' });
const { repoQuestions, sampleQuestions, WorkspaceFilter } = await import(pathToFileURL(join(dir, 'q.mjs')).href);
rmSync(dir, { recursive: true });

const cache = process.argv[2] ?? process.env.SAMBA_EVAL_CACHE ?? join(homedir(), '.cache', 'samba-eval');
const perKind = Number(process.argv[3] ?? 4);
const SEED = 15;
const list = JSON.parse(readFileSync('training/data/eval-repos.json', 'utf8')).repositories;
const questions = [];
for (const r of list) {
  const folder = r.repo.replace(/[^A-Za-z0-9._-]+/g, '_');
  const filter = new WorkspaceFilter(join(cache, folder));
  const files = [];
  for (const f of (await filter.scan()).files) {
    const got = await filter.read(f.path);
    if (!('reason' in got)) files.push({ path: f.path, text: got.text });
  }
  const all = repoQuestions(folder, files);
  const picked = sampleQuestions(all, perKind, SEED);
  console.error(`${folder}: ${files.length} files, ${all.length} candidate questions, ${picked.length} kept`);
  questions.push(...picked);
}
const doc = {
  note:
    'Questions of `samba eval --tasks qa`, each answered by one definition of a repository of eval-repos.json (folder names as scripts/fetch-eval-repos.sh writes them). ' +
    'Made by `node scripts/make-qa-questions.mjs` (src/eval/qa-questions.ts): names led by a verb ("where"), predicates ("decide"), doc comments\' first sentences ("doc"). ' +
    'startLine-endLine: the definition; answerLines: what a cited passage must hold. Do not edit by hand; regenerate.',
  seed: SEED,
  perKind,
  questions,
};
writeFileSync('training/data/qa-questions.json', JSON.stringify(doc, null, 1) + '\n');
console.error(`${questions.length} questions -> training/data/qa-questions.json`);
