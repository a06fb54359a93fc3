// Writes the fixed question sets of `samba eval --tasks qa`, built mechanically (src/eval/qa-questions.ts)
// from the repositories of training/data/eval-repos.json, read through the extension's own filter.
// Each question's answer is one definition: its file and lines.
//   v1 (training/data/qa-questions.json): 4 questions of each kind per repository, seed 15.
//   v2 (training/data/qa-questions-v2.json): a fresh set to report on after choices made on v1: 3 of
//      each kind per repository, seed 16, no definition v1 asks about, plus the hand-written
//      questions below, in a user's words.
//   langs (training/data/qa-questions-langs.json): Rust, Java, C and C++ packages
//      (training/data/eval-repos-langs.json), 4 of each kind per repository, seed 17.
// Usage: bash scripts/fetch-eval-repos.sh [CACHE]; node scripts/make-qa-questions.mjs [CACHE] [v1|v2]
//        (langs: bash scripts/fetch-eval-repos.sh CACHE training/data/eval-repos-langs.json first)
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * v2's questions asked the way a user asks, each about one definition (repository folder, file,
 * `Owner.name`). Written from the repositories' code, before any answer to them was seen.
 */
const USER = [
  ['npm_semver', 'classes/semver.js', 'SemVer.inc', 'Where is the next version computed when a release is bumped?'],
  ['npm_semver', 'classes/range.js', 'Range.test', 'How does a Range decide whether a version satisfies it?'],
  ['npm_immer', 'utils/common.ts', 'isDraftable', 'How does Immer decide whether a value can be drafted?'],
  ['npm_immer', 'utils/common.ts', 'shallowCopy', 'Where is the shallow copy of a base object or collection made?'],
  ['deb_golang-github-spf13-cobra-dev', 'command.go', 'Command.Find', 'How does cobra find the command to run from the arguments?'],
  ['deb_golang-github-spf13-cobra-dev', 'cobra.go', 'ld', 'Where is the edit distance between two strings computed?'],
  ['deb_golang-github-spf13-cobra-dev', 'args.go', 'RangeArgs', 'Where is it checked that the number of arguments is between a minimum and a maximum?'],
  ['npm_tanstack_table-core', 'utils/getSortedRowModel.ts', 'sortData', 'Where are the rows sorted by the sorting state?'],
  ['npm_tanstack_table-core', 'sortingFns.ts', 'compareAlphanumeric', 'How are strings that mix letters and numbers compared when sorting?'],
  ['python_email', 'utils.py', 'make_msgid', 'Where is a Message-ID header value generated?'],
  ['python_email', 'charset.py', 'Charset.get_body_encoding', 'How does a Charset decide which content-transfer-encoding to use for the body?'],
  ['deb_python3-packaging', 'version.py', '_cmpkey', 'Where is the key that versions are sorted and compared by computed?'],
  ['deb_python3-packaging', 'specifiers.py', 'Specifier._compare_compatible', 'How does a specifier decide whether a version matches a compatible release clause (~=)?'],
  ['npm_json5', 'parse.js', 'escape', 'Where are backslash escape sequences in strings read?'],
];

const SETS = {
  v1: { out: 'training/data/qa-questions.json', seed: 15, perKind: 4, exclude: undefined, user: [] },
  v2: { out: 'training/data/qa-questions-v2.json', seed: 16, perKind: 3, exclude: 'training/data/qa-questions.json', user: USER },
  langs: { out: 'training/data/qa-questions-langs.json', seed: 17, perKind: 4, exclude: undefined, user: [], repos: 'training/data/eval-repos-langs.json' },
};

const dir = mkdtempSync(join(tmpdir(), 'qa-questions-'));
const entry = "export { repoQuestions, sampleQuestions, userQuestion } from './src/eval/qa-questions'; export { WorkspaceFilter } from './src/workspace/filter';";
await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'q.mjs'), logLevel: 'warning' });
const { repoQuestions, sampleQuestions, userQuestion, WorkspaceFilter } = await import(pathToFileURL(join(dir, 'q.mjs')).href);
rmSync(dir, { recursive: true });

const cache = process.argv[2] ?? process.env.SAMBA_EVAL_CACHE ?? join(homedir(), '.cache', 'samba-eval');
const setName = process.argv[3] ?? 'v1';
const set = SETS[setName];
if (!set) throw new Error(`unknown question set ${setName}: v1, v2 or langs`);
// Definitions an earlier set asks about (repository/symbol) are not asked again.
const asked = new Set(set.exclude && existsSync(set.exclude) ? JSON.parse(readFileSync(set.exclude, 'utf8')).questions.map((q) => `${q.repo}/${q.symbol}`) : []);
for (const [repo, , symbol] of set.user) asked.add(`${repo}/${symbol}`);
const list = JSON.parse(readFileSync(set.repos ?? 'training/data/eval-repos.json', 'utf8')).repositories;
const questions = [];
for (const r of list) {
  const folder = r.repo.replace(/[^A-Za-z0-9._-]+/g, '_');
  const filter = new WorkspaceFilter(join(cache, folder));
  const files = [];
  for (const f of (await filter.scan()).files) {
    const got = await filter.read(f.path);
    if (!('reason' in got)) files.push({ path: f.path, text: got.text });
  }
  const all = repoQuestions(folder, files).filter((q) => !asked.has(`${q.repo}/${q.symbol}`));
  const picked = sampleQuestions(all, set.perKind, set.seed);
  for (const [repo, file, symbol, question] of set.user) {
    if (repo !== folder) continue;
    const f = files.find((x) => x.path === file);
    if (!f) throw new Error(`${folder}: no file ${file} for the question "${question}"`);
    picked.push(userQuestion(folder, f, symbol, question));
  }
  console.error(`${folder}: ${files.length} files, ${all.length} candidate questions, ${picked.length} kept`);
  questions.push(...picked);
}
const doc = {
  note:
    `Questions of \`samba eval --tasks qa\` (set ${setName}), each answered by one definition of a repository of ${set.repos ?? 'eval-repos.json'} (folder names as scripts/fetch-eval-repos.sh writes them). ` +
    `Made by \`node scripts/make-qa-questions.mjs CACHE ${setName}\` (src/eval/qa-questions.ts): names led by a verb ("where"), predicates ("decide"), doc comments' first sentences ("doc")` +
    (set.user.length ? `, and questions written by hand in a user's words ("user", listed in the script); no definition of ${set.exclude} is asked about again` : '') +
    '. startLine-endLine: the definition; answerLines: what a cited passage must hold. Do not edit by hand; regenerate.',
  seed: set.seed,
  perKind: set.perKind,
  questions,
};
// One question per line: the sets are tracked, and the repository's size has a limit.
const { questions: qs, ...head } = doc;
const lines = Object.entries(head).map(([k, v]) => ` ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
writeFileSync(set.out, `{\n${lines.join('\n')}\n "questions": [\n${qs.map((q) => `  ${JSON.stringify(q)}`).join(',\n')}\n ]\n}\n`);
console.error(`${questions.length} questions -> ${set.out}`);
