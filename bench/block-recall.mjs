// Does the in-window block hold what a cross-file line needs? For each target of `samba eval
// --details` files (full or the compact format of bench/results/2026-12-03-stop21-h200) whose true
// line uses identifiers only other files define, the block is rebuilt as the pipeline builds it
// (buildContextBlock, the extension's budget, the file without its true line) and searched for them.
// No model. usage: npx tsc -p . --outDir out && node bench/block-recall.mjs [--repos DIR] DETAILS.jsonl[.xz] ...
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
const require = createRequire(import.meta.url);
const { loadTokenizer } = require('../out/src/model/tokenizer.js');
const { RepoWorkspace } = require('../out/src/eval/completion.js');
const { buildContextBlock } = require('../out/src/completion/context-block.js');

const args = process.argv.slice(2);
const at = args.indexOf('--repos');
// The GPU's budget (autoBlockTokens); BLOCK_TOKENS=512 for the CPU's.
const budgetTokens = Number(process.env.BLOCK_TOKENS ?? 2048);
const repos = at >= 0 ? args.splice(at, 2)[1] : '.device-data/eval-repos';
const text = (f) => (f.endsWith('.xz') ? execFileSync('xz', ['-dc', f], { maxBuffer: 1 << 30 }).toString() : readFileSync(f, 'utf8'));
const rows = args.flatMap((f) => text(f).split('\n').filter(Boolean).map((l) => JSON.parse(l)));
if (!rows.length) throw new Error('usage: node bench/block-recall.mjs [--repos DIR] DETAILS.jsonl[.xz] ...');
const tokenizer = await loadTokenizer('models/default', 16384);
const countTokens = (s) => tokenizer.encode(s).length;
const total = { cross: 0, all: 0, any: 0, allExactA: 0, allExactC: 0 };
console.log('| repository | cross-file lines | all their names in the block | at least one |\n|---|---|---|---|');
for (const repo of [...new Set(rows.map((r) => r.repo))]) {
  const ws = await RepoWorkspace.open(path.join(repos, repo), undefined, tokenizer, { name: repo });
  const st = { cross: 0, all: 0, any: 0 };
  for (const r of rows.filter((x) => x.repo === repo && x.crossFile.length)) {
    const files = new Map(ws.contextFor(r.path).map((f) => [f.path, f.text]));
    const lines = readFileSync(path.join(ws.root, r.path), 'utf8').split('\n');
    const line = r.line - 1; // 1-based in the details
    const indent = /^[ \t]*/.exec(lines[line])[0];
    const prefix = lines.slice(0, line).join('\n') + (line ? '\n' : '') + indent;
    const suffix = '\n' + lines.slice(line + 1).join('\n');
    const block = buildContextBlock({ path: r.path, text: prefix + suffix, cursorLine: line, files, budgetTokens, countTokens }).map((s) => s.text).join('\n');
    const has = r.crossFile.map((id) => new RegExp(`(^|[^\\w$])${id.replace(/\$/g, '\\$')}($|[^\\w$])`).test(block));
    st.cross++;
    if (has.some(Boolean)) st.any++;
    if (has.every(Boolean)) {
      st.all++;
      total.allExactA += r.a?.exact ? 1 : 0;
      total.allExactC += r.c?.exact ? 1 : 0;
    }
  }
  ws.close();
  for (const k of ['cross', 'all', 'any']) total[k] += st[k];
  console.log(`| ${repo} | ${st.cross} | ${st.all} | ${st.any} |`);
}
console.log(`| all | ${total.cross} | ${total.all} | ${total.any} |`);
console.log(`\nWhere the block holds all of them: exactly right (a) ${total.allExactA}, (c) ${total.allExactC} of ${total.all}.`);
