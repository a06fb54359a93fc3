// usage (repository root, after npm run build): node bench/results/2026-12-07-stop66-scope/offline-picks.mjs LINES.tsv.xz EVAL_REPOS [a|c] [1: list]
// Runs code/scope.ts on each recorded prediction (the file before the line as `above`, the rest after it).
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { otherFunctionsLocal } from '../../../out/src/code/scope.js';
import { languageOf } from '../../../out/src/code/language.js';
const [tsv, root, col = 'c', show = '0'] = process.argv.slice(2);
const rows = execSync(`xz -dc ${tsv}`, { maxBuffer: 1 << 28 }).toString().trim().split('\n');
const head = rows.shift().split('\t');
const ix = (k) => head.indexOf(k);
const tot = { exact: 0, wrong: 0 }, flag = { exact: 0, wrong: 0 };
const ex = [];
let ms = 0;
for (const r of rows) {
  const f = r.split('\t');
  const repo = f[ix('repo')], path = f[ix('path')], line = Number(f[ix('line')]);
  let pred = f[ix(col + '_predicted')]; if (pred === undefined) continue;
  try { pred = JSON.parse(pred); } catch { }
  if (!pred.trim()) continue;
  const k = f[ix(col + '_exact')] === '1' ? 'exact' : 'wrong';
  tot[k]++;
  const lines = readFileSync(`${root}/${repo}/${path}`, 'utf8').split('\n');
  const target = lines[line - 1];
  const indent = /^[ \t]*/.exec(target)[0];
  let above = lines.slice(0, line - 1).join('\n') + '\n';
  if (above.length > 6000) { above = above.slice(above.length - 6000); above = above.slice(above.indexOf('\n') + 1); }
  const below = '\n' + lines.slice(line).join('\n');
  const full = indent + pred.trimStart();
  const t0 = performance.now();
  const bad = otherFunctionsLocal(full, indent, above, below, languageOf(path));
  ms += performance.now() - t0;
  if (bad) { flag[k]++; ex.push([k, repo, path, line, bad, full.trim().slice(0, 80), '|', target.trim().slice(0, 60)]); }
}
console.log('total', tot, 'flagged', flag, 'ms/row', (ms / rows.length).toFixed(2));
if (show === '1') for (const e of ex) console.log(e.join('  '));
