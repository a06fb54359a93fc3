// Completions while the workspace is being read, through the model worker's own session: the model,
// then completions with no workspace, then the folder opened and completions at 2, 6 and 12 s into
// its read (each at a new place, so none comes from the cache), then after the read.
// usage: npm run build && node bench/completion-during-read.mjs FOLDER FILE 'TEXT TYPED AT ITS END'
//   e.g. node bench/completion-during-read.mjs .device-data/eval-repos/npm_semver functions/gt.js '\nconst gtLoose = (a, b) => '
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ModelSession } from '../out/src/worker/session.js';

const [folder, file, typed] = process.argv.slice(2);
if (!folder || !file || !typed) {
  console.error("usage: node bench/completion-during-read.mjs FOLDER FILE 'TEXT TYPED AT ITS END'");
  process.exit(2);
}
const root = resolve(folder);
const session = new ModelSession({ onLog: () => {}, onNotice: (m) => console.error(m) });
const summary = await session.load({ modelDir: resolve('models/default'), backend: 'auto' });
const prefix = readFileSync(`${root}/${file}`, 'utf8') + typed.replace(/\\n/g, '\n');
// Each request a new place (a line added at the top of the file), so the cache cannot answer it.
const at = (tag) => ({ path: file, prefix: (tag ? `// ${tag}\n` : '') + prefix, suffix: '', maxTokens: 48, lineBudgetMs: 2000, deadlineMs: 8000 });
const timed = async (req) => {
  const t = Date.now();
  const r = await session.complete(req);
  return { ms: Date.now() - t, text: r.text, contextTokens: r.contextTokens };
};
console.log(JSON.stringify({ engine: summary.deviceName, noWorkspace: await timed(at(0)) }));
const t0 = Date.now();
const open = session.open({ root, remote: false, filter: {}, budgetTokens: 0, activePath: file });
let tag = 1;
for (const when of [2000, 6000, 12000]) {
  await new Promise((r) => setTimeout(r, Math.max(0, when - (Date.now() - t0))));
  console.log(JSON.stringify({ duringReadAtMs: when, ...(await timed(at(tag++))) }));
}
const report = await open;
console.log(JSON.stringify({ readMs: Date.now() - t0, tokens: report.totalTokens, files: report.files.length }));
console.log(JSON.stringify({ afterRead: await timed(at(tag++)) }));
await session.dispose();
